using System.Diagnostics;
using System.Net;
using KonnectLive.Core.Live;
using KonnectLive.Core.Messaging;
using KonnectLive.Tests.Browser;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Cluster;

/// <summary>
/// Two KonnectLive processes behind nginx, sharing one database and Redis, as deploy/run-local-cluster.sh starts them;
/// real Chromium through the load balancer, each browser pinned (by nginx's affinity cookie) to the instance the test
/// names.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Open_OnInstance1_ShowsLiveOnInstance2sChaseListAndHubClients()
    {
        var shop = await cluster.NewDealershipAsync("Live");
        var customer = shop.Customers[0];
        var ann = await cluster.NewAgentAsync("Ann Cluster", shop.Id);
        var bob = await cluster.NewAgentAsync("Bob Cluster", shop.Id);
        await using var caller = await cluster.SignInAsync(ann.UserName, 1);
        await using var watcher = await cluster.SignInAsync(bob.UserName, 2);
        await caller.GotoAsync("/csi/chase-list");
        await watcher.GotoAsync("/csi/chase-list");
        await Expect(watcher.Row(customer.RecordId)).ToContainTextAsync("Free");

        // Thirty /hubs/live clients of Bob's on instance 2, each counted once the hub says it has joined the dealership's
        // group (StartAsync returns at the handshake, before that: the bench's clients that missed the first Open had
        // started but not yet joined).
        const int hubClients = 30;
        using var bobHttp = await cluster.SignInHttpAsync(bob.UserName, 2);
        var heard = new TaskCompletionSource[hubClients];
        var subscribed = new TaskCompletionSource[hubClients];
        var hubs = new List<HubConnection>();
        try
        {
            for (var i = 0; i < hubClients; i++)
            {
                var (h, s) = (heard[i] = new(TaskCreationOptions.RunContinuationsAsynchronously), subscribed[i] = new(TaskCreationOptions.RunContinuationsAsynchronously));
                var hub = new HubConnectionBuilder()
                    .WithUrl(new Uri(cluster.Instances[1], "hubs/live"), o => { o.Cookies = bobHttp.Cookies; o.Transports = HttpTransportType.WebSockets; })
                    .Build();
                hub.On("Subscribed", () => s.TrySetResult());
                hub.On<LiveEvent>("LiveEvent", e => { if (e.Kind == LiveEventKind.LockTaken && e.RecordId == customer.RecordId) h.TrySetResult(); });
                hubs.Add(hub);
            }
            await Task.WhenAll(hubs.Select(h => h.StartAsync())).WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(subscribed.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(30));

            await caller.Row(customer.RecordId).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
            await caller.WaitForUrlOrScreenshotAsync($"/csi/call/{customer.RecordId}", "failure-cluster-open");

            // Bob's page lives in the other process: the event crossed Redis, without a reload.
            await Expect(watcher.Row(customer.RecordId)).ToContainTextAsync($"Being called by {ann.DisplayName}");
            await watcher.ScreenshotAsync("cluster-chase-list-locked-on-other-instance");
            // And every hub client there heard it: none joined too late for the first event after it said it had joined.
            try
            {
                await Task.WhenAll(heard.Select(h => h.Task)).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{heard.Count(h => !h.Task.IsCompleted)} of {hubClients} hub clients on instance 2 did not hear the Open within 10 s");
            }
        }
        finally
        {
            await Task.WhenAll(hubs.Select(h => h.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Cookie_IssuedByInstance1_IsAcceptedByInstance2()
    {
        var agent = await cluster.NewAgentAsync("Cora Cookie", null);
        using var session = await cluster.SignInHttpAsync(agent.UserName, 1);
        var cookie = session.Cookies.GetCookies(cluster.Instances[0]);

        var jar = new CookieContainer();
        foreach (System.Net.Cookie c in cookie) jar.Add(cluster.Instances[1], new System.Net.Cookie(c.Name, c.Value, "/"));
        using var other = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = cluster.Instances[1] };
        var response = await other.GetAsync("/csi/chase-list");

        // Not sent to the log-in page: instance 2 reads the cookie instance 1 protected (shared Data Protection keys).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Disable_OnInstance1_ClosesPageAndHubOnInstance2WithinFiveSeconds()
    {
        var shop = await cluster.NewDealershipAsync("Revoke", customers: 1);
        var agent = await cluster.NewAgentAsync("Dan Disabled", shop.Id);
        await using var page = await cluster.SignInAsync(agent.UserName, 2);
        await page.GotoAsync("/csi/chase-list");
        using var session = await cluster.SignInHttpAsync(agent.UserName, 2);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.Instances[1], "hubs/live"), o => { o.Cookies = session.Cookies; o.Transports = HttpTransportType.WebSockets; })
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();

        await using var admin = await cluster.SignInAsync("admin", 1);
        await admin.GotoAsync("/configuration/users");
        await admin.Page.GetByTestId("search").FillAsync(agent.UserName);
        await Expect(admin.Page.Locator("tbody tr")).ToHaveCountAsync(1); // the search has narrowed the list to them
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Disable {agent.UserName}" }).ClickAsync();
        await admin.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        var disabledAt = Stopwatch.StartNew();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Expect(page.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"),
            new() { Timeout = (float)Math.Max(100, 5000 - disabledAt.ElapsedMilliseconds) });
        Assert.True(disabledAt.Elapsed < TimeSpan.FromSeconds(5), $"took {disabledAt.Elapsed}");
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task Message_ClaimedByAnInstanceKilledMidSend_IsSentOnceByTheOther()
    {
        var shop = await cluster.NewDealershipAsync("Killed", customers: 1);
        var held = cluster.Gateway.HoldNext();
        var message = await cluster.QueueSmsAsync(shop.Customers[0], shop.Id);

        // Whichever instance claimed it is now waiting on the gateway: the claim token names its process.
        var key = await held.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(message.IdempotencyKey, key);
        var claim = await cluster.ReadAsync(db => db.ScheduledMessages.AsNoTracking().Where(m => m.Id == message.Id).Select(m => m.ClaimToken).SingleAsync());
        var pid = int.Parse(claim!.Split('-')[0].Split(':')[^1]);
        var victim = cluster.InstanceOfPid(pid);
        Process.GetProcessById(pid).Kill(); // SIGKILL: no shutdown, the claim is left behind
        var killedAt = Stopwatch.StartNew();

        try
        {
            ScheduledMessage? sent = null;
            while (killedAt.Elapsed < TimeSpan.FromSeconds(30))
            {
                sent = await cluster.ReadAsync(db => db.ScheduledMessages.AsNoTracking().SingleAsync(m => m.Id == message.Id));
                if (sent.State == MessageState.Sent) break;
                await Task.Delay(200);
            }
            Assert.Equal(MessageState.Sent, sent!.State);
            output.WriteLine($"Instance {victim} killed mid-send; the message was sent by the other {killedAt.Elapsed.TotalSeconds:F1} s later");
            // The claim lease (4 s here, 15 s by default) is what the other instance waits for, not minutes.
            Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(12), $"sent {killedAt.Elapsed} after the kill");
            Assert.Equal(1, cluster.Gateway.Delivered.GetValueOrDefault(message.IdempotencyKey));
            await Task.Delay(3000); // and nobody sends it again
            Assert.Equal(1, cluster.Gateway.Delivered.GetValueOrDefault(message.IdempotencyKey));
        }
        finally
        {
            await cluster.RestartAsync(victim);
        }
    }

    [Fact]
    public async Task RestartingOneInstance_LosesNoCircuitOnTheOther()
    {
        var shop = await cluster.NewDealershipAsync("Restart");
        var customer = shop.Customers[0];
        var stay = await cluster.NewAgentAsync("Sue Stays", shop.Id);
        var caller = await cluster.NewAgentAsync("Ray Returns", shop.Id);
        await using var watcher = await cluster.SignInAsync(stay.UserName, 1);
        await watcher.GotoAsync("/csi/chase-list");
        await watcher.Page.EvaluateAsync("window.__sameDocument = 'yes'");

        // Instance 2 stops (as a deployment restarts it) and comes back.
        Process.GetProcessById(cluster.Pid(2)).Kill();
        await Task.Delay(1000);
        await cluster.RestartAsync(2);

        // The page on instance 1 is the same document with the same circuit: it still hears what happens on instance 2.
        Assert.Equal("yes", await watcher.Page.EvaluateAsync<string>("window.__sameDocument"));
        await Expect(watcher.Page.Locator("#circuit-state[data-interactive='True']")).ToHaveCountAsync(1);
        await using var other = await cluster.SignInAsync(caller.UserName, 2);
        await other.GotoAsync("/csi/chase-list");
        await other.Row(customer.RecordId).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(watcher.Row(customer.RecordId)).ToContainTextAsync($"Being called by {caller.DisplayName}");
        Assert.Equal("yes", await watcher.Page.EvaluateAsync<string>("window.__sameDocument"));
    }
}

/// <summary>The scheduler's figures for docs/ARCHITECTURE.md (run by hand: KL_MEASURE=1, Category=Measurement).</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Measurement")]
public sealed class ClusterDispatchMeasurement(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Dispatch_ManyDueMessages_AcrossTwoInstances()
    {
        if (Environment.GetEnvironmentVariable("KL_MEASURE") != "1") return;
        var shop = await cluster.NewDealershipAsync("Measure", customers: 1);
        const int count = 2000;
        var started = DateTime.UtcNow;
        await using (var db = await cluster.Services.GetRequiredService<IDbContextFactory<KonnectLive.Core.Data.KonnectDbContext>>().CreateDbContextAsync())
        {
            for (var i = 0; i < count; i++)
                db.ScheduledMessages.Add(new ScheduledMessage
                {
                    SurveyRecordId = shop.Customers[0].RecordId, CustomerId = shop.Customers[0].CustomerId, DealershipId = shop.Id,
                    Channel = MessageChannel.Sms, CustomBody = "measure", CreatedAt = started, DueAt = started, IdempotencyKey = $"measure:{Guid.NewGuid():N}",
                });
            await db.SaveChangesAsync();
        }
        var clock = Stopwatch.StartNew();
        List<(DateTime Due, DateTime? Sent, string? By)> rows = [];
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            rows = await cluster.ReadAsync(db => db.ScheduledMessages.AsNoTracking().Where(m => m.IdempotencyKey.StartsWith("measure:") && m.DealershipId == shop.Id)
                .Select(m => new ValueTuple<DateTime, DateTime?, string?>(m.DueAt, m.SentAt, m.ProviderMessageId)).ToListAsync());
            if (rows.All(r => r.Sent is not null)) break;
            await Task.Delay(250);
        }
        var lags = rows.Where(r => r.Sent is not null).Select(r => (r.Sent!.Value - r.Due).TotalSeconds).Order().ToList();
        output.WriteLine($"{lags.Count}/{count} sent in {clock.Elapsed.TotalSeconds:F1} s: {lags.Count / clock.Elapsed.TotalSeconds:F0} messages/s; " +
                         $"due→sent p50 {lags[lags.Count / 2]:F1} s, p95 {lags[(int)(lags.Count * 0.95)]:F1} s, max {lags[^1]:F1} s; " +
                         $"gateway requests {cluster.Gateway.Received.Count}");
    }
}
