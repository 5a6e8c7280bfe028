using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Live;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Inbound;

public class CsiIngestServiceTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="CsiIngestServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private string _dealer = "";
    private int _dealerId;
    private static readonly InboundCaller Caller = new(null, "test");

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        var dealership = await _db.AddDealershipAsync();
        _dealer = dealership.Code;
        _dealerId = dealership.Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CsiIngestService Ingest => _db.Services.GetRequiredService<CsiIngestService>();

    private async Task<CsiBatchResponse> SendAsync(params object[] records)
    {
        var outcome = await Ingest.IngestAsync(Caller, CsiPayloads.Batch(records));
        Assert.True(outcome.StatusCode == 200, outcome.Error);
        return outcome.Response!;
    }

    private async Task<(SurveyRecord? Record, List<ScheduledMessage> Messages)> LoadAsync(string focusId)
    {
        await using var db = _db.NewDbContext();
        var record = await db.SurveyRecords.AsNoTracking().Include(r => r.History).Include(r => r.Customer).ThenInclude(c => c.Phones)
            .SingleOrDefaultAsync(r => r.FocusRecordId == focusId);
        var messages = record is null ? [] : await db.ScheduledMessages.AsNoTracking().Where(m => m.SurveyRecordId == record.Id).ToListAsync();
        return (record, messages);
    }

    // current state (null: no record) × incoming status → result, final status, scheduled, cancelled, live event.
    public static TheoryData<SurveyStatus?, SurveyStatus, string, SurveyStatus, int, int, LiveEventKind?> Transitions => new()
    {
        { null, SurveyStatus.Awaiting, CsiRecordOutcome.Created, SurveyStatus.Awaiting, 1, 0, LiveEventKind.RecordAdded },
        { null, SurveyStatus.Pending, CsiRecordOutcome.Created, SurveyStatus.Pending, 1, 0, null },
        { null, SurveyStatus.Completed, CsiRecordOutcome.Created, SurveyStatus.Completed, 0, 0, null },
        { null, SurveyStatus.Rejected, CsiRecordOutcome.Created, SurveyStatus.Rejected, 0, 0, null },
        { null, SurveyStatus.Expired, CsiRecordOutcome.Created, SurveyStatus.Expired, 0, 0, null },
        { SurveyStatus.Pending, SurveyStatus.Pending, CsiRecordOutcome.Updated, SurveyStatus.Pending, 1, 1, null },
        { SurveyStatus.Pending, SurveyStatus.Awaiting, CsiRecordOutcome.Updated, SurveyStatus.Awaiting, 1, 1, LiveEventKind.RecordAdded },
        { SurveyStatus.Pending, SurveyStatus.Completed, CsiRecordOutcome.Updated, SurveyStatus.Completed, 0, 1, null },
        { SurveyStatus.Pending, SurveyStatus.Rejected, CsiRecordOutcome.Updated, SurveyStatus.Rejected, 0, 1, null },
        { SurveyStatus.Pending, SurveyStatus.Expired, CsiRecordOutcome.Updated, SurveyStatus.Expired, 0, 1, null },
        { SurveyStatus.Awaiting, SurveyStatus.Pending, CsiRecordOutcome.Updated, SurveyStatus.Pending, 1, 1, LiveEventKind.RecordRemoved },
        { SurveyStatus.Awaiting, SurveyStatus.Awaiting, CsiRecordOutcome.Updated, SurveyStatus.Awaiting, 1, 1, LiveEventKind.RecordChanged },
        { SurveyStatus.Awaiting, SurveyStatus.Completed, CsiRecordOutcome.Updated, SurveyStatus.Completed, 0, 1, LiveEventKind.RecordRemoved },
        { SurveyStatus.Awaiting, SurveyStatus.Rejected, CsiRecordOutcome.Updated, SurveyStatus.Rejected, 0, 1, LiveEventKind.RecordRemoved },
        { SurveyStatus.Awaiting, SurveyStatus.Expired, CsiRecordOutcome.Updated, SurveyStatus.Expired, 0, 1, LiveEventKind.RecordRemoved },
        { SurveyStatus.Completed, SurveyStatus.Awaiting, CsiRecordOutcome.IgnoredClosed, SurveyStatus.Completed, 0, 0, null },
        { SurveyStatus.Completed, SurveyStatus.Pending, CsiRecordOutcome.IgnoredClosed, SurveyStatus.Completed, 0, 0, null },
        { SurveyStatus.Completed, SurveyStatus.Expired, CsiRecordOutcome.IgnoredClosed, SurveyStatus.Completed, 0, 0, null },
        { SurveyStatus.Rejected, SurveyStatus.Completed, CsiRecordOutcome.IgnoredClosed, SurveyStatus.Rejected, 0, 0, null },
        { SurveyStatus.Expired, SurveyStatus.Awaiting, CsiRecordOutcome.IgnoredClosed, SurveyStatus.Expired, 0, 0, null },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public async Task IngestAsync_StatusFromCurrentState_HasItsEffect(SurveyStatus? current, SurveyStatus incoming, string expectedResult,
        SurveyStatus expectedStatus, int scheduled, int cancelled, LiveEventKind? expectedEvent)
    {
        var t0 = _db.Now.AddHours(-2);
        if (current is { } c) await SendAsync(CsiPayloads.Record("F-1", _dealer, c.ToString(), t0));
        _db.ClearEvents();

        var response = await SendAsync(CsiPayloads.Record("F-1", _dealer, incoming.ToString(), t0.AddHours(1)));

        var result = Assert.Single(response.Results);
        Assert.Equal(expectedResult, result.Result);
        var (record, messages) = await LoadAsync("F-1");
        Assert.NotNull(record);
        Assert.Equal(expectedStatus, record.Status);
        Assert.Equal(expectedStatus == SurveyStatus.Awaiting, record.IsCallable);
        Assert.Equal(scheduled, messages.Count(m => m.State == MessageState.Scheduled));
        Assert.Equal(cancelled, messages.Count(m => m.State == MessageState.Cancelled));
        if (messages.SingleOrDefault(m => m.State == MessageState.Scheduled) is { } queued) Assert.Equal(expectedStatus, queued.TriggerStatus);
        var events = _db.Events.Where(e => e.Concerns(record.Id)).ToList();
        if (expectedEvent is { } kind)
        {
            var e = Assert.Single(events);
            Assert.Equal((LiveEventKind.RecordsChanged, _dealerId), (e.Kind, e.DealershipId));
            Assert.Equal(kind, HowChanged(e, record.Id));
        }
        else
        {
            Assert.Empty(events);
        }
        // Every applied status is in the history, with the request that brought it.
        Assert.Equal(expectedResult == CsiRecordOutcome.IgnoredClosed || current is null ? 1 : 2, record.History.Count);
        Assert.All(record.History, h => Assert.NotNull(h.InboundRequestId));
    }

    [Fact]
    public async Task IngestAsync_SamePayloadTwice_SecondIsUnchangedWithOneMessage()
    {
        var record = CsiPayloads.Record("F-IDEM", _dealer, "Awaiting", _db.Now.AddHours(-1));
        await SendAsync(record);
        _db.ClearEvents();

        var second = await SendAsync(record);

        Assert.Equal(CsiRecordOutcome.Unchanged, Assert.Single(second.Results).Result);
        var (stored, messages) = await LoadAsync("F-IDEM");
        Assert.Single(messages);
        Assert.Single(stored!.History);
        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task IngestAsync_SameStatusWithChangedDetails_UpdatedWithoutNewMessage()
    {
        var at = _db.Now.AddHours(-1);
        await SendAsync(CsiPayloads.Record("F-DATA", _dealer, "Awaiting", at));
        _db.ClearEvents();

        var response = await SendAsync(CsiPayloads.Record("F-DATA", _dealer, "Awaiting", at, phones: ["07700 900123", "0113 496 0001"]));

        Assert.Equal(CsiRecordOutcome.Updated, Assert.Single(response.Results).Result);
        var (stored, messages) = await LoadAsync("F-DATA");
        Assert.Single(messages);
        Assert.Equal(["+447700900123", "+441134960001"], stored!.Customer.Phones.OrderBy(p => p.Position).Select(p => p.Number));
        Assert.Equal(LiveEventKind.RecordChanged, HowChanged(Assert.Single(_db.Events), stored.Id));
    }

    [Fact]
    public async Task IngestAsync_OlderStatusTime_IgnoredOutOfOrder()
    {
        var at = _db.Now.AddHours(-1);
        await SendAsync(CsiPayloads.Record("F-OOO", _dealer, "Awaiting", at));

        var response = await SendAsync(CsiPayloads.Record("F-OOO", _dealer, "Completed", at.AddMinutes(-5)));

        var result = Assert.Single(response.Results);
        Assert.Equal(CsiRecordOutcome.IgnoredOutOfOrder, result.Result);
        Assert.Equal("Awaiting", result.Status);
        var (stored, _) = await LoadAsync("F-OOO");
        Assert.Equal(SurveyStatus.Awaiting, stored!.Status);
    }

    [Fact]
    public async Task IngestAsync_OtherStatusAtSameTime_IgnoredOutOfOrder()
    {
        var at = _db.Now.AddHours(-1);
        await SendAsync(CsiPayloads.Record("F-TIE", _dealer, "Awaiting", at));

        var response = await SendAsync(CsiPayloads.Record("F-TIE", _dealer, "Pending", at));

        Assert.Equal(CsiRecordOutcome.IgnoredOutOfOrder, Assert.Single(response.Results).Result);
    }

    [Fact]
    public async Task IngestAsync_NewRecordOutsideMatchWindow_NotCreatedButLogged()
    {
        var response = await SendAsync(CsiPayloads.Record("F-OLD", _dealer, "Awaiting", _db.Now.AddHours(-1), eventDate: _db.Now.AddDays(-91)));

        var result = Assert.Single(response.Results);
        Assert.Equal(CsiRecordOutcome.OutsideMatchWindow, result.Result);
        Assert.Null((await LoadAsync("F-OLD")).Record);
        await using var db = _db.NewDbContext();
        var logged = await db.InboundRequests.SingleAsync(r => r.Id == response.RequestId);
        Assert.Contains("F-OLD", logged.RawPayload);
        Assert.Contains(CsiRecordOutcome.OutsideMatchWindow, logged.ResultsJson);
        Assert.Equal(1, logged.Ignored);
        Assert.Single(db.AuditEntries.Where(a => a.Action == "inbound.csi.received" && a.EntityId == response.RequestId.ToString()));
    }

    [Fact]
    public async Task IngestAsync_NewRecordInsideMatchWindow_Created()
    {
        var response = await SendAsync(CsiPayloads.Record("F-EDGE", _dealer, "Awaiting", _db.Now.AddHours(-1), eventDate: _db.Now.AddDays(-90)));

        Assert.Equal(CsiRecordOutcome.Created, Assert.Single(response.Results).Result);
    }

    [Fact]
    public async Task IngestAsync_HeldRecordOutsideWindow_ClosesButDoesNotReopenWork()
    {
        var at = _db.Now.AddHours(-3);
        var oldEvent = _db.Now.AddDays(-80);
        await SendAsync(CsiPayloads.Record("F-HELD1", _dealer, "Pending", at, eventDate: oldEvent),
            CsiPayloads.Record("F-HELD2", _dealer, "Pending", at, eventDate: oldEvent, lastName: "Baker"));
        _db.Time.Advance(TimeSpan.FromDays(20)); // the event is now 100 days old

        var response = await SendAsync(CsiPayloads.Record("F-HELD1", _dealer, "Completed", at.AddHours(1), eventDate: oldEvent),
            CsiPayloads.Record("F-HELD2", _dealer, "Awaiting", at.AddHours(1), eventDate: oldEvent, lastName: "Baker"));

        Assert.Equal([CsiRecordOutcome.Updated, CsiRecordOutcome.OutsideMatchWindow], response.Results.Select(r => r.Result));
        Assert.Equal(SurveyStatus.Completed, (await LoadAsync("F-HELD1")).Record!.Status);
        Assert.Equal(SurveyStatus.Pending, (await LoadAsync("F-HELD2")).Record!.Status);
    }

    [Fact]
    public async Task IngestAsync_PendingBelowThreshold_NoMessage()
    {
        var response = await SendAsync(CsiPayloads.Record("F-LOW", _dealer, "Pending", _db.Now.AddHours(-1), score: 8));

        Assert.Contains("threshold", Assert.Single(response.Results).Detail);
        Assert.Empty((await LoadAsync("F-LOW")).Messages);
    }

    [Fact]
    public async Task IngestAsync_ClosingALockedRecord_ReleasesTheLockAndTellsListeners()
    {
        var at = _db.Now.AddHours(-1);
        var created = await SendAsync(CsiPayloads.Record("F-LOCK", _dealer, "Awaiting", at));
        var recordId = created.Results[0].RecordId!.Value;
        var agent = CoreTestDatabase.Agent("Nadia North", _dealerId);
        Assert.Equal(global::KonnectLive.Core.Calling.LockOutcome.Acquired, (await _db.Locks.AcquireAsync(agent, recordId, TestPage.Token)).Outcome);
        _db.ClearEvents();

        await SendAsync(CsiPayloads.Record("F-LOCK", _dealer, "Completed", at.AddMinutes(30)));

        var record = await _db.GetRecordAsync(recordId);
        Assert.Null(record.LockHolderId);
        Assert.Null(record.LockExpiresAt);
        var removed = Assert.Single(_db.Events);
        Assert.True(removed.Removes(recordId));
    }

    [Fact]
    public async Task IngestAsync_NationalAndInternationalNumber_SameE164AndSameCustomer()
    {
        var at = _db.Now.AddHours(-1);
        var response = await SendAsync(
            CsiPayloads.Record("F-P1", _dealer, "Awaiting", at, phones: ["07700 900123"], registration: "AA11 AAA"),
            CsiPayloads.Record("F-P2", _dealer, "Awaiting", at, phones: ["+44 7700 900123"], registration: "BB22 BBB"));
        // And in a later batch, against the stored customer.
        await SendAsync(CsiPayloads.Record("F-P3", _dealer, "Pending", at, phones: ["+447700900123"], registration: "CC33 CCC"));

        Assert.All(response.Results, r => Assert.Equal(CsiRecordOutcome.Created, r.Result));
        var records = new[] { (await LoadAsync("F-P1")).Record!, (await LoadAsync("F-P2")).Record!, (await LoadAsync("F-P3")).Record! };
        Assert.Single(records.Select(r => r.CustomerId).Distinct());
        Assert.Equal("+447700900123", Assert.Single(records[0].Customer.Phones).Number);
        await using var db = _db.NewDbContext();
        Assert.Equal(3, await db.Vehicles.CountAsync(v => v.CustomerId == records[0].CustomerId));
    }

    [Fact]
    public async Task IngestAsync_SharedNumberDifferentSurname_SeparateCustomers()
    {
        var at = _db.Now.AddHours(-1);
        await SendAsync(CsiPayloads.Record("F-S1", _dealer, "Awaiting", at, lastName: "Archer"),
            CsiPayloads.Record("F-S2", _dealer, "Awaiting", at, firstName: "Bob", lastName: "Brown"));

        Assert.NotEqual((await LoadAsync("F-S1")).Record!.CustomerId, (await LoadAsync("F-S2")).Record!.CustomerId);
    }

    [Fact]
    public async Task IngestAsync_MatchByEmailWithinDealershipOnly()
    {
        var other = await _db.AddDealershipAsync("Southbank Cars");
        var at = _db.Now.AddHours(-1);
        await SendAsync(CsiPayloads.Record("F-E1", _dealer, "Awaiting", at, phones: [], email: "Alice@Example.com"),
            CsiPayloads.Record("F-E2", _dealer, "Pending", at, phones: [], email: "alice@example.com", registration: "ZZ99 ZZZ"),
            CsiPayloads.Record("F-E3", other.Code, "Pending", at, phones: [], email: "alice@example.com"));

        var (r1, r2, r3) = ((await LoadAsync("F-E1")).Record!, (await LoadAsync("F-E2")).Record!, (await LoadAsync("F-E3")).Record!);
        Assert.Equal(r1.CustomerId, r2.CustomerId);
        Assert.NotEqual(r1.CustomerId, r3.CustomerId);
        Assert.Equal("alice@example.com", r1.Customer.Email);
    }

    [Fact]
    public async Task IngestAsync_ThousandRecordsWithInvalidOnesMixedIn_ExactCounts()
    {
        var at = _db.Now.AddHours(-1);
        var records = new List<object>();
        var invalid = 0;
        for (var i = 0; i < 999; i++)
        {
            var r = CsiPayloads.Record($"F-B{i:D4}", _dealer, "Awaiting", at, lastName: $"Batch{i}", phones: [$"07700 9{i:D5}"]);
            switch (i % 10)
            {
                case 3: r["status"] = "Lost"; invalid++; break;
                case 5: ((Dictionary<string, object?>)r["customer"]!)["lastName"] = ""; invalid++; break;
                case 7: r["dealershipCode"] = "NOPE"; invalid++; break;
                case 9 when i % 20 == 9: r["score"] = "eleven"; invalid++; break;
                case 9: ((Dictionary<string, object?>)r["vehicle"]!)["vin"] = "SHORTVIN"; invalid++; break;
            }
            records.Add(r);
        }
        records.Add(42); // not even an object: the 1,000th record

        var response = await SendAsync([.. records]);

        Assert.Equal(1000, response.Received);
        Assert.Equal(999 - invalid, response.Counts.Created);
        Assert.Equal(invalid + 1, response.Counts.Rejected);
        Assert.Equal(["status"], response.Results[3].Errors!.Keys);
        Assert.Equal(["customer.lastName"], response.Results[5].Errors!.Keys);
        Assert.Contains("Unknown dealership code 'NOPE'.", response.Results[7].Errors!["dealershipCode"]);
        Assert.Equal(["score"], response.Results[9].Errors!.Keys);
        Assert.Equal(["vehicle.vin"], response.Results[19].Errors!.Keys);
        await using var db = _db.NewDbContext();
        Assert.Equal(999 - invalid, await db.SurveyRecords.CountAsync(r => r.FocusRecordId.StartsWith("F-B")));
        Assert.Equal(999 - invalid, await db.ScheduledMessages.CountAsync(m => m.State == MessageState.Scheduled));
        var logged = await db.InboundRequests.SingleAsync(r => r.Id == response.RequestId);
        Assert.Equal((200, 1000, 999 - invalid, invalid + 1), (logged.StatusCode, logged.RecordCount, logged.Created, logged.Rejected));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"records\": 5}")]
    [InlineData("{\"records\": []}")]
    [InlineData("{\"other\": []}")]
    [InlineData("{\"records\": [{\"focusRecordId\": \"X\"}")]
    public async Task IngestAsync_MalformedBatch_400AndLoggedAndNothingStored(string body)
    {
        var outcome = await Ingest.IngestAsync(Caller, body);

        Assert.Equal(400, outcome.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Error));
        await using var db = _db.NewDbContext();
        var logged = await db.InboundRequests.SingleAsync(r => r.Id == outcome.RequestId);
        Assert.Equal((400, body), (logged.StatusCode, logged.RawPayload));
        Assert.Equal(0, await db.SurveyRecords.CountAsync());
    }

    [Fact]
    public async Task IngestAsync_OverThousandRecords_400()
    {
        var records = Enumerable.Range(0, 1001).Select(i => (object)CsiPayloads.Record($"F-X{i}", _dealer, "Awaiting", _db.Now.AddHours(-1)));

        var outcome = await Ingest.IngestAsync(Caller, CsiPayloads.Batch(records));

        Assert.Equal(400, outcome.StatusCode);
        Assert.Contains("at most 1,000", outcome.Error);
    }

    [Theory]
    [InlineData("statusChangedAt", "2026-03-01T10:00:00", "statusChangedAt")] // no offset
    [InlineData("statusChangedAt", "2026-03-02T09:06:00Z", "statusChangedAt")] // 6 minutes in the future
    [InlineData("eventType", "Sales, Service", "eventType")]
    [InlineData("status", "2", "status")]
    [InlineData("eventDate", "20/02/2026", "eventDate")]
    public async Task IngestAsync_BadField_RejectedWithItsPath(string field, string value, string expectedPath)
    {
        var r = CsiPayloads.Record("F-BAD", _dealer, "Awaiting", _db.Now.AddHours(-1));
        r[field] = value;

        var result = Assert.Single((await SendAsync(r)).Results);

        Assert.Equal(CsiRecordOutcome.Rejected, result.Result);
        Assert.Contains(expectedPath, result.Errors!.Keys);
    }

    [Fact]
    public async Task IngestAsync_CustomerErrors_RejectedWithFieldPaths()
    {
        var tooMany = CsiPayloads.Record("F-C1", _dealer, "Awaiting", _db.Now.AddHours(-1),
            phones: ["07700 900001", "07700 900002", "07700 900003", "07700 900004", "07700 900005", "07700 900006"]);
        var badPhone = CsiPayloads.Record("F-C2", _dealer, "Awaiting", _db.Now.AddHours(-1), phones: ["12"], email: "not-an-email");
        var huge = CsiPayloads.Record("F-C3", _dealer, "Awaiting", _db.Now.AddHours(-1), firstName: new string('x', 100_000));

        var results = (await SendAsync(tooMany, badPhone, huge)).Results;

        Assert.Contains("customer.phones", results[0].Errors!.Keys);
        Assert.Contains("customer.phones[0].number", results[1].Errors!.Keys);
        Assert.Contains("customer.email", results[1].Errors!.Keys);
        Assert.Contains("customer.firstName", results[2].Errors!.Keys);
        await using var db = _db.NewDbContext();
        Assert.Equal(0, await db.SurveyRecords.CountAsync());
    }

    [Fact]
    public async Task IngestAsync_ControlAndDirectionCharactersInNames_RemovedBeforeStoring()
    {
        var at = _db.Now.AddHours(-1);
        var tricky = CsiPayloads.Record("F-CTL1", _dealer, "Awaiting", at, firstName: "\u202EAnna\u0000", lastName: "Fam\u200Fily\t",
            registration: "AB12\u202E CDE");
        ((Dictionary<string, object?>)tricky["customer"]!)["title"] = "\u2066Mrs\u2069";
        var invisible = CsiPayloads.Record("F-CTL2", _dealer, "Awaiting", at, firstName: "\u202E\u202C\u0007", phones: ["07700 900555"]);

        var results = (await SendAsync(tricky, invisible)).Results;

        Assert.Equal(CsiRecordOutcome.Created, results[0].Result);
        Assert.Equal(CsiRecordOutcome.Rejected, results[1].Result);
        Assert.Contains("customer.firstName", results[1].Errors!.Keys);
        var (record, _) = await LoadAsync("F-CTL1");
        Assert.Equal("Mrs Anna Family", record!.Customer.FullName);
        await using var db = _db.NewDbContext();
        Assert.Equal("AB12 CDE", (await db.Vehicles.SingleAsync(v => v.Id == record.VehicleId)).Registration);
    }

    [Fact]
    public async Task IngestAsync_SameRecordTwiceInOneBatch_AppliedInOrder()
    {
        var at = _db.Now.AddHours(-2);

        var response = await SendAsync(CsiPayloads.Record("F-TWICE", _dealer, "Awaiting", at),
            CsiPayloads.Record("F-TWICE", _dealer, "Completed", at.AddHours(1)));

        Assert.Equal([CsiRecordOutcome.Created, CsiRecordOutcome.Updated], response.Results.Select(r => r.Result));
        Assert.Equal(response.Results[0].RecordId, response.Results[1].RecordId);
        var (record, messages) = await LoadAsync("F-TWICE");
        Assert.Equal(SurveyStatus.Completed, record!.Status);
        Assert.Equal(2, record.History.Count);
        Assert.DoesNotContain(messages, m => m.State == MessageState.Scheduled);
    }

    /// <summary>What a batch event says happened to <paramref name="recordId"/>, in the per-record kinds.</summary>
    private static LiveEventKind? HowChanged(LiveEvent e, int recordId) => e.Records switch
    {
        { } r when r.Added.Contains(recordId) => LiveEventKind.RecordAdded,
        { } r when r.Removed.Contains(recordId) => LiveEventKind.RecordRemoved,
        { } r when r.Changed.Contains(recordId) => LiveEventKind.RecordChanged,
        _ => null,
    };

    [Fact]
    public async Task IngestAsync_BatchAcrossTwoDealerships_PublishesOneEventPerDealershipNamingEveryRecord()
    {
        var other = await _db.AddDealershipAsync("Eastfield Autos");
        var at = _db.Now.AddHours(-1);
        await SendAsync(CsiPayloads.Record("F-OLD", _dealer, "Awaiting", at.AddMinutes(-30)));
        _db.ClearEvents();
        var batch = Enumerable.Range(1, 40).Select(i => (object)CsiPayloads.Record($"F-N{i}", _dealer, "Awaiting", at, lastName: $"North{i}", registration: $"NN{i:D2} AAA"))
            .Concat(Enumerable.Range(1, 10).Select(i => (object)CsiPayloads.Record($"F-E{i}", other.Code, "Awaiting", at, lastName: $"East{i}", registration: $"EE{i:D2} AAA")))
            .Append(CsiPayloads.Record("F-OLD", _dealer, "Completed", at))
            .ToArray();

        var response = await SendAsync(batch);

        Assert.Equal(51, response.Results.Count);
        Assert.Equal([_dealerId, other.Id], _db.Events.Select(e => e.DealershipId).Order());
        Assert.All(_db.Events, e => Assert.Equal(LiveEventKind.RecordsChanged, e.Kind));
        var ours = _db.Events.Single(e => e.DealershipId == _dealerId).Records!;
        var theirs = _db.Events.Single(e => e.DealershipId == other.Id).Records!;
        Assert.Equal((40, 1, 0), (ours.Added.Length, ours.Removed.Length, ours.Changed.Length));
        Assert.Equal((10, 0, 0), (theirs.Added.Length, theirs.Removed.Length, theirs.Changed.Length));
        var old = (await LoadAsync("F-OLD")).Record!;
        Assert.Equal([old.Id], ours.Removed);
    }
}

public sealed class CsiIngestServiceTestsOnPostgreSql : CsiIngestServiceTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
