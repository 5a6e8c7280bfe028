using System.Security.Claims;
using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Pages.Supervisor;
using KonnectLive.Desktop.Identity;
using KonnectLive.Desktop.Live;
using KonnectLive.Tests.Components.Pages.Csi;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Supervisor;

/// <summary>The live board on the real services, signed in as a supervisor of <see cref="CsiPageTest.DealershipId"/>.</summary>
public sealed class LiveBoardTests : CsiPageTest
{
    private UserScope _supervisor = null!;

    public LiveBoardTests() => Ctx.Services.AddSingleton<PresenceTracker>();

    private PresenceTracker Presence => Ctx.Services.GetRequiredService<PresenceTracker>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Ctx.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "sasha", DisplayName = "Sasha Supervisor", DealershipId = DealershipId };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Supervisor)).Succeeded);
        _supervisor = (await scope.ServiceProvider.GetRequiredService<UserScopeLoader>().LoadAsync(user.Id))!;
        // Alice and Bob are the dealership's agents: the board lists holders of the Agent role.
        foreach (var agent in new[] { Me, Other })
            Assert.True((await users.AddToRoleAsync((await users.FindByIdAsync(agent.UserId))!, Roles.Agent)).Succeeded);
        Auth.SetAuthorized(_supervisor.DisplayName);
        Auth.SetRoles(Roles.Supervisor); // before the claims: setting roles rebuilds the principal
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _supervisor.UserId));
        Auth.SetPolicies(Policies.Supervision);
    }

    private IRenderedComponent<LiveBoard> RenderBoard()
    {
        Ctx.Render<MudPopoverProvider>();
        var cut = Ctx.Render<LiveBoard>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=calls-table]")), Patience);
        return cut;
    }

    private static IReadOnlyList<string> CallRows(IRenderedComponent<LiveBoard> cut) =>
        cut.FindAll("[data-testid=call-row]").Select(r => string.Join(" | ",
            r.QuerySelectorAll("[data-testid=call-agent], [data-testid=call-customer]").Select(e => e.TextContent.Trim()))).ToList();

    [Fact]
    public async Task Render_HeldLock_ListsAgentCustomerAndARunningTimer()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Other, recordId);

        var cut = RenderBoard();

        cut.WaitForAssertion(() => Assert.Equal(["Bob Jones | Mrs Ada Lovelace"], CallRows(cut)), Patience);
        var row = cut.Find($"[data-testid=call-row][data-record-id='{recordId}']");
        Assert.Contains("Leeds Motors", row.TextContent);
        Assert.Equal("00:00", cut.Find("[data-testid=call-timer]").TextContent.Trim());

        Time.Advance(TimeSpan.FromSeconds(7)); // the page's 1 s clock runs on the injected TimeProvider

        cut.WaitForAssertion(() => Assert.Equal("00:07", cut.Find("[data-testid=call-timer]").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task Render_OtherDealershipsLock_IsNotShownToADealershipSupervisor()
    {
        var york = await AddRecordAsync("Mr", "York", "Customer", dealershipId: OtherDealershipId);
        var yorkAgent = new UserScope("york-agent", "Yasmin York", OtherDealershipId, true, [Roles.Agent]);
        await LockAsAsync(yorkAgent, york);

        var cut = RenderBoard();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-calls]")), Patience);
        Assert.DoesNotContain("York Customer", cut.Markup);
    }

    [Fact]
    public async Task LiveEvent_LockTaken_AddsTheCallWithoutReload()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var cut = RenderBoard();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-calls]")), Patience);

        await LockAsAsync(Me, recordId);

        cut.WaitForAssertion(() => Assert.Equal(["Alice Agent | Mrs Ada Lovelace"], CallRows(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=no-calls]"));
    }

    [Fact]
    public async Task LiveEvent_AttemptRecorded_UpdatesTodaysFigures()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Other, recordId);
        int noAnswer;
        await using (var db = await CreateDbAsync()) noAnswer = await db.CallOutcomes.Where(o => o.Name == "No answer").Select(o => o.Id).SingleAsync();
        var cut = RenderBoard();
        cut.WaitForAssertion(() => Assert.Contains("No attempts yet today.", cut.Find("[data-testid=attempts-by-agent]").TextContent), Patience);

        await Ctx.Services.GetRequiredService<CallingService>()
            .RecordAttemptAsync(Other, new RecordAttemptCommand(recordId, noAnswer, null, Now, null, PageToken: TestPage.Token));

        cut.WaitForAssertion(() =>
        {
            var byAgent = cut.Find("[data-testid=attempts-by-agent] tbody tr");
            Assert.Equal(["Bob Jones", "1"], byAgent.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
            var byOutcome = cut.Find("[data-testid=attempts-by-outcome] tbody tr");
            Assert.Equal(["No answer", "1"], byOutcome.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
            Assert.Empty(cut.FindAll("[data-testid=call-row]"));
        }, Patience);
    }

    [Fact]
    public async Task Presence_SignedInAgents_ShowWhetherEachIsOnACall_OwnDealershipOnly()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        Presence.CircuitOpened("c-alice", new PresentUser(Me.UserId, Me.DisplayName, DealershipId, true, Now));
        Presence.CircuitOpened("c-bob", new PresentUser(Other.UserId, Other.DisplayName, DealershipId, true, Now));
        Presence.CircuitOpened("c-york", new PresentUser("york-agent", "Yasmin York", OtherDealershipId, true, Now));
        await LockAsAsync(Other, recordId);

        var cut = RenderBoard();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=presence-row]").ToDictionary(r => r.GetAttribute("data-user-id")!,
                r => r.QuerySelector("[data-testid=presence-state]")!.TextContent.Trim());
            Assert.Equal(2, rows.Count);
            Assert.Equal("Not on a call", rows[Me.UserId]);
            Assert.Equal("On a call with Mrs Ada Lovelace", rows[Other.UserId]);
        }, Patience);
        Assert.DoesNotContain("Yasmin York", cut.Markup);

        Presence.CircuitClosed("c-alice"); // Alice signs out: gone at once

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=presence-row]")), Patience);
    }

    [Fact]
    public async Task Presence_SignedInSupervisorAndAdminWithCsiVoice_AreNotListedAsAgents()
    {
        await using (var scope = Ctx.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = new AppUser { UserName = "ada", DisplayName = "Ada Admin", DealershipId = DealershipId, CsiVoiceEnabled = true };
            Assert.True((await users.CreateAsync(admin)).Succeeded);
            Assert.True((await users.AddToRoleAsync(admin, Roles.Admin)).Succeeded);
            Presence.CircuitOpened("c-ada", new PresentUser(admin.Id, admin.DisplayName, DealershipId, true, Now));
        }
        Presence.CircuitOpened("c-sasha", new PresentUser(_supervisor.UserId, _supervisor.DisplayName, DealershipId, true, Now));
        Presence.CircuitOpened("c-alice", new PresentUser(Me.UserId, Me.DisplayName, DealershipId, true, Now));

        var cut = RenderBoard();

        cut.WaitForAssertion(() => Assert.Equal([Me.UserId], PresenceStates(cut).Keys), Patience);
        Assert.DoesNotContain("Ada Admin", cut.Find("[data-testid=presence-table]").TextContent);
        Assert.DoesNotContain("Sasha Supervisor", cut.Find("[data-testid=presence-table]").TextContent);

        // Bob signs in later: an agent, listed live.
        Presence.CircuitOpened("c-bob", new PresentUser(Other.UserId, Other.DisplayName, DealershipId, true, Now));
        cut.WaitForAssertion(() => Assert.Equal(2, PresenceStates(cut).Count), Patience);
    }

    [Fact]
    public async Task ForceRelease_ReasonGiven_ReleasesTheLockAndSaysSo()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        await LockAsAsync(Other, recordId);
        var dialogs = Ctx.Render<MudDialogProvider>();
        var snackbars = Ctx.Render<MudSnackbarProvider>();
        var cut = RenderBoard();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=call-row]")), Patience);

        // The click's handler waits for the dialog's answer, so it completes only after Release below.
        var click = cut.Find("[data-testid=force-release]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll(".mud-dialog textarea")), Patience);
        dialogs.Find(".mud-dialog textarea").Input("Bob went home");
        await dialogs.Find("[data-testid=force-release-confirm]").ClickAsync(new());
        await click;

        await EventuallyAsync(async () => (await GetRecordAsync(recordId)).LockHolderId is null, "the lock is cleared");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-calls]")), Patience);
        snackbars.WaitForAssertion(() => Assert.Contains("Mrs Ada Lovelace released from Bob Jones.", snackbars.Markup), Patience);
    }

    private async Task<InboundCaller> TelephonyClientAsync()
    {
        await using var db = await CreateDbAsync();
        var client = new ApiClient { ClientId = $"pbx-{Guid.NewGuid():N}"[..20], Name = "PBX", SecretHash = "x", CreatedAt = Now, Scopes = ApiScopes.Telephony };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync();
        return new InboundCaller(client.Id, client.ClientId);
    }

    /// <summary>Call events as the phone system posts them to POST /api/v1/telephony/events.</summary>
    private async Task PhoneSystemSaysAsync(InboundCaller pbx, params string[] events)
    {
        var outcome = await Ctx.Services.GetRequiredService<TelephonyEventService>().IngestAsync(pbx, $$"""{"events":[{{string.Join(",", events)}}]}""");
        Assert.True(outcome.StatusCode == 200, outcome.Error);
    }

    private string CallEvent(string id, string call, string type, string agent, string extra = "") =>
        $$"""{"eventId":"{{id}}","callId":"{{call}}","type":"{{type}}","occurredAt":"{{Now:yyyy-MM-ddTHH:mm:ssZ}}","agent":"{{agent}}"{{extra}}}""";

    /// <summary>
    /// The board reloads at most once per interval on the injected clock, and a burst of events (a pop, then the agent's
    /// state) leaves the last reload waiting on it: the clock is moved on until the board shows the change.
    /// </summary>
    private void WaitForReload(IRenderedComponent<LiveBoard> cut, Action assertion)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                cut.WaitForAssertion(assertion, TimeSpan.FromMilliseconds(500));
                return;
            }
            catch (Exception) when (i < 10)
            {
                Time.Advance(LiveBoard.ReloadInterval);
            }
        }
    }

    private static Dictionary<string, string> PresenceStates(IRenderedComponent<LiveBoard> cut) =>
        cut.FindAll("[data-testid=presence-row]").ToDictionary(r => r.GetAttribute("data-user-id")!,
            r => r.QuerySelector("[data-testid=presence-state]")!.TextContent.Trim());

    [Fact]
    public async Task PhoneSystemCall_AgentWithoutALock_IsOnACallLive_WithTheCustomerOrTheNumber_UntilItEnds()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var adaPhone = (await GetRecordAsync(recordId)).Customer.Phones[0].Number;
        Presence.CircuitOpened("c-alice", new PresentUser(Me.UserId, Me.DisplayName, DealershipId, true, Now));
        Presence.CircuitOpened("c-bob", new PresentUser(Other.UserId, Other.DisplayName, DealershipId, true, Now));
        var pbx = await TelephonyClientAsync();
        var cut = RenderBoard();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-calls]")), Patience);

        // Bob answers Ada's call on the phone system, with no KonnectLive lock: on the board at once, with her name.
        await PhoneSystemSaysAsync(pbx, CallEvent("b1", "call-ada", "offered", "bob", $",\"direction\":\"inbound\",\"ani\":\"{adaPhone}\""),
            CallEvent("b2", "call-ada", "answered", "bob"));

        WaitForReload(cut, () =>
        {
            Assert.Equal(["Bob Jones | Mrs Ada Lovelace"], CallRows(cut));
            Assert.Equal("Phone system · " + KonnectLive.Core.Customers.PhoneNormaliser.Display(adaPhone), cut.Find("[data-testid=call-source]").TextContent.Trim());
            Assert.Empty(cut.FindAll("[data-testid=force-release]")); // nothing of KonnectLive's to release
            Assert.Equal("On a call with Mrs Ada Lovelace", PresenceStates(cut)[Other.UserId]);
            Assert.Equal("Not on a call", PresenceStates(cut)[Me.UserId]);
        });

        // Alice takes a call from a number no customer has: shown by the number. (The board reloads at most once per
        // interval, on the injected clock.)
        await PhoneSystemSaysAsync(pbx, CallEvent("a1", "call-unknown", "offered", "alice", ",\"direction\":\"inbound\",\"ani\":\"+447700900999\""),
            CallEvent("a2", "call-unknown", "answered", "alice"));

        WaitForReload(cut, () =>
        {
            Assert.Equal(2, CallRows(cut).Count);
            Assert.Contains("Alice Agent | 07700 900999", CallRows(cut)); // shown as dialled in the UK
            Assert.Equal("On a call with 07700 900999", PresenceStates(cut)[Me.UserId]);
        });

        // Bob's call ends: off the board, live; Alice's stays.
        await PhoneSystemSaysAsync(pbx, CallEvent("b3", "call-ada", "ended", "bob", ",\"reason\":\"completed\""));

        WaitForReload(cut, () =>
        {
            Assert.Equal(["Alice Agent | 07700 900999"], CallRows(cut));
            Assert.Equal("Not on a call", PresenceStates(cut)[Other.UserId]);
        });
    }

    [Fact]
    public async Task PhoneSystemCall_AgentAlsoHoldingALock_IsShownOnceByTheLock()
    {
        var recordId = await AddRecordAsync("Mrs", "Ada", "Lovelace");
        var adaPhone = (await GetRecordAsync(recordId)).Customer.Phones[0].Number;
        var pbx = await TelephonyClientAsync();
        await LockAsAsync(Other, recordId);
        await PhoneSystemSaysAsync(pbx, CallEvent("d1", "call-dial", "offered", "bob", $",\"direction\":\"outbound\",\"dnis\":\"{adaPhone}\""),
            CallEvent("d2", "call-dial", "answered", "bob"));

        var cut = RenderBoard();

        cut.WaitForAssertion(() => Assert.Equal(["Bob Jones | Mrs Ada Lovelace"], CallRows(cut)), Patience);
        Assert.Equal("KonnectLive", cut.Find("[data-testid=call-source]").TextContent.Trim());
        Assert.Single(cut.FindAll("[data-testid=force-release]"));
    }
}
