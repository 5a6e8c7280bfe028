using System.Text.Json.Nodes;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Cases;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Cases;

/// <summary>
/// The case-record rules (issue 14 §4, seed 002), driven through the real telephony event service on a SQLite file: which
/// calls are filed, when, into which case, with which title and tags — and that duplicates, late events and two batches
/// of one call at once never make a second case or session.
/// </summary>
public sealed class CaseFilingTests : IAsyncLifetime
{
    private const string Mobile = "+447700900123";
    private const string Caller = "07700 900123";
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;
    private UserScope _sam = null!;
    private InboundCaller _phoneSystem = null!;
    private int _serial;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = await _db.CreateUserAsync("agent.north1", Roles.Agent, _north.Id);
        _sam = await _db.CreateUserAsync("agent.south", Roles.Agent, _south.Id);
        await using var db = _db.NewDbContext();
        var client = new ApiClient { ClientId = "pbx", Name = "PBX", SecretHash = "-", Scopes = ApiScopes.Telephony, CreatedAt = _db.Now };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync();
        _phoneSystem = new InboundCaller(client.Id, client.ClientId);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private TelephonyEventService Events => _db.Services.GetRequiredService<TelephonyEventService>();

    private async Task SettingsAsync(Action<CaseRecordSettings> change)
    {
        await using var db = _db.NewDbContext();
        var row = await db.CaseRecordSettings.SingleOrDefaultAsync();
        if (row is null) db.CaseRecordSettings.Add(row = new CaseRecordSettings());
        change(row);
        await db.SaveChangesAsync();
    }

    private async Task SendAsync(params JsonObject[] events)
    {
        var outcome = await Events.IngestAsync(_phoneSystem, new JsonObject { ["events"] = new JsonArray([.. events.Select(e => e.DeepClone())]) }.ToJsonString());
        Assert.True(outcome.StatusCode == 200, outcome.Error);
    }

    private JsonObject Event(string call, string type, DateTime at, string? agent = null, string? reason = null, string direction = "inbound",
        string number = Caller, string queue = "CSI") => new()
    {
        ["eventId"] = $"{call}-{Interlocked.Increment(ref _serial)}", ["callId"] = call, ["type"] = type, ["occurredAt"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["direction"] = direction, ["ani"] = direction == "inbound" ? number : "0113 496 0000", ["dnis"] = direction == "inbound" ? "0113 496 0000" : number,
        ["queue"] = queue, ["language"] = "en", ["agent"] = agent, ["reason"] = reason,
    };

    /// <summary>An inbound call answered by agent.north1 and completed after a minute.</summary>
    private async Task AnsweredCallAsync(string call, DateTime at, string queue = "CSI")
    {
        at = at.AddMinutes(-5); // events are never in the future
        await SendAsync(Event(call, "offered", at, queue: queue), Event(call, "answered", at.AddSeconds(5), "agent.north1", queue: queue),
            Event(call, "ended", at.AddSeconds(65), reason: "completed", queue: queue));
    }

    private async Task<List<CaseRecord>> CasesAsync()
    {
        await using var db = _db.NewDbContext();
        return await db.CaseRecords.AsNoTracking().Include(c => c.Sessions).ThenInclude(s => s.Call).OrderBy(c => c.Id).ToListAsync();
    }

    private static string Describe(IEnumerable<CaseRecord> cases) =>
        string.Join(" | ", cases.Select(c => $"{c.Status} {c.CustomerId?.ToString() ?? "no customer"} [{string.Join(",", c.Sessions.OrderBy(s => s.Sequence).Select(s => s.Call.CallId))}]"));

    [Theory]
    [InlineData(false, 1, false, "Open [c1,c2]")]
    [InlineData(true, 3, true, "Open [c1,c2]")]            // closed 3 days ago, within 7: reopened with the new session
    [InlineData(true, 10, true, "Closed [c1] | Open [c2]")] // closed 10 days ago: too long, a new case
    [InlineData(true, 3, false, "Closed [c1] | Open [c2]")] // closed cases are not reopened unless the option is on
    public async Task FileAsync_SecondCallOfTheCustomer_GoesWhereTheRulesSay(bool closeFirst, int daysLater, bool appendToRecentlyClosed, string expected)
    {
        await SettingsAsync(s => { s.AppendToRecentlyClosed = appendToRecentlyClosed; s.ClosedWithinDays = 7; });
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await AnsweredCallAsync("c1", _db.Now);
        if (closeFirst)
        {
            var first = Assert.Single(await CasesAsync());
            Assert.Equal(CaseRuleOk, (await _db.Services.GetRequiredService<CaseService>().CloseAsync(_nadia, first.Id)).Outcome);
        }
        _db.Time.Advance(TimeSpan.FromDays(daysLater));
        await AnsweredCallAsync("c2", _db.Now);

        var cases = await CasesAsync();
        Assert.Equal(expected.Replace("Open [", $"Open {record.CustomerId} [").Replace("Closed [", $"Closed {record.CustomerId} ["), Describe(cases));
        Assert.All(cases.SelectMany(c => c.Sessions), s => Assert.Equal("voice_inbound", s.SessionType));
        Assert.All(cases, c => Assert.Equal(Enumerable.Range(1, c.Sessions.Count), c.Sessions.OrderBy(s => s.Sequence).Select(s => s.Sequence)));
    }

    private const KonnectLive.Core.Common.CommandOutcome CaseRuleOk = KonnectLive.Core.Common.CommandOutcome.Done;

    [Fact]
    public async Task FileAsync_AnotherQueue_OpensItsOwnCase()
    {
        await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await AnsweredCallAsync("c1", _db.Now, queue: "CSI");
        _db.Time.Advance(TimeSpan.FromMinutes(5));
        await AnsweredCallAsync("c2", _db.Now, queue: "Service");

        Assert.Equal(["CSI", "Service"], (await CasesAsync()).Select(c => c.Queue));
    }

    [Theory]
    [InlineData(AbandonedCallCases.None, 30, false, false)]
    [InlineData(AbandonedCallCases.All, 3, false, true)]
    [InlineData(AbandonedCallCases.MinimumSeconds, 9, false, false)]  // below 10 s
    [InlineData(AbandonedCallCases.MinimumSeconds, 10, false, true)]  // at least 10 s
    [InlineData(AbandonedCallCases.MinimumSeconds, 40, false, true)]
    [InlineData(AbandonedCallCases.All, 30, true, false)]             // delay until connected: only connected calls make cases
    public async Task FileAsync_AbandonedInTheQueue_FiledOnlyAsTheAbandonedOptionSays(AbandonedCallCases option, int secondsInQueue, bool delay, bool filed)
    {
        await SettingsAsync(s => { s.AbandonedCalls = option; s.AbandonedMinimumSeconds = 10; s.DelayUntilConnected = delay; });
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        var at = _db.Now;
        await SendAsync(Event("c1", "offered", at));
        Assert.Empty(await CasesAsync()); // still queueing: nothing yet
        await SendAsync(Event("c1", "ended", at.AddSeconds(secondsInQueue), reason: "abandoned"));

        var cases = await CasesAsync();
        if (!filed) { Assert.Empty(cases); return; }
        var only = Assert.Single(cases);
        // No agent had it: the dealership is the only one with a customer on that number.
        Assert.Equal((_north.Id, record.CustomerId, "voice_inbound,voice_abandoned"), (only.DealershipId, only.CustomerId, only.Tags));
        Assert.True(Assert.Single(only.Sessions).Abandoned);
        Assert.StartsWith("Abandoned call from 07700 900123", only.Title);
    }

    public static TheoryData<bool, string[], bool> DelayCases => new()
    {
        { false, ["offered-to-agent"], true },
        { false, ["offered-in-queue"], false },
        { true, ["offered-to-agent"], false },
        { true, ["offered-to-agent", "answered"], true },
        { true, ["offered-to-agent", "ended-abandoned"], false }, // the caller hung up while it rang the agent
        { false, ["offered-to-agent", "ended-abandoned"], true },  // filed when offered, as the seed's standard creation
    };

    [Theory]
    [MemberData(nameof(DelayCases))]
    public async Task FileAsync_DelayUntilConnected_FilesOnAnswerNotOnOffer(bool delay, string[] steps, bool filed)
    {
        await SettingsAsync(s => s.DelayUntilConnected = delay);
        await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        var at = _db.Now;
        foreach (var (step, i) in steps.Select((s, i) => (s, i)))
            await SendAsync(step switch
            {
                "offered-to-agent" => Event("c1", "offered", at, "agent.north1"),
                "offered-in-queue" => Event("c1", "offered", at),
                "answered" => Event("c1", "answered", at.AddSeconds(i * 5), "agent.north1"),
                _ => Event("c1", "ended", at.AddSeconds(i * 5), reason: "abandoned"),
            });

        Assert.Equal(filed ? 1 : 0, (await CasesAsync()).Count);
    }

    [Fact]
    public async Task FileAsync_DuplicatesOutOfOrderAndTwoBatchesAtOnce_OneCaseOneSession()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        var at = _db.Now;
        var offered = Event("c1", "offered", at);
        var answered = Event("c1", "answered", at.AddSeconds(5), "agent.north1");
        var transferred = Event("c1", "transferred", at.AddSeconds(30), "agent.north1x");
        var ended = Event("c1", "ended", at.AddSeconds(90), reason: "completed");

        // The end first, then the rest in two batches sent at the same moment, then everything again.
        await SendAsync(ended);
        await Task.WhenAll(SendAsync(answered), SendAsync(offered, transferred));
        await SendAsync(offered, answered, transferred, ended);
        _db.Time.Advance(TimeSpan.FromMinutes(10));
        await AnsweredCallAsync("c2", _db.Now);
        await SendAsync(Event("c2", "answered", _db.Now.AddMinutes(-5).AddSeconds(5), "agent.north1")); // a resend under a new event id

        var only = Assert.Single(await CasesAsync());
        Assert.Equal($"Open {record.CustomerId} [c1,c2]", Describe([only]));
        Assert.Equal("voice_inbound,voice_transfer", only.Tags);
        await using var db = _db.NewDbContext();
        Assert.Equal(2, await db.CaseSessions.CountAsync());
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == CaseFiling.AuditFiled));
    }

    [Fact]
    public async Task FileAsync_OutboundCall_TaggedVoiceOutbound_WithThePlatformTag()
    {
        await SettingsAsync(s => s.AddPlatformTag = true);
        await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        var at = _db.Now;
        await SendAsync(Event("o1", "offered", at, "agent.north1", direction: "outbound"),
            Event("o1", "answered", at.AddSeconds(8), "agent.north1", direction: "outbound"),
            Event("o1", "conferenced", at.AddSeconds(20), "agent.south", direction: "outbound"),
            Event("o1", "ended", at.AddSeconds(60), reason: "completed", direction: "outbound"));

        var only = Assert.Single(await CasesAsync());
        Assert.Equal(("voice_outbound,voice_conference,konnectlive", "voice_outbound"), (only.Tags, only.Sessions[0].SessionType));
        Assert.StartsWith("Outbound call from 07700 900123", only.Title);
    }

    [Fact]
    public async Task FileAsync_HouseholdSharingAPhone_NeverFiledToOneOfThemByGuess_KeptByNumberWhenTheCallEnds()
    {
        var alice = await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer", phones: [Mobile]);
        var bob = await _db.AddAwaitingRecordAsync(_north.Id, "Bob", "Archer", registration: "CD34 EFG", phones: [Mobile]);
        var at = _db.Now;
        await SendAsync(Event("c1", "offered", at, "agent.north1"), Event("c1", "answered", at.AddSeconds(3), "agent.north1"));
        Assert.Empty(await CasesAsync()); // in progress: the agent may yet say who it is

        await SendAsync(Event("c1", "ended", at.AddSeconds(60), reason: "completed"));
        var only = Assert.Single(await CasesAsync());
        Assert.Equal((null, "07700 900123", "7700900123"), (only.CustomerId, only.PhoneNumber, only.CustomerDigits));
        Assert.Contains("2 customers share this number", only.Title); // the number is known: it is not an unknown caller
        // Each sharer's page lists the case kept by their number (as no one's case), and an agent of another dealership sees none.
        var service = _db.Services.GetRequiredService<CaseService>();
        foreach (var sharer in new[] { alice.CustomerId, bob.CustomerId })
        {
            var row = Assert.Single((await service.ListAsync(_nadia, new CaseFilter(CustomerId: sharer))).Rows);
            Assert.Equal((only.Id, null), (row.Id, row.CustomerId));
            Assert.Empty((await service.ListAsync(_sam, new CaseFilter(CustomerId: sharer))).Rows);
        }
    }

    [Fact]
    public async Task FileAsync_HouseholdSharingAPhone_TheOutcomeTheAgentRecordsOnTheCallNamesTheCustomer()
    {
        await _db.AddAwaitingRecordAsync(_north.Id, "Alice", "Archer", phones: [Mobile]);
        var bob = await _db.AddAwaitingRecordAsync(_north.Id, "Bob", "Archer", registration: "CD34 EFG", phones: [Mobile]);
        var at = _db.Now;
        await SendAsync(Event("c1", "offered", at, "agent.north1"), Event("c1", "answered", at.AddSeconds(3), "agent.north1"));
        _db.Time.Advance(TimeSpan.FromSeconds(40));
        await _db.Calling.RecordAttemptAsync(_nadia,
            new RecordAttemptCommand(bob.Id, await _db.OutcomeIdAsync(DatabaseInitializer.WillCompleteOutcome), null, at, null));
        await SendAsync(Event("c1", "ended", at.AddSeconds(60), reason: "completed"));

        var only = Assert.Single(await CasesAsync());
        Assert.Equal(bob.CustomerId, only.CustomerId);
        Assert.Contains("Bob Archer", only.Title);
        var session = Assert.Single(await _db.Services.GetRequiredService<CaseService>().SessionsAsync(_nadia, only.Id));
        Assert.Equal(DatabaseInitializer.WillCompleteOutcome, session.WrapUps);
    }

    [Fact]
    public async Task FileAsync_NumberOfNoCustomer_KeptByNumber_AndAnAgentOfAnotherDealershipNeverSeesIt()
    {
        var at = _db.Now;
        await SendAsync(Event("c1", "offered", at, "agent.north1", number: "01632 960001"),
            Event("c1", "answered", at.AddSeconds(3), "agent.north1", number: "01632 960001"),
            Event("c1", "ended", at.AddSeconds(30), reason: "completed", number: "01632 960001"));

        var only = Assert.Single(await CasesAsync());
        Assert.Equal((_north.Id, (int?)null), (only.DealershipId, only.CustomerId));
        var service = _db.Services.GetRequiredService<CaseService>();
        Assert.Single((await service.ListAsync(_nadia, new CaseFilter())).Rows);
        Assert.Empty((await service.ListAsync(_sam, new CaseFilter())).Rows);
        Assert.Empty(await service.SessionsAsync(_sam, only.Id));
        Assert.Equal(KonnectLive.Core.Common.CommandOutcome.NotFound, (await service.CloseAsync(_sam, only.Id)).Outcome);
    }

    [Fact]
    public async Task CloseAndReopen_ChangeTheStatus_AreAudited_AndTwiceIsUnchanged()
    {
        await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await AnsweredCallAsync("c1", _db.Now);
        var service = _db.Services.GetRequiredService<CaseService>();
        var id = Assert.Single(await CasesAsync()).Id;

        Assert.Equal(KonnectLive.Core.Common.CommandOutcome.Done, (await service.CloseAsync(_nadia, id)).Outcome);
        Assert.Equal(KonnectLive.Core.Common.CommandOutcome.Unchanged, (await service.CloseAsync(_nadia, id)).Outcome);
        var closed = Assert.Single((await service.ListAsync(_nadia, new CaseFilter(Status: CaseStatus.Closed))).Rows);
        Assert.Equal(_nadia.DisplayName, closed.ClosedBy);
        Assert.Equal(KonnectLive.Core.Common.CommandOutcome.Done, (await service.ReopenAsync(_nadia, id)).Outcome);
        Assert.Single((await service.ListAsync(_nadia, new CaseFilter(Status: CaseStatus.Open, Tag: "voice_inbound", Queue: "CSI"))).Rows);
        Assert.Empty((await service.ListAsync(_nadia, new CaseFilter(Tag: "voice"))).Rows); // whole tags only

        await using var db = _db.NewDbContext();
        Assert.Equal([CaseService.AuditClosed, CaseService.AuditReopened],
            await db.AuditEntries.Where(a => a.EntityType == nameof(CaseRecord) && a.UserId == _nadia.UserId).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task SessionsAsync_RequestRaisedOnTheCall_ShowsOnTheCasesSession()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await AnsweredCallAsync("c1", _db.Now);
        var type = await KonnectLive.Tests.Core.Requests.RequestTestData.AddServiceBookingAsync(_db);
        var token = CallLockService.NewPageToken();
        await _db.Locks.AcquireAsync(_nadia, record.Id, token);
        var values = new Dictionary<int, string?> { [KonnectLive.Tests.Core.Requests.RequestTestData.Field(type, "Preferred date")] = "2026-03-10" };
        var raised = await _db.Services.GetRequiredService<KonnectLive.Core.Requests.CustomerRequestService>().SubmitAsync(_nadia,
            new KonnectLive.Core.Requests.RequestContext(record.CustomerId, record.Id, token),
            new KonnectLive.Core.Requests.RequestSubmission(null, type.Id, values, Save: true), System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        Assert.Equal(KonnectLive.Core.Common.CommandOutcome.Done, raised.Outcome);

        var cases = _db.Services.GetRequiredService<CaseService>();
        var session = Assert.Single(await cases.SessionsAsync(_nadia, Assert.Single(await CasesAsync()).Id));
        Assert.Equal("Service booking", session.Requests);
        // Another dealership's agent sees neither the case's sessions nor its requests.
        Assert.Empty(await cases.SessionsAsync(_sam, (await CasesAsync())[0].Id));
    }

    [Fact]
    public async Task SessionsAsync_ACallReportedLate_TakesItsPlaceByWhenItBegan()
    {
        await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        await AnsweredCallAsync("later", _db.Now);                 // began 5 minutes ago, reported first
        await AnsweredCallAsync("earlier", _db.Now.AddMinutes(-20)); // began 25 minutes ago, reported after it

        var cases = _db.Services.GetRequiredService<CaseService>();
        var sessions = await cases.SessionsAsync(_nadia, Assert.Single(await CasesAsync()).Id);
        Assert.Equal([(1, "earlier"), (2, "later")], sessions.Select(x => (x.Sequence, x.CallId)));
    }
}
