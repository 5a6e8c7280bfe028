namespace KonnectLive.Tests.Infrastructure;

/// <summary>The checkout's root (where KonnectLive.sln is): screenshots and benchmark figures are written under it.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "KonnectLive.sln"))) dir = dir.Parent;
        return dir?.FullName ?? System.IO.Path.GetTempPath();
    }
}
