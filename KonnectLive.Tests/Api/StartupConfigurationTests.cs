using System.Diagnostics;
using KonnectLive.Tests.Infrastructure;

namespace KonnectLive.Tests.Api;

/// <summary>
/// An operator who mistypes a setting gets one line naming it and exit code 2 — not a stack trace and exit code 134.
/// Runs the built app as its own process, as an operator would start it.
/// </summary>
public class StartupConfigurationTests
{
    [Theory]
    [InlineData("--Storage:Provider=Oracle", "Storage:Provider")]
    [InlineData("--Locking:LeaseSeconds=abc", "Locking:LeaseSeconds")]
    [InlineData("--Locking:LeaseSeconds=2", "LeaseSeconds must be at least 5")]
    public async Task BadSetting_StopsWithOneLineNamingItAndExitCode2(string setting, string named)
    {
        var folder = Directory.CreateTempSubdirectory("kl-badsetting-");
        try
        {
            var (exit, stderr) = await RunAppAsync(folder.FullName, "--urls", "http://127.0.0.1:0",
                $"--Storage:SqlitePath={Path.Combine(folder.FullName, "app.db")}", setting);

            Assert.Equal(2, exit);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                l => l.StartsWith("KonnectLive cannot start:", StringComparison.Ordinal));
            Assert.Contains(named, line);
            Assert.DoesNotContain("   at ", stderr);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, string Stderr)> RunAppAsync(string workingDirectory, params string[] args)
    {
        // The app as built next to this test assembly's configuration (Release under ./test.sh).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot.Path, "KonnectLive.Desktop", "bin", configuration, "net10.0", "KonnectLive.Desktop.dll");
        Assert.True(File.Exists(dll), $"No build of the app at {dll}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The app did not stop on a bad setting within 180 s (a start on a quiet machine takes about 2 s)");
        }
        return (process.ExitCode, await stderr);
    }
}
