using Microsoft.Extensions.Configuration.Json;

namespace KonnectLive.Desktop;

internal static class ConfigurationExtensions
{
    /// <summary>
    /// appsettings.json at the repository root is the one file users edit. The build copies it beside the
    /// app; it is added as the lowest-priority source so that a file in the working directory, environment
    /// variables and command-line switches still override it.
    /// </summary>
    public static void AddRepositoryAppSettings(this ConfigurationManager configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (!File.Exists(path)) return;
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
    }
}
