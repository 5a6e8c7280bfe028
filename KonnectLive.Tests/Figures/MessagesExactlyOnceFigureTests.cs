using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KonnectLive.Core;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Tests.Cluster;
using KonnectLive.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Figures;

/// <summary>
/// The exactly-once figures, both channels in the same crashes: 200 due SMS messages and 200 due emails, the built app as its own
/// process on one SQLite file sending them to a real HTTP gateway and a real SMTP server (Debian's aiosmtpd) on 127.0.0.1, killed
/// (SIGKILL) at a random moment while they go out, restarted on the same file, 20 times, then left to finish.
/// SMS: the gateway must have seen each of the 200 idempotency keys, and no other key: 0 lost, 0 duplicated. A message whose send
/// was cut off by a kill is asked again with the same key (at-least-once delivery, made exactly-once by the key); those repeats are
/// counted on their own.
/// Email: SMTP has no idempotency key, so it is at-least-once: 0 lost, every copy of one email carries the same Message-Id, and the
/// window in which a kill makes a second copy — from the server writing the message (just before its 250) to the moment the row
/// is marked Sent — is measured on every email and printed.
/// </summary>
public sealed class MessagesExactlyOnceFigureTests(ITestOutputHelper output) : IDisposable
{
    private const int Messages = 200;
    private const int SendConcurrency = 2;
    /// <summary>20 by hand (the README figure); ./test.sh sets KL_KILLS=4 to keep the suite under 15 minutes; KL_KEEP=1 keeps the data folder.</summary>
    private static readonly int Kills = int.TryParse(Environment.GetEnvironmentVariable("KL_KILLS"), out var k) ? k : 20;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("konnectlive-sms-once-");
    private Process? _app;

    [Fact]
    public async Task SmsAndEmail_KilledAgainAndAgainWhileSending_NoneLost_SmsOnceByKey_EmailRepeatsOnlyWithinTheMeasuredWindow()
    {
        var watch = Stopwatch.StartNew();
        using var gateway = new SmsGateway { ResponseDelay = TimeSpan.FromMilliseconds(120) };
        gateway.Start();
        using var smtp = await global::KonnectLive.Tests.Core.Messaging.SmtpTestServer.StartAsync(acceptDelay: TimeSpan.FromMilliseconds(60));
        var databasePath = Path.Combine(_dir.FullName, "konnectlive.db");
        var collection = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddKonnectLiveCore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:SqlitePath"] = databasePath, ["Storage:SeedDemoData"] = "false",
            }).Build());
        collection.AddIdentityCore<global::KonnectLive.Core.Users.AppUser>().AddRoles<Microsoft.AspNetCore.Identity.IdentityRole>()
            .AddEntityFrameworkStores<KonnectDbContext>();
        await using var services = collection.BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var (keys, emailKeys) = await QueueAsync(services.GetRequiredService<IDbContextFactory<KonnectDbContext>>());

        var random = new Random(2026);
        var kills = 0;
        for (var run = 0; run < Kills; run++)
        {
            var before = gateway.Received.Count + smtp.Accepted().Count;
            Start(databasePath, gateway.Url, smtp.Port);
            // Kill while messages go out: after the first message of this run reaches the gateway or the SMTP server, at a random moment.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (gateway.Received.Count + smtp.Accepted().Count == before && DateTime.UtcNow < deadline && !_app!.HasExited) await Task.Delay(20);
            Assert.False(_app!.HasExited, "The app stopped by itself (see its output above)");
            await Task.Delay(random.Next(0, 600));
            _app!.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await _app.WaitForExitAsync();
            _app.Dispose();
            _app = null;
            kills++;
        }

        // The last start is left to finish.
        Start(databasePath, gateway.Url, smtp.Port);
        var factory = services.GetRequiredService<IDbContextFactory<KonnectDbContext>>();
        // Until all are sent, or nothing more is sent for three minutes: on a starved machine the start alone can take a minute
        // or more, so a fixed deadline from the start would fail a run that is merely slow.
        var end = DateTime.UtcNow.AddMinutes(3);
        int sent, progress = -1;
        do
        {
            await Task.Delay(250);
            await using var db = await factory.CreateDbContextAsync();
            sent = await db.ScheduledMessages.CountAsync(m => m.State == MessageState.Sent);
            if (sent > progress) (progress, end) = (sent, DateTime.UtcNow.AddMinutes(3));
        } while (sent < 2 * Messages && DateTime.UtcNow < end && !_app!.HasExited);

        var delivered = gateway.Delivered.Keys.ToHashSet();
        var lost = keys.Count(k => !delivered.Contains(k));
        var duplicated = delivered.Count(k => !keys.Contains(k));
        var resent = gateway.Received.GroupBy(k => k).Sum(g => g.Count() - 1);
        var line = $"sms exactly once: {Messages} messages, {kills} kills, {lost} lost, {duplicated} duplicated ({resent} resent with the same key)";
        Console.WriteLine(line);
        output.WriteLine(line);
        output.WriteLine($"{sent} of {Messages} marked Sent; {watch.Elapsed.TotalSeconds:F0} s");
        // Email: by the key header every copy carries; the window from the first copy's acceptance to the row's SentAt.
        var accepted = smtp.Accepted()
            .Select(a => (Key: a.Message.Headers["X-KonnectLive-Idempotency-Key"] ?? "", a.Message.MessageId, a.AcceptedAtUtc)).ToList();
        var emailLost = emailKeys.Count(k => accepted.All(a => a.Key != k));
        var strangers = accepted.Count(a => !emailKeys.Contains(a.Key));
        var repeated = accepted.GroupBy(a => a.Key).Sum(g => g.Count() - 1);
        var idsDiffer = accepted.GroupBy(a => a.Key).Count(g => g.Select(a => a.MessageId).Distinct().Count() > 1);
        Dictionary<string, DateTime> sentAt;
        await using (var db = await factory.CreateDbContextAsync())
            sentAt = await db.ScheduledMessages.Where(m => m.Channel == MessageChannel.Email && m.SentAt != null)
                .ToDictionaryAsync(m => m.IdempotencyKey, m => m.SentAt!.Value);
        var windows = accepted.GroupBy(a => a.Key).Where(g => sentAt.ContainsKey(g.Key))
            .Select(g => (sentAt[g.Key] - g.Max(a => a.AcceptedAtUtc)).TotalMilliseconds).Order().ToList();
        var emailLine = $"smtp at least once: {Messages} emails, {kills} kills, {emailLost} lost, {repeated} sent twice (same Message-Id), " +
                        $"window 250 → Sent p50 {Percentile(windows, 0.50):F1} ms, p99 {Percentile(windows, 0.99):F1} ms, max {windows.LastOrDefault():F1} ms";
        Console.WriteLine(emailLine);
        output.WriteLine(emailLine);

        Assert.Equal(Kills, kills);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.Equal(2 * Messages, sent);
        Assert.Equal(0, emailLost);
        Assert.Equal(0, strangers);
        Assert.Equal(0, idsDiffer);
        // A kill can cut off at most the sends in flight at that moment.
        Assert.InRange(repeated, 0, kills * SendConcurrency);
        Assert.Equal(Messages, windows.Count);
        // A clock check, not a speed assertion: every row is marked Sent after its server accepted it, never before.
        Assert.True(windows[0] >= -5, $"A row was marked Sent {-windows[0]:F1} ms before its server accepted it");
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>One dealership with no sending hours, 200 customers with a mobile and an email each, and one SMS and one email due
    /// now per customer.</summary>
    private static async Task<(HashSet<string> Sms, HashSet<string> Email)> QueueAsync(IDbContextFactory<KonnectDbContext> factory)
    {
        var now = DateTime.UtcNow;
        await using var db = await factory.CreateDbContextAsync();
        var dealership = new Dealership { Code = "SMSONCE", Name = "Exactly Once Motors" };
        dealership.SendUntil = dealership.SendFrom; // no sending hours: the figure runs at any time of day
        db.Dealerships.Add(dealership);
        await db.SaveChangesAsync();
        var records = new List<SurveyRecord>();
        for (var i = 0; i < Messages; i++)
        {
            var customer = new Customer { DealershipId = dealership.Id, FirstName = $"Once{i}", LastName = "Sms", Email = $"once{i}@example.test" };
            customer.Phones.Add(new CustomerPhone { Position = 1, Number = $"+44770090{i:D4}", Type = PhoneType.Mobile });
            var vehicle = new Vehicle { Registration = $"SM{i % 100:D2} {(char)('A' + i / 100)}BC", Make = "Kestrel", Model = "Aero" };
            customer.Vehicles.Add(vehicle);
            var record = SurveyRecord.Create($"SMS-ONCE-{i}", dealership.Id, customer, vehicle, SurveyStatus.Awaiting, now.AddDays(-1), 8,
                EventType.Service, now.Date.AddDays(-3), now.AddDays(-1));
            db.SurveyRecords.Add(record);
            records.Add(record);
        }
        await db.SaveChangesAsync();
        var keys = new HashSet<string>();
        var emailKeys = new HashSet<string>();
        foreach (var record in records)
        {
            var key = $"sms-once:{record.Id}";
            keys.Add(key);
            db.ScheduledMessages.Add(new ScheduledMessage
            {
                SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealership.Id, Channel = MessageChannel.Sms,
                CustomBody = "Thanks for visiting us.", CreatedAt = now, DueAt = now, IdempotencyKey = key,
            });
            var emailKey = $"email-once:{record.Id}";
            emailKeys.Add(emailKey);
            db.ScheduledMessages.Add(new ScheduledMessage
            {
                SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealership.Id, Channel = MessageChannel.Email,
                CustomSubject = "Your visit", CustomBody = "Thanks for visiting us.", CreatedAt = now, DueAt = now, IdempotencyKey = emailKey,
            });
        }
        await db.SaveChangesAsync();
        return (keys, emailKeys);
    }

    private void Start(string databasePath, string gatewayUrl, int smtpPort)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot.Path, "KonnectLive.Desktop", "bin", configuration, "net10.0", "KonnectLive.Desktop.dll");
        Assert.True(File.Exists(dll), $"No build of the app at {dll}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.FullName, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{FreePort()}", ["Storage:SqlitePath"] = databasePath, ["Storage:SeedDemoData"] = "false",
            ["Messaging:Sms:Sender"] = "Http", ["Messaging:Sms:GatewayUrl"] = gatewayUrl, ["Messaging:DispatchEverySeconds"] = "1",
            ["Messaging:Email:Sender"] = "Smtp", ["Messaging:Email:Host"] = "127.0.0.1", ["Messaging:Email:Port"] = $"{smtpPort}",
            ["Messaging:SendConcurrency"] = $"{SendConcurrency}", ["Messaging:ClaimLeaseSeconds"] = "3", ["Messaging:MaxLatenessHours"] = "0",
            ["Messaging:QuartzSqlitePath"] = Path.Combine(_dir.FullName, "quartz.db"), ["Logging:LogLevel:Default"] = "Warning",
        })
            start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _app = Process.Start(start)!;
        _app.OutputDataReceived += (_, e) => { if (e.Data is { } l) try { output.WriteLine("app: " + l); } catch (InvalidOperationException) { } };
        _app.ErrorDataReceived += (_, e) => { if (e.Data is { } l) try { output.WriteLine("app: " + l); } catch (InvalidOperationException) { } };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        if (_app is { HasExited: false }) _app.Kill(entireProcessTree: true);
        _app?.Dispose();
        SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("KL_KEEP") is null) try { _dir.Delete(recursive: true); } catch (IOException) { }
        else output.WriteLine($"kept {_dir.FullName}");
    }
}
