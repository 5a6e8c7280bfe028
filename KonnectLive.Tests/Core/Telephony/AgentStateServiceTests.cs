using KonnectLive.Core.Common;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Live;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Telephony;

/// <summary>
/// Agent states: set by the agent (Ready, Not ready with a reason), by call events through the real telephony service
/// (answered → On call, ended → Wrap-up), the after-call-work limit on the fake clock, the supervisor's scope and the
/// report's sums — all on a real SQLite file.
/// </summary>
public sealed class AgentStateServiceTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private AgentStateService States => _db.Services.GetRequiredService<AgentStateService>();
    private UserScope _admin = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _admin = await UserAsync("Ada Admin", null, Roles.Admin, csiVoice: false);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<UserScope> UserAsync(string name, int? dealershipId, string role = Roles.Agent, bool csiVoice = true, string? extension = null)
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = $"u{Guid.NewGuid():N}"[..16], DisplayName = name, DealershipId = dealershipId, CsiVoiceEnabled = csiVoice, Extension = extension };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return new UserScope(user.Id, name, dealershipId, csiVoice, [role]);
    }

    private async Task<int> ReasonAsync(string name)
    {
        Assert.Equal(CommandOutcome.Done, (await States.AddReasonAsync(_admin, name)).Outcome);
        return (await States.ReasonsAsync(activeOnly: true)).Single(r => r.Name == name).Id;
    }

    private async Task<List<AgentStateInterval>> HistoryAsync(string userId)
    {
        await using var db = _db.NewDbContext();
        return await db.AgentStateIntervals.AsNoTracking().Where(i => i.UserId == userId).OrderBy(i => i.Id).ToListAsync();
    }

    [Fact]
    public async Task SetOwnAsync_ReadyThenNotReadyWithAReason_HistoryOfIntervalsAndALiveEventEach()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id);
        var lunch = await ReasonAsync("Lunch");

        Assert.Equal(AgentStateView.None, await States.CurrentAsync(agent.UserId));
        Assert.Equal(CommandOutcome.Done, (await States.SetOwnAsync(agent, AgentStateKind.Ready)).Outcome);
        _db.Time.Advance(TimeSpan.FromMinutes(30));
        var result = await States.SetOwnAsync(agent, AgentStateKind.NotReady, lunch);

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        Assert.Equal("You are now Not ready · Lunch.", result.Message);
        var now = await States.CurrentAsync(agent.UserId);
        Assert.Equal((AgentStateKind.NotReady, "Lunch", _db.Now), (now.State, now.ReasonName, now.Since!.Value));
        var history = await HistoryAsync(agent.UserId);
        Assert.Equal([AgentStateKind.Ready, AgentStateKind.NotReady], history.Select(h => h.State));
        Assert.Equal(TimeSpan.FromMinutes(30), history[0].EndedAt - history[0].StartedAt);
        Assert.Null(history[1].EndedAt);
        Assert.All(history, h => Assert.Equal(AgentStateService.FromAgent, h.Source));
        var events = _db.Events.Where(e => e.Kind == LiveEventKind.AgentStateChanged).ToList();
        Assert.Equal(["Ready", "Not ready · Lunch"], events.Select(e => e.Reason));
        Assert.All(events, e => Assert.Equal((shop.Id, agent.UserId), (e.DealershipId, e.AgentId)));
        Assert.Equal(CommandOutcome.Unchanged, (await States.SetOwnAsync(agent, AgentStateKind.NotReady, lunch)).Outcome);
    }

    [Fact]
    public async Task SetOwnAsync_NoReasonAnInactiveReasonNotAnAgentOrOnCallState_Refused()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id);
        var supervisor = await UserAsync("Sam Super", shop.Id, Roles.Supervisor, csiVoice: false);
        var training = await ReasonAsync("Training");
        Assert.Equal(CommandOutcome.Done, (await States.SetReasonActiveAsync(_admin, training, false)).Outcome);

        Assert.Equal(CommandOutcome.Refused, (await States.SetOwnAsync(agent, AgentStateKind.NotReady)).Outcome);
        Assert.Equal(CommandOutcome.Refused, (await States.SetOwnAsync(agent, AgentStateKind.NotReady, training)).Outcome);
        Assert.Equal(CommandOutcome.Refused, (await States.SetOwnAsync(agent, AgentStateKind.OnCall)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await States.SetOwnAsync(supervisor, AgentStateKind.Ready)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await States.AddReasonAsync(supervisor, "Coffee")).Outcome);
        Assert.Empty(await HistoryAsync(agent.UserId));
    }

    private async Task<InboundCaller> TelephonyClientAsync()
    {
        await using var db = _db.NewDbContext();
        var client = new ApiClient { ClientId = $"pbx-{Guid.NewGuid():N}"[..20], Name = "PBX", SecretHash = "x", CreatedAt = _db.Now, Scopes = ApiScopes.Telephony };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync();
        return new InboundCaller(client.Id, client.ClientId);
    }

    private async Task SendAsync(InboundCaller caller, string json)
    {
        var outcome = await _db.Services.GetRequiredService<TelephonyEventService>().IngestAsync(caller, json);
        Assert.True(outcome.StatusCode == 200, outcome.Error);
    }

    private string Event(string id, string call, string type, string agent, string extra = "") =>
        $$"""{"eventId":"{{id}}","callId":"{{call}}","type":"{{type}}","occurredAt":"{{_db.Now:yyyy-MM-ddTHH:mm:ssZ}}","agent":"{{agent}}"{{extra}}}""";

    [Fact]
    public async Task CallEvents_AnsweredThenEnded_OnCallThenWrapUp_ThenTheLimitReturnsTheAgentToReady()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id, extension: "2001");
        await States.SetOwnAsync(agent, AgentStateKind.Ready);
        Assert.Equal(CommandOutcome.Done, (await States.UpdateAfterCallWorkAsync(_admin, 60, AfterCallWorkAtLimit.ReturnToReady)).Outcome);
        var pbx = await TelephonyClientAsync();

        await SendAsync(pbx, $$"""{"events":[{{Event("e1", "c1", "offered", "2001", ",\"direction\":\"inbound\",\"ani\":\"07700 900123\"")}},{{Event("e2", "c1", "answered", "2001")}}]}""");
        var onCall = await States.CurrentAsync(agent.UserId);
        Assert.Equal((AgentStateKind.OnCall, "c1"), (onCall.State, onCall.CallId));
        Assert.Equal(CommandOutcome.Refused, (await States.SetOwnAsync(agent, AgentStateKind.Ready)).Outcome);

        _db.Time.Advance(TimeSpan.FromMinutes(4));
        await SendAsync(pbx, $$"""{"events":[{{Event("e3", "c1", "ended", "2001", ",\"reason\":\"completed\"")}}]}""");
        Assert.Equal(AgentStateKind.WrapUp, (await States.CurrentAsync(agent.UserId)).State);
        // The same end again, and a late answered: nothing changes.
        await SendAsync(pbx, $$"""{"events":[{{Event("e3", "c1", "ended", "2001", ",\"reason\":\"completed\"")}},{{Event("e2b", "c1", "answered", "2001")}}]}""");
        Assert.Equal(AgentStateKind.WrapUp, (await States.CurrentAsync(agent.UserId)).State);

        _db.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await States.ApplyAfterCallWorkLimitAsync());
        Assert.Equal(AgentStateKind.WrapUp, (await States.CurrentAsync(agent.UserId)).State);
        _db.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await States.ApplyAfterCallWorkLimitAsync());

        Assert.Equal(AgentStateKind.Ready, (await States.CurrentAsync(agent.UserId)).State);
        var history = await HistoryAsync(agent.UserId);
        Assert.Equal([AgentStateKind.Ready, AgentStateKind.OnCall, AgentStateKind.WrapUp, AgentStateKind.Ready], history.Select(h => h.State));
        Assert.Equal([AgentStateService.FromAgent, AgentStateService.FromTelephony, AgentStateService.FromTelephony, AgentStateService.FromSystem], history.Select(h => h.Source));
        Assert.Equal(TimeSpan.FromMinutes(4), history[1].EndedAt - history[1].StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(60), history[2].EndedAt - history[2].StartedAt);
    }

    [Fact]
    public async Task CallEvents_TwoCallsAtOnce_TheEndOfOneKeepsTheAgentOnCall_TheEndOfTheLastGivesWrapUp()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id, extension: "2003");
        await States.SetOwnAsync(agent, AgentStateKind.Ready);
        var pbx = await TelephonyClientAsync();

        // The customer's call, then a consult call to a colleague while the customer waits.
        await SendAsync(pbx, $$"""{"events":[{{Event("t1", "cust", "offered", "2003", ",\"direction\":\"inbound\",\"ani\":\"07700 900125\"")}},{{Event("t2", "cust", "answered", "2003")}}]}""");
        _db.Time.Advance(TimeSpan.FromMinutes(2));
        await SendAsync(pbx, $$"""{"events":[{{Event("t3", "consult", "offered", "2003", ",\"direction\":\"outbound\",\"dnis\":\"2999\"")}},{{Event("t4", "consult", "answered", "2003")}}]}""");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(pbx, $$"""{"events":[{{Event("t5", "consult", "ended", "2003", ",\"reason\":\"completed\"")}}]}""");

        var during = await States.CurrentAsync(agent.UserId);
        Assert.Equal(AgentStateKind.OnCall, during.State); // still talking to the customer
        Assert.Equal(CommandOutcome.Refused, (await States.SetOwnAsync(agent, AgentStateKind.Ready)).Outcome);

        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(pbx, $$"""{"events":[{{Event("t6", "cust", "ended", "2003", ",\"reason\":\"completed\"")}}]}""");
        var after = await States.CurrentAsync(agent.UserId);
        Assert.Equal((AgentStateKind.WrapUp, "cust"), (after.State, after.CallId));
        var history = await HistoryAsync(agent.UserId);
        Assert.Equal([AgentStateKind.Ready, AgentStateKind.OnCall, AgentStateKind.WrapUp], history.Select(h => h.State));
        Assert.Equal(TimeSpan.FromMinutes(4), history[1].EndedAt - history[1].StartedAt); // one On call stretch across both calls
    }

    [Fact]
    public async Task ApplyMaxCallTimeAsync_CallWhoseEndEventNeverComes_AgentNotReadyCallEndedNoEndEvent_OnTheBoard()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id, extension: "2004");
        var supervisor = await UserAsync("Sam Super", shop.Id, Roles.Supervisor, csiVoice: false);
        var max = _db.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgentStateOptions>>().Value.MaxCallMinutes;
        Assert.Equal(180, max); // the default, documented in the README
        var pbx = await TelephonyClientAsync();
        await SendAsync(pbx, $$"""{"events":[{{Event("m1", "lost", "offered", "2004", ",\"direction\":\"inbound\",\"ani\":\"07700 900126\"")}},{{Event("m2", "lost", "answered", "2004")}}]}""");
        _db.ClearEvents();

        _db.Time.Advance(TimeSpan.FromMinutes(max) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await States.ApplyMaxCallTimeAsync());
        Assert.Equal(AgentStateKind.OnCall, (await States.CurrentAsync(agent.UserId)).State);

        _db.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await States.ApplyMaxCallTimeAsync());
        Assert.Equal(0, await States.ApplyMaxCallTimeAsync());

        var now = await States.CurrentAsync(agent.UserId);
        Assert.Equal((AgentStateKind.NotReady, AgentStateService.NoEndEventReason), (now.State, now.ReasonName));
        Assert.Equal("Not ready · Call ended (no end event)", Assert.Single(await States.BoardAsync(supervisor)).State.Label);
        Assert.Equal("Not ready · Call ended (no end event)", Assert.Single(_db.Events, e => e.Kind == LiveEventKind.AgentStateChanged).Reason);
        Assert.Equal(AgentStateService.FromSystem, (await HistoryAsync(agent.UserId)).Last().Source);

        // The end arriving late changes nothing; the agent chooses Ready when back; a new call is On call as usual.
        await SendAsync(pbx, $$"""{"events":[{{Event("m3", "lost", "ended", "2004", ",\"reason\":\"completed\"")}}]}""");
        Assert.Equal(AgentStateKind.NotReady, (await States.CurrentAsync(agent.UserId)).State);
        Assert.Equal(CommandOutcome.Done, (await States.SetOwnAsync(agent, AgentStateKind.Ready)).Outcome);
        await SendAsync(pbx, $$"""{"events":[{{Event("m4", "next", "offered", "2004", ",\"direction\":\"inbound\",\"ani\":\"07700 900127\"")}},{{Event("m5", "next", "answered", "2004")}}]}""");
        Assert.Equal(AgentStateKind.OnCall, (await States.CurrentAsync(agent.UserId)).State);
    }

    [Fact]
    public async Task ApplyMaxCallTimeAsync_OneCallLostItsEndButAnotherIsYoung_AgentStaysOnCall()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id, extension: "2005");
        var pbx = await TelephonyClientAsync();
        await SendAsync(pbx, $$"""{"events":[{{Event("y1", "old", "offered", "2005", ",\"direction\":\"inbound\",\"ani\":\"07700 900128\"")}},{{Event("y2", "old", "answered", "2005")}}]}""");
        _db.Time.Advance(TimeSpan.FromMinutes(179));
        await SendAsync(pbx, $$"""{"events":[{{Event("y3", "young", "offered", "2005", ",\"direction\":\"inbound\",\"ani\":\"07700 900129\"")}},{{Event("y4", "young", "answered", "2005")}}]}""");
        _db.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(0, await States.ApplyMaxCallTimeAsync());
        Assert.Equal(AgentStateKind.OnCall, (await States.CurrentAsync(agent.UserId)).State);
        await SendAsync(pbx, $$"""{"events":[{{Event("y5", "young", "ended", "2005", ",\"reason\":\"completed\"")}}]}""");
        Assert.Equal((AgentStateKind.WrapUp, "young"), ((await States.CurrentAsync(agent.UserId)).State, (await States.CurrentAsync(agent.UserId)).CallId));
    }

    [Fact]
    public async Task AfterCallWorkLimit_SetToFlag_AgentStaysInWrapUpMarkedOverTheLimitOnce()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id, extension: "2002");
        Assert.Equal(CommandOutcome.Done, (await States.UpdateAfterCallWorkAsync(_admin, 30, AfterCallWorkAtLimit.Flag)).Outcome);
        var pbx = await TelephonyClientAsync();
        await SendAsync(pbx, $$"""{"events":[{{Event("f1", "c2", "offered", "2002", ",\"direction\":\"inbound\",\"ani\":\"07700 900124\"")}},{{Event("f2", "c2", "answered", "2002")}}]}""");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(pbx, $$"""{"events":[{{Event("f3", "c2", "ended", "2002", ",\"reason\":\"completed\"")}}]}""");
        _db.ClearEvents();

        _db.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await States.ApplyAfterCallWorkLimitAsync());
        Assert.Equal(0, await States.ApplyAfterCallWorkLimitAsync());

        var now = await States.CurrentAsync(agent.UserId);
        Assert.Equal((AgentStateKind.WrapUp, true), (now.State, now.OverLimit));
        Assert.Equal("Wrap-up · over the wrap-up limit", Assert.Single(_db.Events, e => e.Kind == LiveEventKind.AgentStateChanged).Reason);
    }

    [Fact]
    public async Task BoardAsync_DealershipSupervisorSeesOnlyTheirAgents_HeadOfficeSeesAll_AgentsNotAtAll()
    {
        var north = await _db.AddDealershipAsync("North");
        var south = await _db.AddDealershipAsync("South");
        var nadia = await UserAsync("Nadia North", north.Id);
        var sid = await UserAsync("Sid South", south.Id);
        var supervisor = await UserAsync("Sam Super", north.Id, Roles.Supervisor, csiVoice: false);
        var headOffice = await UserAsync("Hana Head", null, Roles.Supervisor, csiVoice: false);
        await States.SetOwnAsync(nadia, AgentStateKind.Ready);
        await States.SetOwnAsync(sid, AgentStateKind.Ready);

        var board = await States.BoardAsync(supervisor);
        Assert.Equal(["Nadia North"], board.Select(r => r.AgentName));
        Assert.Equal("Ready", board[0].State.Label);
        Assert.Equal(["Nadia North", "Sid South"], (await States.BoardAsync(headOffice)).Select(r => r.AgentName).Order());
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => States.BoardAsync(nadia));
    }

    [Fact]
    public async Task BoardAsync_SupervisorAndAdminWithCsiVoice_NotListed_SupervisorWhoIsAlsoAnAgentIs()
    {
        var shop = await _db.AddDealershipAsync("North");
        await UserAsync("Nadia North", shop.Id);
        await UserAsync("Sam Super", shop.Id, Roles.Supervisor);
        await UserAsync("Adam Admin", shop.Id, Roles.Admin);
        var working = await UserAsync("Wendy Working", shop.Id, Roles.Supervisor);
        await using (var scope = _db.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.AddToRoleAsync((await users.FindByIdAsync(working.UserId))!, Roles.Agent)).Succeeded);
        }
        var headOffice = await UserAsync("Hana Head", null, Roles.Supervisor, csiVoice: false);

        Assert.Equal(["Nadia North", "Wendy Working"], (await States.BoardAsync(headOffice)).Select(r => r.AgentName).Order());
    }

    [Fact]
    public async Task TimePerStateAsync_SumsEachStatePerAgentPerDay_SplitAtMidnight_OpenIntervalUpToNow()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await UserAsync("Nadia North", shop.Id);
        var other = await _db.AddDealershipAsync("Elsewhere");
        var stranger = await UserAsync("Sid South", other.Id);
        var supervisor = await UserAsync("Sam Super", shop.Id, Roles.Supervisor, csiVoice: false);
        var lunch = await ReasonAsync("Lunch");
        // Start (2 Mar 09:00 UTC = 09:00 London): Ready 1 h, Not ready 30 min, Ready until 23:30, then Not ready for 1 h across midnight.
        await States.SetOwnAsync(agent, AgentStateKind.Ready);
        await States.SetOwnAsync(stranger, AgentStateKind.Ready);
        _db.Time.Advance(TimeSpan.FromHours(1));
        await States.SetOwnAsync(agent, AgentStateKind.NotReady, lunch);
        _db.Time.Advance(TimeSpan.FromMinutes(30));
        await States.SetOwnAsync(agent, AgentStateKind.Ready);
        _db.Time.Advance(TimeSpan.FromHours(13)); // 23:30
        await States.SetOwnAsync(agent, AgentStateKind.NotReady, lunch);
        _db.Time.Advance(TimeSpan.FromHours(1)); // 00:30 on 3 Mar, still open

        var day = DateOnly.FromDateTime(CoreTestDatabase.Start.UtcDateTime);
        var rows = await _db.Services.GetRequiredService<AgentStateReport>().TimePerStateAsync(supervisor, new ReportRange(day, day.AddDays(1)));

        Assert.Equal(2, rows.Count); // the other dealership's agent is not in a dealership supervisor's report
        Assert.Equal(new AgentStateDayRow(day, "Nadia North", "Northgate Motors", (int)TimeSpan.FromHours(14).TotalSeconds, (int)TimeSpan.FromHours(1).TotalSeconds, 0, 0), rows[0]);
        Assert.Equal(new AgentStateDayRow(day.AddDays(1), "Nadia North", "Northgate Motors", 0, (int)TimeSpan.FromMinutes(30).TotalSeconds, 0, 0), rows[1]);
        Assert.Equal(15 * 3600, rows[0].TotalSeconds);
        var csv = System.Text.Encoding.UTF8.GetString(ReportCsv.AgentStates(rows));
        Assert.Contains("Day,Agent,Dealership,ReadySeconds,NotReadySeconds,OnCallSeconds,WrapUpSeconds,TotalSeconds", csv);
        Assert.Contains($"{day:yyyy-MM-dd},Nadia North,Northgate Motors,50400,3600,0,0,54000", csv);
    }
}
