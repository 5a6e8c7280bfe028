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
/// Open on the same customer at the same moment, fifty rounds. The database and the pages must both say
/// one winner each round. In ./test.sh, after the other cluster tests' start of the cluster.
/// </summary>
/// <remarks>
/// Each browser goes through nginx, pinned to its instance by the affinity cookie nginx itself uses (a <c>kl_node</c>
/// value whose consistent hash lands there, checked with the <c>X-KonnectLive-Upstream</c> header), rather than straight
/// to an instance's port: the race then travels the real path — the load balancer, its WebSocket proxying, stickiness —
/// and the split is still exactly ten and ten, not left to the hash's luck. One agent, one browser context (its own
/// cookies) and one page; the twenty contexts share the fixture's one Chromium process.
/// <para>
/// Cheap enough for ./test.sh (README, "Running several instances"): the dealership has ten Awaiting customers, all on the
/// list's first page, and round r races on customer r mod 10, which every page must show Free before the round (the
/// release of its last round has reached all twenty). Nobody waits for twenty pages to reload: a refused Open patches its
/// row from the refusal (ChaseList), and only the winner goes back, with Re-list, from the calling page to the list (in the
/// same circuit, no page load). The agents sign in over HTTP, not through the form in twenty browsers (the browser sign-in
/// through nginx has its own test in <see cref="ClusterTests"/>), and their browsers ask for reduced motion, which the app
/// honours (no spinner or snackbar animation: animations in twenty pages were ≈ 40 % of a round's CPU). The CPU of the
/// instances, Chromium and the servers is read from /proc and logged with the wall time, which a busy machine stretches.
/// </para>
/// </remarks>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterRaceTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int PagesPerInstance = 10;

    /// <summary>The issue's fifty rounds.</summary>
    public const int Rounds = 50;

    /// <summary>
    /// The dealership's customers, raced in turn (round r on customer r mod 10): few rows for twenty pages to draw at each
    /// lock event, all on the list's first page, and each round on a customer other than the last round's, free on every page.
    /// </summary>
    public const int Customers = 10;

    /// <summary>
    /// Resolves true once this page is the chase list, its circuit is live, the record's row says Free (the release of its
    /// last round reached this page) and its Open can be pressed (not disabled by an Open still being answered), false after
    /// <c>timeout</c> ms. It looks again when the page's DOM
    /// changes rather than polling: twenty pages polling with layout would take the CPU that the two instances need.
    /// </summary>
    private const string WhenReady = """
        ({ recordId, timeout }) => new Promise(resolve => {
          const ready = () => {
            if (location.pathname !== '/csi/chase-list' || !document.querySelector("#circuit-state[data-interactive='True']")) return false;
            const row = document.querySelector(`[data-record-id='${recordId}']`)?.closest('tr');
            const button = row?.querySelector("[data-testid='open-button']");
            return !!button && !button.disabled && !!row.querySelector("[data-testid='lock-free']");
          };
          if (ready()) { resolve(true); return; }
          const observer = new MutationObserver(() => { if (ready()) done(true); });
          observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
          const slow = setInterval(() => { if (ready()) done(true); }, 250);
          const limit = setTimeout(() => done(false), timeout);
          function done(result) { observer.disconnect(); clearInterval(slow); clearTimeout(limit); resolve(result); }
        })
        """;

    /// <summary>Resolves true once every row on this chase list is free (no "being called by"), false after <c>timeout</c> ms.</summary>
    private const string WhenAllFree = """
        ({ timeout }) => new Promise(resolve => {
          const free = () => !!document.querySelector("#circuit-state[data-interactive='True']")
            && document.querySelectorAll("tbody [data-testid='lock-badge']").length === 0
            && document.querySelectorAll("tbody [data-testid='lock-free']").length === document.querySelectorAll("tbody [data-record-id]").length;
          if (free()) { resolve(true); return; }
          const observer = new MutationObserver(() => { if (free()) done(true); });
          observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
          const limit = setTimeout(() => done(false), timeout);
          function done(result) { observer.disconnect(); clearTimeout(limit); resolve(result); }
        })
        """;

    /// <summary>
    /// Armed in every page (it returns at once), then released by the clock: at the shared moment it clicks the row's
    /// Open and records what the agent saw — the calling page (won), a new snackbar about this customer (refused, with its
    /// words; closed again), or, after <see cref="QuietMs"/> with no answer, the row naming who is calling (which fails
    /// the round: every loser must be told by its own refusal). A late snackbar
    /// about an earlier round's customer is closed and not taken for this round's answer. It watches DOM changes, with a
    /// slow poll as a backstop.
    /// </summary>
    private const string ArmOpen = """
        ({ recordId, customer, target, timeout, quiet }) => {
          const row = () => document.querySelector(`[data-record-id='${recordId}']`)?.closest('tr');
          const open = () => row()?.querySelector("[data-testid='open-button']");
          const button = open();
          if (!button || button.disabled) { window.__race = Promise.resolve({ outcome: 'no-button', text: '', clickedAt: Date.now(), stale: 0 }); return; }
          const seen = new Set(document.querySelectorAll('.mud-snackbar'));
          let stale = 0;
          window.__race = new Promise(resolve => {
            let clickedAt = 0, observer, slow, limit;
            const finish = result => { observer?.disconnect(); clearInterval(slow); clearTimeout(limit); resolve({ ...result, clickedAt, stale }); };
            const look = () => {
              if (location.pathname === `/csi/call/${recordId}`) return finish({ outcome: 'won', text: '' });
              for (const s of document.querySelectorAll('.mud-snackbar')) {
                if (seen.has(s)) continue;
                seen.add(s);
                const text = s.innerText;
                s.querySelector('button')?.click();
                // A late answer to an earlier round's Open, or the winner's own Re-list of the last one: not this round's.
                if ((text.includes(' is being called by ') && !text.includes(`${customer} is being called by `)) || text.includes(' re-listed.')) { stale++; continue; }
                return finish({ outcome: 'refused', text });
              }
              const badge = row()?.querySelector("[data-testid='lock-badge']");
              // "Being called by you" is this page's own win, patched onto its row by the lock's event before the Open's
              // answer navigated (seen on a quiet run): not an answer; the calling page is.
              const title = badge?.getAttribute('title') ?? '';
              if (badge && Date.now() > clickedAt + quiet && !title.includes('by you')) return finish({ outcome: 'row', text: title });
            };
            const click = () => {
              clickedAt = Date.now();
              open()?.click(); // the button as it is now: a lock arriving first re-draws the row
              observer = new MutationObserver(look);
              observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
              slow = setInterval(look, 100);
              limit = setTimeout(() => finish({ outcome: 'nothing', text: '' }), timeout);
            };
            setTimeout(click, Math.max(0, target - Date.now()));
          });
        }
        """;

    /// <summary>
    /// How long a page waits for its Open's answer before the row naming the winner counts as one. Long: every loser's Open
    /// must be answered before the winner gives the customer back, or an Open still on its way wins the released customer
    /// after the round (seen once at 400 ms, load average 16: a page on the calling page of the last round's customer).
    /// </summary>
    private const int QuietMs = 10_000;

    private sealed record Click(string Outcome, string Text, long ClickedAt, int Stale);

    /// <summary>How long one step of a round may take before the race fails with screenshots (a 2-core box under load).</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Past this the race stops with a failure that says how far it got and how loaded the machine was: inside ./test.sh's
    /// 5-minute hang timeout (<c>--blame-hang-timeout 5m</c>, which kills the whole test process with a dump but no message).
    /// Measured at ≈ 2.5 minutes at load average 60–85.
    /// </summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(
        Environment.GetEnvironmentVariable("KL_RACE_MINUTES") is { } minutes && int.TryParse(minutes, out var m) ? m : 4);

    [Fact]
    public Task TwentySimultaneousOpens_SplitAcrossBothInstances_FiftyRounds_OneWinnerEach() => RaceAsync(Rounds);

    private static readonly string ProgressLog =
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(BrowserFixture.ScreenshotDir))!, "cluster-race.log");

    /// <summary>To the test's output and, as it happens, to artifacts/cluster-race.log (the output is lost if the run is killed).</summary>
    private void Progress(Stopwatch clock, string line)
    {
        line = $"{clock.Elapsed.TotalSeconds,6:F1} s  {line}";
        output.WriteLine(line);
        try { File.AppendAllText(ProgressLog, line + Environment.NewLine); } catch (IOException) { }
    }

    private async Task RaceAsync(int rounds)
    {
        var clock = Stopwatch.StartNew();
        var cpu = new ClusterCpu(cluster);
        var cpuStart = cpu.Read();
        Progress(clock, $"cluster race: {rounds} rounds, starting at {DateTime.UtcNow:HH:mm:ss} UTC; load average {LoadAverage}");
        var shop = await cluster.NewDealershipAsync("Race", customers: Customers);
        var agents = await Task.WhenAll(Enumerable.Range(1, 2 * PagesPerInstance)
            .Select(i => cluster.NewAgentAsync($"Racer{i:D2} Cluster", shop.Id)));

        // Agent i on instance 1 + i % 2: ten pages on each.
        var instanceOf = agents.Select((_, i) => 1 + i % 2).ToArray();
        var affinity = new[] { await cluster.AffinityForAsync(1), await cluster.AffinityForAsync(2) };
        Progress(clock, $"{Customers} customers and twenty agents made");
        // Each agent: signed in, a browser context pinned to their instance, and their chase list with all the race's
        // customers on its one page; the pages drawn a few at a time (the two instances, the database and the twenty
        // renderers share two cores).
        var opened = new AgentSession?[agents.Length];
        var all = Enumerable.Range(0, agents.Length).ToArray();
        var live = 0;
        try
        {
            using (var gate = new SemaphoreSlim(5))
                await Bounded(clock, Task.WhenAll(all.Select(async i =>
                {
                    var session = opened[i] = await OpenSessionAsync(agents[i], instanceOf[i], affinity[instanceOf[i] - 1]);
                    var response = await session.Context.APIRequest.GetAsync("/health/live");
                    var expected = $"{cluster.Instances[instanceOf[i] - 1].Host}:{cluster.Instances[instanceOf[i] - 1].Port}";
                    Assert.Equal(expected, response.Headers.GetValueOrDefault("x-konnectlive-upstream"));
                    await gate.WaitAsync();
                    try
                    {
                        await session.Page.GotoAsync("/csi/chase-list", new() { Timeout = (float)StepTimeout.TotalMilliseconds });
                        await session.WaitInteractiveAsync();
                    }
                    finally { gate.Release(); }
                    Progress(clock, $"page {i + 1} (instance {instanceOf[i]}): signed in, chase list live ({Interlocked.Increment(ref live)} of {agents.Length})");
                })), Remaining(clock), "set-up: twenty agents signed in and their chase lists", opened);
            var sessions = opened.Select(s => s!).ToArray();
            await WaitReadyAsync(clock, sessions, all, shop.Customers[0].RecordId, "set-up");
            var setUp = clock.Elapsed;
            var cpuRaceStart = cpu.Read();
            Progress(clock, $"set-up done; {cpuRaceStart - cpuStart}; load average {LoadAverage}");
            var doubles = 0;
            var winsOnInstance = new int[2];
            List<long> spreads = [];
            var auditStart = await LastAuditIdAsync();
            var racing = Stopwatch.StartNew();
            long margin = 200;
            var recentArming = new Queue<long>();
            var (told, sawOnRow, stale) = (0, 0, 0);
            var (ready, arm, answer, back) = (new Stopwatch(), new Stopwatch(), new Stopwatch(), new Stopwatch());
            for (var round = 1; round <= rounds; round++)
            {
                if (clock.Elapsed > Budget)
                    Assert.Fail($"The race ran out of its {Budget.TotalMinutes} minutes after {round - 1} of {rounds} rounds (all single winners so far): " +
                                $"set-up {setUp.TotalSeconds:F0} s, rounds {racing.Elapsed.TotalSeconds:F0} s; {Starved}");
                var customer = shop.Customers[(round - 1) % Customers];

                // Every page on the list with this round's Open pressable: the losers' pages are there at once (their last
                // refused Open answered), the last winner's once it is back from the calling page.
                ready.Start();
                // This round's lock.acquired entries come after this one (the customer's earlier rounds' before it).
                var auditMark = LastAuditIdAsync();
                await WaitReadyAsync(clock, sessions, all, customer.RecordId, $"round {round}");
                var since = await auditMark;
                ready.Stop();

                // One signal for all twenty: a moment shortly ahead on the machine's clock, which every page shares.
                arm.Start();
                var target = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + margin;
                var arming = Stopwatch.StartNew();
                await Bounded(clock, Task.WhenAll(sessions.Select(s => s.Page.EvaluateAsync(ArmOpen,
                        new { recordId = customer.RecordId, customer = customer.Name, target, timeout = StepTimeout.TotalMilliseconds, quiet = QuietMs }))),
                    StepTimeout, $"round {round}: arming the twenty pages", sessions, round);
                // Far enough ahead for twice the slowest of the last three armings (a page armed after the moment clicks at once).
                recentArming.Enqueue(arming.ElapsedMilliseconds);
                if (recentArming.Count > 3) recentArming.Dequeue();
                margin = Math.Clamp(2 * recentArming.Max(), 150, 1_500);
                arm.Stop();
                answer.Start();
                var clicks = (await Bounded(clock, Task.WhenAll(sessions.Select(s => s.Page.EvaluateAsync<JsonElement>("() => window.__race"))),
                        StepTimeout + TimeSpan.FromSeconds(5), $"round {round}: the pages' answers to Open", sessions, round))
                    .Select(j => new Click(j.GetProperty("outcome").GetString()!, j.GetProperty("text").GetString()!,
                        (long)j.GetProperty("clickedAt").GetDouble(), j.GetProperty("stale").GetInt32()))
                    .ToArray();
                answer.Stop();

                // What the pages say: one calling page, and every other agent told who is calling.
                var won = all.Where(i => clicks[i].Outcome == "won").ToList();
                var winner = won.Count == 1 ? agents[won[0]] : null;
                var toldWho = winner is null ? 0 : clicks.Count(c => c.Outcome == "refused" && c.Text.Contains($"{customer.Name} is being called by {winner.DisplayName}"));
                var rowSays = winner is null ? 0 : clicks.Count(c => c.Outcome == "row" && c.Text == $"Being called by {winner.DisplayName}");
                spreads.Add(clicks.Max(c => c.ClickedAt) - clicks.Min(c => c.ClickedAt));
                if (won.Count > 1) doubles++;
                // Every loser told by its own refusal: a row that names the winner is not enough (it says nothing of that Open).
                if (winner is null || toldWho != clicks.Length - 1)
                {
                    await ScreenshotAllAsync(sessions, $"failure-cluster-race-round{round}");
                    Assert.Fail($"Round {round} (customer {customer.RecordId}): pages won {won.Count}, told who {toldWho}, row says {rowSays}; outcomes: " +
                                string.Join(" | ", clicks.Select((c, i) => $"page {i + 1} (instance {instanceOf[i]}) {c.Outcome} {c.Text}".Trim())));
                }
                var theWinner = winner!;
                told += toldWho;
                sawOnRow += rowSays;
                stale += clicks.Sum(c => c.Stale);
                winsOnInstance[instanceOf[won[0]] - 1]++;

                // The winner gives the customer back with Re-list, as an agent would, and is on the list again for the next
                // round; the other nineteen pages stay. The database is read for this round meanwhile.
                back.Start();
                var acquiredTask = cluster.ReadAsync(db => db.AuditEntries.AsNoTracking()
                    .Where(a => a.Id > since && a.Action == CallLockService.AcquiredAction && a.EntityId == customer.RecordId.ToString())
                    .Select(a => a.UserId).ToListAsync());
                var winnerPage = sessions[won[0]];
                try
                {
                    await winnerPage.Page.GetByTestId("relist-button").ClickAsync(new() { Timeout = (float)StepTimeout.TotalMilliseconds });
                    await winnerPage.WaitForUrlOrScreenshotAsync("/csi/chase-list", $"failure-cluster-race-round{round}-back");
                }
                catch (PlaywrightException e)
                {
                    await ScreenshotAllAsync([winnerPage], $"failure-cluster-race-round{round}-relist");
                    Assert.Fail($"Round {round}: the winner (page {won[0] + 1}, instance {instanceOf[won[0]]}) could not go back to the list with Re-list: {e.Message.Split('\n')[0]}");
                }

                // What the database says: the lock audit of this customer names the page's winner and nobody else. An agent
                // is one winner however many lock.acquired rows name them: on a starved machine the calling page can outlive
                // the test's 6 s lease before it adopts it, and then takes it again for the same agent.
                var acquired = await acquiredTask;
                back.Stop();
                if (acquired.Distinct().Count() > 1) doubles++;
                if (acquired.Count == 0 || acquired.Any(u => u != theWinner.UserId))
                {
                    await ScreenshotAllAsync(sessions, $"failure-cluster-race-round{round}-audit");
                    Assert.Fail($"Round {round} (customer {customer.RecordId}): the page winner is {theWinner.DisplayName} ({theWinner.UserId}) on instance " +
                                $"{instanceOf[won[0]]}, the audit's lock.acquired rows name [{string.Join(", ", acquired)}]");
                }
                if (round % 10 == 0 || round == 1)
                    Progress(clock, $"round {round}: won on instance {instanceOf[won[0]]}; so far ready {ready.ElapsedMilliseconds} ms, arming {arm.ElapsedMilliseconds}, " +
                                    $"answers {answer.ElapsedMilliseconds}, winner back + database {back.ElapsedMilliseconds}; per round {(cpu.Read() - cpuRaceStart).Per(round)}; load average {LoadAverage}");
            }

            spreads.Sort();
            var cpuRaces = cpu.Read() - cpuRaceStart;
            Progress(clock, $"cluster race: set-up {cpuRaceStart - cpuStart}; a round {cpuRaces.Per(rounds)}");
            Progress(clock, $"cluster race: {rounds} rounds × {sessions.Length} Opens over 2 instances, {rounds - doubles} single winners, {doubles} double");
            Progress(clock, $"cluster race: winners on instance 1 {winsOnInstance[0]}, instance 2 {winsOnInstance[1]}; of the {rounds * (sessions.Length - 1)} other Opens " +
                            $"{told} were told who is calling, {sawOnRow} saw it on the row (their click reached the server after the row re-drew); " +
                            $"{stale} late snackbars of an earlier round set aside; the 20 clicks of a round landed within p50 {spreads[spreads.Count / 2]} ms, max {spreads[^1]} ms of each other");
            Progress(clock, $"cluster race: set-up {setUp.TotalSeconds:F1} s (customers, 20 agents, sign-ins, contexts, chase lists), rounds {racing.Elapsed.TotalSeconds:F1} s " +
                            $"({racing.Elapsed.TotalSeconds / rounds:F2} s a round) = ready {ready.Elapsed.TotalSeconds:F1} s + arming {arm.Elapsed.TotalSeconds:F1} s + " +
                            $"answers {answer.Elapsed.TotalSeconds:F1} s + winner back and database {back.Elapsed.TotalSeconds:F1} s; last margin {margin} ms; load average {LoadAverage}");
            Assert.Equal(0, doubles);
            // Every round's lock was given back: each customer has a release in the audit, and nobody holds any of them.
            var ids = shop.Customers.Select(c => c.RecordId.ToString()).ToList();
            var released = await cluster.ReadAsync(db => db.AuditEntries.AsNoTracking()
                .Where(a => a.Id > auditStart && a.Action == CallLockService.ReleasedAction && ids.Contains(a.EntityId!))
                .Select(a => a.EntityId).Distinct().CountAsync());
            Assert.Equal(Math.Min(rounds, Customers), released);
            var recordIds = shop.Customers.Select(c => c.RecordId).ToList();
            Assert.Equal(0, await cluster.ReadAsync(db => db.SurveyRecords.AsNoTracking().CountAsync(r => recordIds.Contains(r.Id) && r.LockHolderId != null)));
            // And every page, after a hundred lock events and its refusals, shows every customer free: no row left "being
            // called" by an event that a load or a refusal overwrote (ChaseListLoadRaceTests, ChaseListRefusedOpenTests).
            var allFree = await Task.WhenAll(sessions.Select(s => s.Page.EvaluateAsync<bool>(WhenAllFree, new { timeout = StepTimeout.TotalMilliseconds })
                .WaitAsync(StepTimeout + TimeSpan.FromSeconds(5))));
            if (allFree.Any(free => !free))
            {
                var stuck = all.Where(i => !allFree[i]).ToArray();
                await ScreenshotAllAsync([.. stuck.Select(i => sessions[i])], "failure-cluster-race-not-free-at-end");
                Assert.Fail($"After the race, page(s) {string.Join(", ", stuck.Select(i => i + 1))} still showed a customer being called");
            }
            Progress(clock, "cluster race: every page shows every customer free");
        }
        finally
        {
            await Task.WhenAll(opened.OfType<AgentSession>().Select(s => s.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
            Progress(clock, "cluster race: browser contexts closed");
        }
    }

    /// <summary>
    /// A browser profile pinned to instance <paramref name="n"/> through nginx, signed in with the cookie of a form sign-in
    /// at that instance (set-up: the browser sign-in through the load balancer has its own test in ClusterTests).
    /// </summary>
    private async Task<AgentSession> OpenSessionAsync(TestAgent agent, int n, string affinity)
    {
        using var signedIn = await cluster.SignInHttpAsync(agent.UserName, n);
        var context = await cluster.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = cluster.LoadBalancer.ToString(), ViewportSize = new ViewportSize { Width = 1024, Height = 600 },
            // As an agent who asked their system for reduced motion: the app then draws no spinner or snackbar animation,
            // which in twenty pages on two cores cost ≈ 40 % of a round's CPU (README, "Running several instances").
            ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout((float)StepTimeout.TotalMilliseconds);
        List<Microsoft.Playwright.Cookie> cookies =
            [new() { Name = "kl_node", Value = affinity, Domain = cluster.LoadBalancer.Host, Path = "/" }];
        foreach (System.Net.Cookie c in signedIn.Cookies.GetCookies(cluster.Instances[n - 1]))
            cookies.Add(new() { Name = c.Name, Value = c.Value, Domain = cluster.LoadBalancer.Host, Path = "/", HttpOnly = true });
        await context.AddCookiesAsync(cookies);
        return new AgentSession(context, await context.NewPageAsync());
    }

    private Task<long> LastAuditIdAsync() => cluster.ReadAsync(async db => await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0);

    /// <summary>Waits until the record's Open is pressable on each of <paramref name="which"/> pages; on failure, screenshots and names the pages still waiting.</summary>
    private async Task WaitReadyAsync(Stopwatch clock, AgentSession[] sessions, int[] which, int recordId, string when)
    {
        var waits = which.Select(i => sessions[i].Page.EvaluateAsync<bool>(WhenReady, new { recordId, timeout = StepTimeout.TotalMilliseconds })
            .WaitAsync(StepTimeout + TimeSpan.FromSeconds(5))).ToArray();
        try
        {
            await Task.WhenAll(waits);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { }
        var late = which.Where((_, k) => !waits[k].IsCompletedSuccessfully || !waits[k].Result).ToArray();
        if (late.Length == 0) return;
        await ScreenshotAllAsync([.. late.Select(i => sessions[i])], $"failure-cluster-race-not-ready-{when.Replace(' ', '-')}");
        Assert.Fail($"{when}: customer {recordId}'s Open was not pressable on the chase list within {StepTimeout.TotalSeconds:F0} s on page(s) " +
                    $"{string.Join(", ", late.Select(i => $"{i + 1} ({sessions[i].Page.Url})"))}, {clock.Elapsed.TotalSeconds:F0} s into the race; {Starved}");
    }

    /// <summary>
    /// <paramref name="step"/> within <paramref name="within"/>, or a failure that says which step of which round, with a
    /// screenshot of every page: a page whose renderer or circuit stopped answering must not hang the run.
    /// </summary>
    private async Task<T> Bounded<T>(Stopwatch clock, Task<T> step, TimeSpan within, string what, IReadOnlyList<AgentSession?>? sessions = null, int round = 0)
    {
        try
        {
            return await step.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            if (sessions is not null) await ScreenshotAllAsync([.. sessions.OfType<AgentSession>()], $"failure-cluster-race-round{round}-timeout");
            Assert.Fail($"{what}: no answer within {within.TotalSeconds:F0} s, {clock.Elapsed.TotalSeconds:F0} s into the race; {Starved}");
            throw;
        }
    }

    private async Task Bounded(Stopwatch clock, Task step, TimeSpan within, string what, IReadOnlyList<AgentSession?>? sessions = null) =>
        await Bounded(clock, step.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), within, what, sessions);

    /// <summary>What is left of <see cref="Budget"/>: the set-up's steps may take it all on a loaded machine, no more.</summary>
    private static TimeSpan Remaining(Stopwatch clock) => Budget - clock.Elapsed > TimeSpan.FromSeconds(1) ? Budget - clock.Elapsed : TimeSpan.FromSeconds(1);

    private static string LoadAverage => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Starved =>
        $"load average {LoadAverage} (two cores: other work on the machine starves the two instances and twenty pages)";

    private async Task ScreenshotAllAsync(IReadOnlyList<AgentSession> sessions, string name)
    {
        try
        {
            await Task.WhenAll(sessions.Select((s, i) => s.ScreenshotAsync($"{name}-page{i + 1}"))).WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            output.WriteLine($"screenshots for {name} not all taken: {e.Message.Split('\n')[0]}");
        }
    }
}
