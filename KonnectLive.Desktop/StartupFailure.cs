using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop;

/// <summary>
/// A setting that cannot be read (Storage:Provider=Oracle, a number that is not one, a value its validator refuses) stops
/// the start with one line saying which setting and why, and exit code 2 — not an unhandled-exception stack trace and
/// exit code 134. Anything else stays unhandled, as it should.
/// </summary>
public static class StartupFailure
{
    public const int ConfigurationErrorExitCode = 2;

    public static void ExitCleanlyOnConfigurationErrors() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is not Exception ex || Describe(ex) is not { } message) return;
            Console.Error.WriteLine($"KonnectLive cannot start: {message}");
            Environment.Exit(ConfigurationErrorExitCode);
        };

    /// <summary>What is wrong with the configuration, in one line, or null when <paramref name="ex"/> is not about it.</summary>
    public static string? Describe(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OptionsValidationException invalid:
                    return string.Join(" ", invalid.Failures);
                case InvalidOperationException when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    return e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
                case AggregateException aggregate:
                    foreach (var one in aggregate.InnerExceptions)
                        if (Describe(one) is { } found) return found;
                    break;
            }
        }
        return null;
    }
}
