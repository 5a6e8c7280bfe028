using System.Text.Json;
using System.Text.Json.Nodes;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Erasure;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Inbound;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Erasure;

/// <summary>Export and erase on request, on a real SQLite file, with FOCUS ingest as the app runs it.</summary>
public class CustomerErasureTests : IAsyncLifetime
{
    /// <summary><see cref="CustomerErasureTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private string _dealer = "";
    private int _dealerId;
    private static readonly InboundCaller Caller = new(null, "test");
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, true, [Roles.Admin]);

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        var dealership = await _db.AddDealershipAsync();
        (_dealer, _dealerId) = (dealership.Code, dealership.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private T Get<T>() where T : notnull => _db.Services.GetRequiredService<T>();

    private async Task<CsiBatchResponse> SendAsync(params object[] records)
    {
        var outcome = await Get<CsiIngestService>().IngestAsync(Caller, CsiPayloads.Batch(records));
        Assert.Equal(200, outcome.StatusCode);
        return outcome.Response!;
    }

    private Dictionary<string, object?> Zelda(string focusId, DateTime eventDate) =>
        CsiPayloads.Record(focusId, _dealer, "Awaiting", _db.Now.AddHours(-1), firstName: "Zelda", lastName: "Quartermaine",
            phones: ["07700 900456"], email: "zelda@example.test", registration: "ZQ19 XYZ", focusCustomerId: "FC-ZELDA", eventDate: eventDate);

    /// <summary>Zelda from FOCUS, with a call, a note and a message still scheduled.</summary>
    private async Task<(int CustomerId, int RecordId)> ZeldaWithHistoryAsync()
    {
        var response = await SendAsync(Zelda("F-Z-1", _db.Now.Date.AddDays(-3)));
        var recordId = response.Results[0].RecordId!.Value;
        await using var db = _db.NewDbContext();
        var record = await db.SurveyRecords.SingleAsync(r => r.Id == recordId);
        db.CallAttempts.Add(new CallAttempt
        {
            SurveyRecordId = recordId, CustomerId = record.CustomerId, DealershipId = _dealerId, AgentId = "agent-1", AgentName = "Tara Agent",
            NumberDialled = "+447700900456", StartedAt = _db.Now, RecordedAt = _db.Now, OutcomeId = await _db.OutcomeIdAsync(),
            Note = "Zelda asked us to call after lunch",
        });
        db.CustomerNotes.Add(new CustomerNote { CustomerId = record.CustomerId, AuthorId = "agent-1", AuthorName = "Tara Agent", Text = "Prefers email, zelda@example.test", CreatedAt = _db.Now });
        db.ScheduledMessages.Add(new ScheduledMessage
        {
            SurveyRecordId = recordId, CustomerId = record.CustomerId, DealershipId = _dealerId, Channel = MessageChannel.Sms, State = MessageState.Scheduled,
            CreatedAt = _db.Now, DueAt = _db.Now.AddHours(2), CustomBody = "Hi Zelda, how was your service?", IdempotencyKey = "zelda-1",
        });
        await db.SaveChangesAsync();
        return (record.CustomerId, recordId);
    }

    [Fact]
    public async Task ExportAsync_Admin_GetsEveryFieldHeldAboutTheCustomer_AndItIsAudited()
    {
        var (customerId, _) = await ZeldaWithHistoryAsync();

        var file = await Get<CustomerDataExport>().ExportAsync(Admin, customerId);

        Assert.NotNull(file);
        using var json = JsonDocument.Parse(file.Json);
        var root = json.RootElement;
        var customer = root.GetProperty("Customer");
        Assert.Equal("Zelda", customer.GetProperty("FirstName").GetString());
        Assert.Equal("Quartermaine", customer.GetProperty("LastName").GetString());
        Assert.Equal("zelda@example.test", customer.GetProperty("Email").GetString());
        Assert.Equal("FC-ZELDA", customer.GetProperty("FocusCustomerId").GetString());
        Assert.Equal("+447700900456", customer.GetProperty("Phones")[0].GetProperty("Number").GetString());
        Assert.Equal("ZQ19 XYZ", customer.GetProperty("Vehicles")[0].GetProperty("Registration").GetString());
        Assert.Equal("F-Z-1", root.GetProperty("Surveys")[0].GetProperty("FocusRecordId").GetString());
        Assert.Equal("Zelda asked us to call after lunch", root.GetProperty("Calls")[0].GetProperty("Note").GetString());
        Assert.Equal("Prefers email, zelda@example.test", root.GetProperty("Notes")[0].GetProperty("Text").GetString());
        Assert.Contains("Hi Zelda, how was your service?", root.GetProperty("Messages").EnumerateArray().Select(m => m.GetProperty("Body").GetString()));
        Assert.True(root.GetProperty("AuditEntries").GetArrayLength() >= 0);
        await using var db = _db.NewDbContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == CustomerDataExport.AuditAction && a.CustomerId == customerId));
    }

    [Fact]
    public async Task EraseAsync_ThenEverySearch_FindsNothing_CountsStay_MessageStopped_AndAuditSaysSo()
    {
        var (customerId, recordId) = await ZeldaWithHistoryAsync();
        var lookup = Get<ContactLookup>();
        Assert.Equal(1, (await lookup.SearchAsync(Admin, "Quartermaine")).Total); // found before

        var result = await Get<CustomerEraser>().EraseAsync(Admin, customerId);

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        foreach (var query in new[] { "Quartermaine", "Zelda", "zelda@example.test", "07700 900456", "+447700900456", "900456", "ZQ19 XYZ", "ZQ19" })
            Assert.Equal(0, (await lookup.SearchAsync(Admin, query)).Total);
        var chase = await _db.ChaseList.GetPageAsync(Admin, new ChaseListRequest(0, 50, Search: "Quartermaine"));
        Assert.Empty(chase.Rows);
        Assert.DoesNotContain(recordId, (await _db.ChaseList.GetPageAsync(Admin, new ChaseListRequest(0, 500))).Rows.Select(r => r.RecordId));

        await using var db = _db.NewDbContext();
        var customer = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles).SingleAsync(c => c.Id == customerId);
        Assert.Equal(("", "", null, null), (customer.FirstName, customer.LastName, customer.Email, customer.FocusCustomerId));
        Assert.NotNull(customer.ErasedAt);
        Assert.Empty(customer.Phones);
        Assert.Equal("", customer.Vehicles.Single().Registration);
        Assert.Equal(1, await db.SurveyRecords.CountAsync(r => r.CustomerId == customerId)); // kept for the reports
        var call = await db.CallAttempts.SingleAsync(a => a.CustomerId == customerId);
        Assert.Null(call.Note);
        Assert.Empty(await db.CustomerNotes.Where(n => n.CustomerId == customerId).ToListAsync());
        var message = await db.ScheduledMessages.SingleAsync(m => m.IdempotencyKey == "zelda-1");
        Assert.Equal((MessageState.Cancelled, null), (message.State, message.CustomBody));
        Assert.DoesNotContain(await db.ScheduledMessages.Where(m => m.CustomerId == customerId).Select(m => m.State).ToListAsync(), s => s == MessageState.Scheduled);
        var erased = await db.AuditEntries.SingleAsync(a => a.Action == CustomerEraser.AuditAction);
        Assert.Equal(customerId, erased.CustomerId);
        Assert.DoesNotContain("Zelda", erased.Details);
        Assert.DoesNotContain(db.AuditEntries.Where(a => a.CustomerId == customerId && a.Details != null).Select(a => a.Details!), d => d.Contains("Zelda"));
    }

    [Fact]
    public async Task EraseAsync_ThenFocusResendsTheSameRecord_NothingIsCreated_UntilANewerRecordArrives()
    {
        var (customerId, _) = await ZeldaWithHistoryAsync();
        await Get<CustomerEraser>().EraseAsync(Admin, customerId);
        await using var db = _db.NewDbContext();
        var customersBefore = await db.Customers.CountAsync();

        var resend = await SendAsync(Zelda("F-Z-1", _db.Now.Date.AddDays(-3)));
        var olderOther = await SendAsync(Zelda("F-Z-0", _db.Now.Date.AddDays(-5))); // an older record of theirs we never held

        Assert.Equal(CsiRecordOutcome.IgnoredClosed, resend.Results[0].Result);
        Assert.Equal(CsiRecordOutcome.IgnoredClosed, olderOther.Results[0].Result);
        Assert.Equal(customersBefore, await db.Customers.CountAsync());
        Assert.Equal(0, (await Get<ContactLookup>().SearchAsync(Admin, "Quartermaine")).Total);

        _db.Time.Advance(TimeSpan.FromDays(2));
        var newer = await SendAsync(Zelda("F-Z-2", _db.Now.Date.AddDays(-1)));

        Assert.Equal(CsiRecordOutcome.Created, newer.Results[0].Result);
        Assert.Equal(customersBefore + 1, await db.Customers.CountAsync());
        Assert.Equal(1, (await Get<ContactLookup>().SearchAsync(Admin, "Quartermaine")).Total);
    }

    /// <summary>
    /// Phone-system calls about Zelda, answered by an agent of her dealership: c1 from her number with a recording; c2 from
    /// another number whose leg is wrapped up as her call attempt; c3 from a stranger's number (must stay as it is).
    /// </summary>
    private async Task ZeldaPhoneCallsAsync(int customerId)
    {
        await _db.CreateUserAsync("agent.zelda", Roles.Agent, _dealerId);
        await using var db = _db.NewDbContext();
        var client = new ApiClient { ClientId = "pbx", Name = "PBX", SecretHash = "-", Scopes = ApiScopes.Telephony, CreatedAt = _db.Now };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync();
        var phoneSystem = new InboundCaller(client.Id, client.ClientId);
        var at = _db.Now.AddMinutes(-30);
        JsonObject Event(string id, string call, string type, int seconds, string ani, string? recording = null) => new()
        {
            ["eventId"] = id, ["callId"] = call, ["type"] = type, ["occurredAt"] = at.AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["direction"] = "inbound", ["ani"] = ani, ["dnis"] = "0113 496 0000", ["queue"] = "CSI", ["agent"] = "agent.zelda",
            ["reason"] = type == "ended" ? "completed" : null, ["recordingUrl"] = recording,
        };
        var events = new JsonArray();
        foreach (var (call, ani) in new[] { ("c1", "07700 900456"), ("c2", "07700 900999"), ("c3", "07700 900321") })
        {
            events.Add(Event($"{call}-1", call, "offered", 0, ani));
            events.Add(Event($"{call}-2", call, "answered", 5, ani));
            events.Add(Event($"{call}-3", call, "ended", 95, ani));
            events.Add(Event($"{call}-4", call, "recording", 96, ani, $"https://recordings.example.test/{call}.mp3"));
        }
        var outcome = await Get<TelephonyEventService>().IngestAsync(phoneSystem, new JsonObject { ["events"] = events }.ToJsonString());
        Assert.True(outcome.StatusCode == 200, outcome.Error);
        var attemptId = await db.CallAttempts.Where(a => a.CustomerId == customerId).Select(a => a.Id).SingleAsync();
        await db.CallLegs.Where(l => l.Call.CallId == "c2").ExecuteUpdateAsync(s => s.SetProperty(l => l.CallAttemptId, attemptId));
    }

    [Fact]
    public async Task ExportAsync_IncludesTheCustomersPhoneSystemCallLegs_WithNumbersAndRecording()
    {
        var (customerId, _) = await ZeldaWithHistoryAsync();
        await ZeldaPhoneCallsAsync(customerId);

        var file = await Get<CustomerDataExport>().ExportAsync(Admin, customerId);

        using var json = JsonDocument.Parse(file!.Json);
        var legs = json.RootElement.GetProperty("CallLegs").EnumerateArray().ToList();
        Assert.Equal(["c1", "c2"], legs.Select(l => l.GetProperty("CallId").GetString()).Order().ToList()); // not the stranger's c3
        var c1 = legs.Single(l => l.GetProperty("CallId").GetString() == "c1");
        Assert.Equal("07700 900456", c1.GetProperty("Ani").GetString());
        Assert.Equal("https://recordings.example.test/c1.mp3", c1.GetProperty("RecordingUrl").GetString());
        Assert.Equal("Inbound", c1.GetProperty("Type").GetString());
        Assert.Equal(90, c1.GetProperty("DurationSeconds").GetInt32());
    }

    [Fact]
    public async Task EraseAsync_PhoneSystemCalls_LoseNumbersAndRecordings_LegsStayForReports()
    {
        var (customerId, _) = await ZeldaWithHistoryAsync();
        await ZeldaPhoneCallsAsync(customerId);
        var history = Get<KonnectLive.Core.Customers.Profile.InteractionHistoryQuery>();
        Assert.Contains((await history.ForAddressAsync(Admin, "+447700900456", null)).Items, i => i.Kind == KonnectLive.Core.Customers.Profile.InteractionKind.CallLeg);
        await using var before = _db.NewDbContext();
        var legsBefore = await before.CallLegs.AsNoTracking().OrderBy(l => l.Id).ToListAsync();
        // Her calls were filed into a case titled with her name and number (the default template).
        var caseBefore = await before.CaseRecords.AsNoTracking().SingleAsync(c => c.CustomerId == customerId);
        Assert.Contains("900456", caseBefore.Title);
        var strangersCaseBefore = await before.CaseRecords.AsNoTracking().SingleAsync(c => c.Sessions.Any(x => x.Call.CallId == "c3"));
        // c2 came from a number of no customer (kept by number) and was wrapped up as her call: its case holds her call.
        var c2CaseBefore = await before.CaseRecords.AsNoTracking().SingleAsync(c => c.Sessions.Any(x => x.Call.CallId == "c2"));
        Assert.Null(c2CaseBefore.CustomerId);

        var result = await Get<CustomerEraser>().EraseAsync(Admin, customerId);

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        foreach (var number in new[] { "+447700900456", "+447700900999" })
            Assert.DoesNotContain((await history.ForAddressAsync(Admin, number, null)).Items,
                i => i.Kind == KonnectLive.Core.Customers.Profile.InteractionKind.CallLeg || i.Call?.Leg is not null);
        await using var db = _db.NewDbContext();
        var legsAfter = await db.CallLegs.AsNoTracking().Include(l => l.Call).OrderBy(l => l.Id).ToListAsync();
        Assert.Equal(legsBefore.Count, legsAfter.Count); // the reports count the same legs
        Assert.Equal(legsBefore.Select(l => (l.Type, l.DurationSeconds, l.UserId, l.DealershipId, l.CallAttemptId)),
            legsAfter.Select(l => (l.Type, l.DurationSeconds, l.UserId, l.DealershipId, l.CallAttemptId)));
        foreach (var leg in legsAfter.Where(l => l.Call.CallId != "c3"))
        {
            Assert.Equal((null, null, null, null, null), (leg.Call.Ani, leg.Call.Dnis, leg.Call.CustomerNumber, leg.Call.CustomerDigits, leg.Call.RecordingUrl));
            Assert.Equal("CSI", leg.Call.Queue);
        }
        var events = await db.TelephonyEvents.AsNoTracking().ToListAsync();
        Assert.All(events.Where(e => e.CallId != "c3"), e => Assert.Equal((null, null, null), (e.Ani, e.Dnis, e.RecordingUrl)));
        Assert.DoesNotContain(events, e => (e.Ani ?? "").Contains("900456") || (e.Ani ?? "").Contains("900999"));
        var stranger = legsAfter.Single(l => l.Call.CallId == "c3").Call; // someone else's call is untouched
        Assert.Equal(("07700 900321", "https://recordings.example.test/c3.mp3"), (stranger.Ani, stranger.RecordingUrl));
        Assert.Contains(events, e => e.CallId == "c3" && e.Ani == "07700 900321");
        // Her case stays (queue, tags, sessions) without its title or number; the stranger's case is untouched.
        var caseAfter = await db.CaseRecords.AsNoTracking().Include(c => c.Sessions).SingleAsync(c => c.Id == caseBefore.Id);
        Assert.Equal((CustomerEraser.ErasedCaseTitle, null, null), (caseAfter.Title, caseAfter.PhoneNumber, caseAfter.CustomerDigits));
        Assert.Equal(("CSI", caseBefore.Tags), (caseAfter.Queue, caseAfter.Tags));
        Assert.NotEmpty(caseAfter.Sessions);
        var strangersCase = await db.CaseRecords.AsNoTracking().SingleAsync(c => c.Id == strangersCaseBefore.Id);
        Assert.Equal((strangersCaseBefore.Title, "07700 900321"), (strangersCase.Title, strangersCase.PhoneNumber));
        var c2Case = await db.CaseRecords.AsNoTracking().SingleAsync(c => c.Id == c2CaseBefore.Id);
        Assert.Equal((CustomerEraser.ErasedCaseTitle, null), (c2Case.Title, c2Case.PhoneNumber));
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == CustomerEraser.AuditAction);
        Assert.Contains("2 phone-system call legs kept without numbers or recording", audit.Details);
        Assert.Contains("2 cases kept without title or number", audit.Details);
    }

    [Fact]
    public async Task ExportAndErase_AgentOrSupervisor_AreRefusedAndNothingChanges()
    {
        var (customerId, _) = await ZeldaWithHistoryAsync();
        var agent = new UserScope("agent-1", "Tara Agent", null, true, [Roles.Agent]);
        var supervisor = new UserScope("sup-1", "Sam Supervisor", null, true, [Roles.Supervisor]);
        var otherDealershipAdmin = new UserScope("admin-2", "Other Admin", _dealerId + 1000, true, [Roles.Admin]);

        Assert.Null(await Get<CustomerDataExport>().ExportAsync(agent, customerId));
        Assert.Null(await Get<CustomerDataExport>().ExportAsync(supervisor, customerId));
        Assert.Null(await Get<CustomerDataExport>().ExportAsync(otherDealershipAdmin, customerId));
        Assert.Equal(CommandOutcome.Forbidden, (await Get<CustomerEraser>().EraseAsync(agent, customerId)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await Get<CustomerEraser>().EraseAsync(supervisor, customerId)).Outcome);
        Assert.Equal(CommandOutcome.NotFound, (await Get<CustomerEraser>().EraseAsync(otherDealershipAdmin, customerId)).Outcome);

        Assert.Equal(1, (await Get<ContactLookup>().SearchAsync(Admin, "Quartermaine")).Total);
    }
}

public sealed class CustomerErasureTestsOnPostgreSql : CustomerErasureTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
