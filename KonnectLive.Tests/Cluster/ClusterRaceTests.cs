using System.Diagnostics;
using System.Text.Json;
using KonnectLive.Core.Calling;
using KonnectLive.Tests.Browser;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Cluster;

/// <summary>
/// The lock race across the cluster, as agents meet it: twenty agents of one dealership, ten on each instance, press
/// Open on the same customer at the same moment, fifty times. The database and the pages must both say one winner.
/// </summary>
/// <remarks>
/// Each browser goes through nginx, pinned to its instance by the affinity cookie nginx itself uses (a <c>kl_node</c>
/// value whose consistent hash lands there, checked with the <c>X-KonnectLive-Upstream</c> header), rather than straight
/// to an instance's port: the race then travels the real path — the load balancer, its WebSocket proxying, stickiness —
/// and the split is still exactly ten and ten, not left to the hash's luck. The pages stay on the chase list; only the
/// click repeats, and the round's winner gives the customer back with Re-list, as an agent would.
/// </remarks>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterRaceTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Rounds = 50;
    private const int PagesPerInstance = 10;

    /// <summary>
    /// Armed in every page (it returns at once), then released by the clock: at the shared moment it clicks the row's
    /// Open and records what the agent saw — the calling page (won), a new snackbar (refused, with its words; closed again
    /// so that the next round's answer is new), or, when the click reached the server only after the winner's lock had
    /// re-drawn the row (Blazor drops an event for a button that is gone), no answer but the row naming who is calling.
    /// </summary>
    private const string ArmOpen = """
        ({ recordId, target, timeout, quiet }) => {
          const open = () => document.querySelector(`tr:has([data-record-id='${recordId}']) [data-testid='open-button']`);
          const button = open();
          if (!button || button.disabled) { window.__race = Promise.resolve({ outcome: 'no-button', text: '', clickedAt: Date.now() }); return; }
          const seen = new Set(document.querySelectorAll('.mud-snackbar'));
          window.__race = (async () => {
            const late = Date.now() > target;
            if (!late) await new Promise(r => setTimeout(r, target - Date.now()));
            const clickedAt = Date.now();
            open().click(); // the button as it is now: a lock arriving first re-draws the row
            while (Date.now() < clickedAt + timeout) {
              if (location.pathname === `/csi/call/${recordId}`) return { outcome: 'won', text: '', clickedAt };
              const fresh = [...document.querySelectorAll('.mud-snackbar')].find(s => !seen.has(s));
              if (fresh) {
                const text = fresh.innerText;
                fresh.querySelector('button')?.click();
                return { outcome: 'refused', text, clickedAt };
              }
              const badge = document.querySelector(`tr:has([data-record-id='${recordId}']) [data-testid='lock-badge']`);
              if (badge && Date.now() > clickedAt + quiet) return { outcome: 'row', text: badge.getAttribute('title') ?? '', clickedAt };
              await new Promise(r => setTimeout(r, 15));
            }
            return { outcome: 'nothing', text: '', clickedAt };
          })();
        }
        """;

    /// <summary>The row is free on this page and its Open can be pressed.</summary>
    private const string RowFree = """
        recordId => {
          const row = document.querySelector(`tr:has([data-record-id='${recordId}'])`);
          const button = row?.querySelector("[data-testid='open-button']");
          return !!row && !!button && !button.disabled && row.innerText.includes('Free')
            && !!document.querySelector("#circuit-state[data-interactive='True']");
        }
        """;

    private sealed record Click(string Outcome, string Text, long ClickedAt);

    // Not in ./test.sh yet: at 50 rounds it runs for minutes on two cores and once hung past the 5-minute hang timeout;
    // run it by hand (README, "Running several instances") until it is fast and steady enough for every run.
    [Fact, Trait("Category", "Measurement")]
    public async Task TwentySimultaneousOpens_SplitAcrossBothInstances_FiftyRounds_OneWinnerEach()
    {
        var clock = Stopwatch.StartNew();
        var shop = await cluster.NewDealershipAsync("Race", customers: 1);
        var customer = shop.Customers[0];
        List<TestAgent> agents = [];
        for (var i = 1; i <= 2 * PagesPerInstance; i++) agents.Add(await cluster.NewAgentAsync($"Racer{i:D2} Cluster", shop.Id));

        // Agent i on instance 1 + i % 2: ten pages on each.
        var instanceOf = agents.Select((_, i) => 1 + i % 2).ToArray();
        var sessions = await Task.WhenAll(agents.Select((a, i) => OpenSessionAsync(a, instanceOf[i])));
        try
        {
            for (var i = 0; i < sessions.Length; i++)
            {
                var response = await sessions[i].Context.APIRequest.GetAsync("/health/live");
                var expected = $"{cluster.Instances[instanceOf[i] - 1].Host}:{cluster.Instances[instanceOf[i] - 1].Port}";
                Assert.Equal(expected, response.Headers.GetValueOrDefault("x-konnectlive-upstream"));
            }
            // Twenty chase lists drawn a few at a time: set-up, on a machine that also runs both instances and the database.
            using (var gate = new SemaphoreSlim(4))
                await Task.WhenAll(sessions.Select(async s =>
                {
                    await gate.WaitAsync();
                    try { await s.GotoAsync("/csi/chase-list"); await WaitFreeAsync(s, customer.RecordId); }
                    finally { gate.Release(); }
                }));
            var setUp = clock.Elapsed;

            var singles = 0;
            var doubles = 0;
            var winsOnInstance = new int[2];
            List<long> spreads = [];
            var auditStart = await cluster.ReadAsync(db => db.AuditEntries.MaxAsync(a => (long?)a.Id)) ?? 0;
            var racing = Stopwatch.StartNew();
            long margin = 300;
            var told = 0;
            var sawOnRow = 0;
            for (var round = 1; round <= Rounds; round++)
            {
                var auditBefore = await cluster.ReadAsync(db => db.AuditEntries.MaxAsync(a => (long?)a.Id)) ?? 0;
                // One signal for all twenty: a moment shortly ahead on the machine's clock, which every page shares (far
                // enough ahead for the slowest arming seen so far to land before it).
                var target = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + margin;
                var arming = Stopwatch.StartNew();
                await Task.WhenAll(sessions.Select(s =>
                    s.Page.EvaluateAsync(ArmOpen, new { recordId = customer.RecordId, target, timeout = 20_000, quiet = 300 })));
                margin = Math.Clamp(3 * arming.ElapsedMilliseconds, margin, 1_500);
                var clicks = (await Task.WhenAll(sessions.Select(s => s.Page.EvaluateAsync<JsonElement>("() => window.__race"))))
                    .Select(j => new Click(j.GetProperty("outcome").GetString()!, j.GetProperty("text").GetString()!, (long)j.GetProperty("clickedAt").GetDouble()))
                    .ToArray();

                // What the database says: the lock audit of this round, and who holds the row now.
                var acquired = await cluster.ReadAsync(db => db.AuditEntries.AsNoTracking()
                    .Where(a => a.Id > auditBefore && a.Action == CallLockService.AcquiredAction && a.EntityId == customer.RecordId.ToString())
                    .Select(a => a.UserId).ToListAsync());
                var holder = await cluster.ReadAsync(db => db.SurveyRecords.AsNoTracking()
                    .Where(r => r.Id == customer.RecordId).Select(r => r.LockHolderId).SingleAsync());

                // What the pages say: one calling page, and every other agent told who is calling.
                var won = Enumerable.Range(0, clicks.Length).Where(i => clicks[i].Outcome == "won").ToList();
                var winner = won.Count == 1 ? agents[won[0]] : null;
                var toldWho = winner is null ? 0 : clicks.Count(c => c.Outcome == "refused" && c.Text.Contains($"being called by {winner.DisplayName}"));
                var rowSays = winner is null ? 0 : clicks.Count(c => c.Outcome == "row" && c.Text == $"Being called by {winner.DisplayName}");
                spreads.Add(clicks.Max(c => c.ClickedAt) - clicks.Min(c => c.ClickedAt));

                // An agent is a winner once however many lock.acquired rows name them: on a starved machine the calling page can
                // outlive the test's 6 s lease before it adopts it, and then takes it again for the same agent.
                var winners = acquired.Distinct().ToList();
                if (won.Count > 1 || winners.Count > 1) doubles++;
                var single = winner is not null && winners.Count == 1 && winners[0] == winner.UserId && holder == winner.UserId
                             && toldWho + rowSays == clicks.Length - 1;
                if (!single)
                {
                    await Task.WhenAll(sessions.Select((s, i) => s.ScreenshotAsync($"failure-cluster-race-round{round}-page{i + 1}")));
                    Assert.Fail($"Round {round}: pages won {won.Count}, audit acquired {acquired.Count} ({string.Join(", ", acquired)}), " +
                                $"holder {holder}, told who {toldWho}, row says {rowSays}; outcomes: {string.Join(" | ", clicks.Select(c => $"{c.Outcome} {c.Text}".Trim()))}");
                }
                singles++;
                told += toldWho;
                sawOnRow += rowSays;
                winsOnInstance[instanceOf[won[0]] - 1]++;

                // The winner gives the customer back, as an agent would; every page sees the row free before the next round.
                var winnerPage = sessions[won[0]];
                await winnerPage.Page.GetByTestId("relist-button").ClickAsync();
                await winnerPage.WaitForUrlOrScreenshotAsync("/csi/chase-list", $"failure-cluster-race-relist-{round}");
                await Task.WhenAll(sessions.Select(s => WaitFreeAsync(s, customer.RecordId)));
            }

            spreads.Sort();
            output.WriteLine($"cluster race: {Rounds} rounds × {sessions.Length} Opens over 2 instances, {singles} single winners, {doubles} double");
            output.WriteLine($"cluster race: winners on instance 1 {winsOnInstance[0]}, instance 2 {winsOnInstance[1]}; of the {Rounds * (sessions.Length - 1)} other Opens " +
                             $"{told} were told who is calling, {sawOnRow} saw it on the row (their click reached the server after the row re-drew); " +
                             $"the 20 clicks of a round landed within p50 {spreads[spreads.Count / 2]} ms, max {spreads[^1]} ms of each other; " +
                             $"set-up {setUp.TotalSeconds:F0} s, rounds {racing.Elapsed.TotalSeconds:F0} s");
            Assert.Equal(Rounds, singles);
            Assert.Equal(0, doubles);
            // Every round's lock was given back: the audit has as many releases as takes, and the row is free.
            Assert.Equal(Rounds, await cluster.ReadAsync(db => db.AuditEntries.CountAsync(a =>
                a.Id > auditStart && a.Action == CallLockService.ReleasedAction && a.EntityId == customer.RecordId.ToString())));
            Assert.Null(await cluster.ReadAsync(db => db.SurveyRecords.AsNoTracking().Where(r => r.Id == customer.RecordId).Select(r => r.LockHolderId).SingleAsync()));
        }
        finally
        {
            await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// A browser profile pinned to instance <paramref name="n"/> through nginx, signed in with the cookie of a form sign-in
    /// at that instance (set-up: the browser sign-in through the load balancer has its own test in ClusterTests).
    /// </summary>
    private async Task<AgentSession> OpenSessionAsync(TestAgent agent, int n)
    {
        using var signedIn = await cluster.SignInHttpAsync(agent.UserName, n);
        var context = await cluster.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = cluster.LoadBalancer.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        context.SetDefaultTimeout(60_000);
        List<Microsoft.Playwright.Cookie> cookies =
            [new() { Name = "kl_node", Value = await cluster.AffinityForAsync(n), Domain = cluster.LoadBalancer.Host, Path = "/" }];
        foreach (System.Net.Cookie c in signedIn.Cookies.GetCookies(cluster.Instances[n - 1]))
            cookies.Add(new() { Name = c.Name, Value = c.Value, Domain = cluster.LoadBalancer.Host, Path = "/", HttpOnly = true });
        await context.AddCookiesAsync(cookies);
        return new AgentSession(context, await context.NewPageAsync());
    }

    private static async Task WaitFreeAsync(AgentSession session, int recordId)
    {
        try
        {
            await session.Page.WaitForFunctionAsync(RowFree, recordId, new() { PollingInterval = 20, Timeout = 20_000 });
        }
        catch (PlaywrightException)
        {
            await session.ScreenshotAsync($"failure-cluster-race-not-free-{recordId}");
            throw;
        }
    }
}
