using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace KonnectLive.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run (Debian's <c>postgresql</c>, which test.sh installs): initdb in a
/// temp directory, on 127.0.0.1 and a free port, started on first use and stopped by its PID when the test process
/// exits. PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user (runuser). Each test gets its
/// own database, cloned from a migrated template (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgreSqlServer
{
    private static readonly Lazy<Task<PostgreSqlServer>> Shared = new(StartAsync);
    private static int _serial;

    private readonly string _dir;
    private readonly int _port;
    private int _pid;

    private PostgreSqlServer(string dir, int port)
    {
        _dir = dir;
        _port = port;
    }

    /// <summary>The run's server, started on first use.</summary>
    public static Task<PostgreSqlServer> GetAsync() => Shared.Value;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Include Error Detail=true;Maximum Pool Size=60";

    /// <summary>A new, empty database with a fresh name.</summary>
    public async Task<string> CreateDatabaseAsync(string? template = null)
    {
        var name = $"kl_{Environment.ProcessId}_{Interlocked.Increment(ref _serial)}";
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"" + (template is null ? "" : $" TEMPLATE \"{template}\" STRATEGY FILE_COPY"), conn);
        await cmd.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<PostgreSqlServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run ./test.sh, or apt-get install postgresql.");

        var dir = Directory.CreateTempSubdirectory("konnectlive-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", "postgres:postgres", dir);
        var server = new PostgreSqlServer(dir, FreePort());
        var data = Path.Combine(dir, "data");
        await server.RunPgAsync(bin, "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        await server.RunPgAsync(bin, "pg_ctl", "-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-o",
            $"-p {server._port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start");
        server._pid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        // The test host may be ended without ProcessExit running to its end: a watcher outlives it and finishes the job.
        var watcher = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in (string[])["sh", "-c",
                     $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; kill -INT {server._pid} 2>/dev/null; " +
                     $"i=0; while [ -e '{data}/postmaster.pid' ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done; rm -rf '{dir}'"])
            watcher.ArgumentList.Add(a);
        Process.Start(watcher)?.Dispose();
        return server;
    }

    /// <summary>Fast shutdown (SIGINT to the postmaster, by its PID), then the directory goes.</summary>
    private void Stop()
    {
        if (_pid == 0) return;
        try
        {
            using var kill = Process.Start("kill", ["-INT", _pid.ToString()]);
            kill.WaitForExit(5000);
            // The postmaster removes its pid file as the last step of a clean shutdown (its process may linger as a zombie).
            var pidFile = Path.Combine(_dir, "data", "postmaster.pid");
            for (var i = 0; i < 100 && File.Exists(pidFile); i++) Thread.Sleep(20);
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception) { /* a leftover temp directory is not worth failing a run for */ }
        _pid = 0;
    }

    private Task RunPgAsync(string bin, string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args])
            : RunAsync(Path.Combine(bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
