using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace KonnectLive.Tests.Core.Messaging;

/// <summary>
/// A real SMTP server on 127.0.0.1 and a free port: Debian's python3-aiosmtpd (test.sh installs it), writing every
/// message it accepts into a maildir the test reads. Killed by its PID on dispose.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    private readonly Process _process;
    private readonly string _maildir;

    private SmtpTestServer(Process process, string maildir, int port)
    {
        _process = process;
        _maildir = maildir;
        Port = port;
    }

    public int Port { get; }

    /// <param name="acceptDelay">How long the server holds each message's DATA before writing it and answering 250 — a slow
    /// relay, so that a test can stop the app while messages are in flight.</param>
    public static async Task<SmtpTestServer> StartAsync(TimeSpan? acceptDelay = null)
    {
        var python = FindPython();
        var root = Directory.CreateTempSubdirectory("konnectlive-smtp-").FullName;
        var maildir = Path.Combine(root, "mail");
        var port = FreePort();
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir },
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        if (acceptDelay is { } delay)
        {
            // aiosmtpd's own Mailbox handler, holding DATA first; the maildir file is written just before the 250.
            await File.WriteAllTextAsync(Path.Combine(root, "slow_mailbox.py"), $$"""
                import asyncio
                from aiosmtpd.handlers import Mailbox

                class SlowMailbox(Mailbox):
                    async def handle_DATA(self, server, session, envelope):
                        await asyncio.sleep({{delay.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}})
                        return await super().handle_DATA(server, session, envelope)
                """);
            start.ArgumentList[6] = "slow_mailbox.SlowMailbox";
            start.Environment["PYTHONPATH"] = root;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start aiosmtpd");
        var server = new SmtpTestServer(process, maildir, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"aiosmtpd exited: {await process.StandardError.ReadToEndAsync()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline) { await Task.Delay(100); }
        }
    }

    /// <summary>Every message the server has accepted so far.</summary>
    public IReadOnlyList<MimeMessage> Messages() => Accepted().Select(a => a.Message).ToList();

    /// <summary>Every message the server has accepted so far, with the moment it wrote it (just before its 250).</summary>
    public IReadOnlyList<(MimeMessage Message, DateTime AcceptedAtUtc)> Accepted()
    {
        var dir = Path.Combine(_maildir, "new");
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir).Select(f => (MimeMessage.Load(f), File.GetLastWriteTimeUtc(f))).ToList()
            : [];
    }

    /// <summary>Debian installs aiosmtpd for /usr/bin/python3; a pyenv python3 first on the PATH would not see it.</summary>
    private static string FindPython()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var check = Process.Start(new ProcessStartInfo(candidate) { ArgumentList = { "-c", "import aiosmtpd" }, RedirectStandardError = true, UseShellExecute = false });
                if (check is null) continue;
                check.WaitForExit(10_000);
                if (check.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        throw new InvalidOperationException("python3 with aiosmtpd is needed (apt-get install python3-aiosmtpd; test.sh does it).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(Path.GetDirectoryName(_maildir)!, recursive: true); } catch (IOException) { }
    }
}
