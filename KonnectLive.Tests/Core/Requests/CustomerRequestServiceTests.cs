using System.Globalization;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers.Erasure;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Requests;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KonnectLive.Tests.Core.Requests.RequestTestData;

namespace KonnectLive.Tests.Core.Requests;

public sealed class CustomerRequestServiceTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private RequestTypeSummary _type = null!;
    private int _dealershipId;
    private int _recordId;
    private int _customerId;
    private UserScope _agent = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _dealershipId = (await _db.AddDealershipAsync()).Id;
        var record = await _db.AddAwaitingRecordAsync(_dealershipId, phones: "+447700900123");
        (_recordId, _customerId) = (record.Id, record.CustomerId);
        _agent = CoreTestDatabase.Agent("Amy Agent", _dealershipId);
        _type = await AddServiceBookingAsync(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CustomerRequestService Requests => _db.Services.GetRequiredService<CustomerRequestService>();

    private Task<RequestResult> SubmitAsync(UserScope user, RequestContext context, Dictionary<string, string?> values, bool save = true, long? id = null) =>
        Requests.SubmitAsync(user, context, new RequestSubmission(id, _type.Id, values.ToDictionary(v => Field(_type, v.Key), v => v.Value), save),
            CultureInfo.GetCultureInfo("en-GB"));

    [Theory]
    [InlineData("Mileage", "12500.5", "12500.5")]
    [InlineData("Mileage", "twelve", null)]
    [InlineData("Preferred date", "2026-02-30", null)]
    [InlineData("Reason", "repair", "Repair")]
    [InlineData("Reason", "Valeting", null)]
    [InlineData("Courtesy car", "TRUE", "true")]
    [InlineData("Courtesy car", "perhaps", null)]
    [InlineData("Notes", "Rattle from the boot", "Rattle from the boot")]
    public async Task SubmitAsync_Save_ChecksEachValueByItsType(string field, string typed, string? stored)
    {
        var values = new Dictionary<string, string?> { ["Preferred date"] = "2026-03-10", [field] = typed };

        var result = await SubmitAsync(_agent, new RequestContext(_customerId), values);

        var value = result.Request!.Values.Single(v => v.Name == field);
        if (stored is null)
        {
            Assert.Equal(CommandOutcome.Invalid, result.Outcome);
            Assert.Contains(field, result.Errors[Field(_type, field)]);
            Assert.Equal(RequestStatus.Draft, result.Request.Status); // kept as typed, not lost
            Assert.Equal(typed, value.Value);
        }
        else
        {
            Assert.Equal(CommandOutcome.Done, result.Outcome);
            Assert.Equal(RequestStatus.Saved, result.Request.Status);
            Assert.Equal(stored, value.Value);
        }
    }

    [Fact]
    public async Task SubmitAsync_RequiredFieldEmpty_StaysDraftWithMessage()
    {
        var result = await SubmitAsync(_agent, new RequestContext(_customerId), new() { ["Notes"] = "Call after 5" });

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Equal("Preferred date is required.", result.Errors[Field(_type, "Preferred date")]);
        Assert.Equal(RequestStatus.Draft, result.Request!.Status);
    }

    [Fact]
    public async Task SubmitAsync_CustomerOfAnotherDealership_IsNotFoundAndNothingStored()
    {
        var otherDealership = (await _db.AddDealershipAsync("Southside Cars")).Id;
        var stranger = CoreTestDatabase.Agent("Sam Other", otherDealership);

        var result = await SubmitAsync(stranger, new RequestContext(_customerId), new() { ["Preferred date"] = "2026-03-10" });
        var panel = await Requests.GetPanelAsync(stranger, new RequestContext(_customerId));

        Assert.Equal(CommandOutcome.NotFound, result.Outcome);
        Assert.Null(panel);
        await using var db = _db.NewDbContext();
        Assert.Equal(0, await db.CustomerRequests.CountAsync());
    }

    [Fact]
    public async Task ForCallsAsync_OtherDealershipsUser_SeesNothing()
    {
        var token = CallLockService.NewPageToken();
        await _db.Locks.AcquireAsync(_agent, _recordId, token);
        await SubmitAsync(_agent, new RequestContext(_customerId, _recordId, token), new() { ["Preferred date"] = "2026-03-10" });
        var attempt = await _db.Calling.RecordAttemptAsync(_agent, new RecordAttemptCommand(_recordId, await _db.OutcomeIdAsync(), null, _db.Now, null, PageToken: token));
        var query = _db.Services.GetRequiredService<RequestsQuery>();
        var stranger = CoreTestDatabase.Agent("Sam Other", (await _db.AddDealershipAsync("Southside Cars")).Id);

        Assert.Single(await query.ForCallsAsync(_agent, [attempt.AttemptId]));
        Assert.Empty(await query.ForCallsAsync(stranger, [attempt.AttemptId]));
    }

    [Fact]
    public async Task SubmitAsync_CallingPageWithoutTheLock_IsForbidden()
    {
        var token = CallLockService.NewPageToken();
        var other = CoreTestDatabase.Agent("Olly Other", _dealershipId);
        await _db.Locks.AcquireAsync(other, _recordId, CallLockService.NewPageToken());

        var result = await SubmitAsync(_agent, new RequestContext(_customerId, _recordId, token), new() { ["Preferred date"] = "2026-03-10" });
        var panel = await Requests.GetPanelAsync(_agent, new RequestContext(_customerId, _recordId, token));

        Assert.Equal(CommandOutcome.Forbidden, result.Outcome);
        Assert.Equal(CustomerRequestService.LockLost, result.Message);
        Assert.False(panel!.CanEdit);
    }

    [Fact]
    public async Task RecordAttemptAsync_AfterRequestAndDraft_AttachesBothToTheCallAndHistoryShowsThem()
    {
        var token = CallLockService.NewPageToken();
        await _db.Locks.AcquireAsync(_agent, _recordId, token);
        var onCallingPage = new RequestContext(_customerId, _recordId, token);
        var saved = await SubmitAsync(_agent, onCallingPage, new() { ["Preferred date"] = "2026-03-10", ["Mileage"] = "12000" });
        // The agent starts a second one, types, and records the outcome before saving it.
        var draft = await SubmitAsync(_agent, onCallingPage, new() { ["Notes"] = "Half-typed thought" }, save: false);

        var attempt = await _db.Calling.RecordAttemptAsync(_agent, new RecordAttemptCommand(_recordId, await _db.OutcomeIdAsync(), null, _db.Now, null, PageToken: token));

        await using (var db = _db.NewDbContext())
        {
            var rows = await db.CustomerRequests.OrderBy(r => r.Id).ToListAsync();
            Assert.All(rows, r => Assert.Equal(attempt.AttemptId, r.CallAttemptId));
            Assert.Equal([RequestStatus.Saved, RequestStatus.Draft], rows.Select(r => r.Status));
        }
        var history = await _db.Services.GetRequiredService<InteractionHistoryQuery>().ForCustomerAsync(_agent, _customerId);
        var call = history.Items.Single(i => i.Kind == InteractionKind.Call);
        Assert.Equal([saved.Request!.Id, draft.Request!.Id], call.Call!.RequestsOnCall.Select(r => r.Id));
        Assert.Contains("Mileage: 12000", call.Call.RequestsOnCall[0].Summary);
        // The draft is still the agent's to finish, from the customer page (the lock went with the outcome).
        var panel = await Requests.GetPanelAsync(_agent, new RequestContext(_customerId));
        Assert.Equal("Half-typed thought", panel!.Requests.Single().Values.Single(v => v.Name == "Notes").Value);
    }

    [Fact]
    public async Task RequestWithoutCall_ShowsAsItsOwnHistoryRow()
    {
        await SubmitAsync(_agent, new RequestContext(_customerId), new() { ["Preferred date"] = "2026-03-10" });

        var history = await _db.Services.GetRequiredService<InteractionHistoryQuery>().ForCustomerAsync(_agent, _customerId);

        var row = Assert.Single(history.Items);
        Assert.Equal(InteractionKind.Request, row.Kind);
        Assert.Equal("Service booking", row.Request!.TypeName);
        Assert.Equal(1, history.Total);
    }

    [Fact]
    public async Task EraseAsync_ClearsRequestValues_KeepsTheCountForReports()
    {
        await SubmitAsync(_agent, new RequestContext(_customerId), new() { ["Preferred date"] = "2026-03-10", ["Notes"] = "Mrs Archer's Mini" });

        var erased = await _db.Services.GetRequiredService<CustomerEraser>().EraseAsync(Admin, _customerId);

        Assert.True(erased.Succeeded, erased.Message);
        await using var db = _db.NewDbContext();
        Assert.Equal(0, await db.CustomerRequestValues.CountAsync());
        Assert.NotNull((await db.CustomerRequests.SingleAsync()).ErasedAt);
        var supervisor = new UserScope("sup", "Sue", null, false, [Roles.Supervisor]);
        var report = await _db.Services.GetRequiredService<RequestsQuery>().ByTypeAsync(supervisor, KonnectLive.Core.Reports.ReportRange.LastDays(1, _db.Time.GetUtcNow()));
        Assert.Equal(1, Assert.Single(report).Saved);
    }

    [Fact]
    public async Task ExportAsync_IncludesRequestsWithTheirFields()
    {
        await SubmitAsync(_agent, new RequestContext(_customerId), new() { ["Preferred date"] = "2026-03-10", ["Notes"] = "Brakes squeal" });

        var file = await _db.Services.GetRequiredService<CustomerDataExport>().ExportAsync(Admin, _customerId);

        var json = System.Text.Encoding.UTF8.GetString(file!.Json);
        Assert.Contains("\"Requests\"", json);
        Assert.Contains("Brakes squeal", json);
        Assert.Contains("Service booking", json);
    }
}
