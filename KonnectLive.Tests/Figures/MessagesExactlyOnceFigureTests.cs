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
/// The SMS exactly-once figure: 200 due SMS messages, the built app as its own process on one SQLite file sending them to a real
/// HTTP gateway on 127.0.0.1, killed (SIGKILL) at a random moment while they go out, restarted on the same file, 20 times, then left
/// to finish. The gateway must have seen each of the 200 idempotency keys, and no other key: 0 lost, 0 duplicated. A message whose
/// send was cut off by a kill is asked again with the same key (at-least-once delivery, made exactly-once by the key); those
/// repeats are counted on their own.
/// </summary>
public sealed class SmsExactlyOnceFigureTests(ITestOutputHelper output) : IDisposable
{
    private const int Messages = 200;
    private const int Kills = 20;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("konnectlive-sms-once-");
    private Process? _app;

    [Fact]
    public async Task Sms_KilledTwentyTimesWhileSending_EveryKeyDeliveredOnce_NoneLost()
    {
        var watch = Stopwatch.StartNew();
        using var gateway = new SmsGateway { ResponseDelay = TimeSpan.FromMilliseconds(120) };
        gateway.Start();
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
        var keys = await QueueAsync(services.GetRequiredService<IDbContextFactory<KonnectDbContext>>());

        var random = new Random(2026);
        var kills = 0;
        for (var run = 0; run < Kills; run++)
        {
            var before = gateway.Received.Count;
            Start(databasePath, gateway.Url);
            // Kill while messages go out: after the first request of this run reaches the gateway, at a random moment.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (gateway.Received.Count == before && DateTime.UtcNow < deadline && !_app!.HasExited) await Task.Delay(20);
            Assert.False(_app!.HasExited, "The app stopped by itself (see its output above)");
            await Task.Delay(random.Next(0, 600));
            _app!.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await _app.WaitForExitAsync();
            _app.Dispose();
            _app = null;
            kills++;
        }

        // The last start is left to finish.
        Start(databasePath, gateway.Url);
        var factory = services.GetRequiredService<IDbContextFactory<KonnectDbContext>>();
        var end = DateTime.UtcNow.AddSeconds(90);
        int sent;
        do
        {
            await Task.Delay(250);
            await using var db = await factory.CreateDbContextAsync();
            sent = await db.ScheduledMessages.CountAsync(m => m.State == MessageState.Sent);
        } while (sent < Messages && DateTime.UtcNow < end);

        var delivered = gateway.Delivered.Keys.ToHashSet();
        var lost = keys.Count(k => !delivered.Contains(k));
        var duplicated = delivered.Count(k => !keys.Contains(k));
        var resent = gateway.Received.GroupBy(k => k).Sum(g => g.Count() - 1);
        var line = $"sms exactly once: {Messages} messages, {kills} kills, {lost} lost, {duplicated} duplicated ({resent} resent with the same key)";
        Console.WriteLine(line);
        output.WriteLine(line);
        output.WriteLine($"{sent} of {Messages} marked Sent; {watch.Elapsed.TotalSeconds:F0} s");
        Assert.Equal(Kills, kills);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.Equal(Messages, sent);
    }

    /// <summary>One dealership with no sending hours, 200 customers with a mobile each, and one SMS due now per customer.</summary>
    private static async Task<HashSet<string>> QueueAsync(IDbContextFactory<KonnectDbContext> factory)
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
            var customer = new Customer { DealershipId = dealership.Id, FirstName = $"Once{i}", LastName = "Sms" };
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
        foreach (var record in records)
        {
            var key = $"sms-once:{record.Id}";
            keys.Add(key);
            db.ScheduledMessages.Add(new ScheduledMessage
            {
                SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealership.Id, Channel = MessageChannel.Sms,
                CustomBody = "Thanks for visiting us.", CreatedAt = now, DueAt = now, IdempotencyKey = key,
            });
        }
        await db.SaveChangesAsync();
        return keys;
    }

    private void Start(string databasePath, string gatewayUrl)
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
            ["Messaging:SendConcurrency"] = "2", ["Messaging:ClaimLeaseSeconds"] = "3", ["Messaging:MaxLatenessHours"] = "0",
            ["Messaging:QuartzSqlitePath"] = Path.Combine(_dir.FullName, "quartz.db"), ["Logging:LogLevel:Default"] = "Warning",
        })
            start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _app = Process.Start(start)!;
        _app.OutputDataReceived += (_, _) => { };
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
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }
}
