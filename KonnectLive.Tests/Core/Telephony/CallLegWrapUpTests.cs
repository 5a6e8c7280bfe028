using System.Text.Json.Nodes;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Telephony;

/// <summary>
/// An outcome the agent records during (or just after) a phone-system call becomes that leg's wrap-up, whichever
/// arrives first; the leg is one interaction in the customer's history, seen only in its agent's dealership.
/// </summary>
public sealed class CallLegWrapUpTests : IAsyncLifetime
{
    private const string Mobile = "+447700900123";
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;
    private UserScope _sam = null!;
    private InboundCaller _phoneSystem = null!;

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
    private InteractionHistoryQuery History => _db.Services.GetRequiredService<InteractionHistoryQuery>();

    private async Task SendAsync(params JsonObject[] events)
    {
        var outcome = await Events.IngestAsync(_phoneSystem, new JsonObject { ["events"] = new JsonArray(events) }.ToJsonString());
        Assert.True(outcome.StatusCode == 200, outcome.Error);
    }

    private JsonObject Event(string id, string call, string type, DateTime at, string? agent = null) => new()
    {
        ["eventId"] = id, ["callId"] = call, ["type"] = type, ["occurredAt"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["direction"] = "inbound",
        ["ani"] = "07700 900123", ["dnis"] = "0113 496 0000", ["queue"] = "CSI", ["agent"] = agent,
        ["reason"] = type == "ended" ? "completed" : null,
    };

    private async Task<CallLeg> LegAsync(string call)
    {
        await using var db = _db.NewDbContext();
        return await db.CallLegs.AsNoTracking().SingleAsync(l => l.Call.CallId == call);
    }

    [Fact]
    public async Task RecordAttemptAsync_DuringAnAnsweredCall_BecomesThatLegsWrapUp()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        var rang = _db.Now;
        await SendAsync(Event("e1", "c1", "offered", rang), Event("e2", "c1", "answered", rang.AddSeconds(5), "agent.north1"));
        _db.Time.Advance(TimeSpan.FromSeconds(70));

        var result = await _db.Calling.RecordAttemptAsync(_nadia,
            new RecordAttemptCommand(record.Id, await _db.OutcomeIdAsync(DatabaseInitializer.WillCompleteOutcome), null, rang, "Happy to do it"));
        await SendAsync(Event("e3", "c1", "ended", rang.AddSeconds(95)));

        var leg = await LegAsync("c1");
        Assert.Equal(result.AttemptId, leg.CallAttemptId);
        Assert.Equal(90, leg.DurationSeconds);
        var item = Assert.Single((await History.ForCustomerAsync(_nadia, record.CustomerId)).Items);
        Assert.Equal(InteractionKind.Call, item.Kind); // one row for the leg, carrying its wrap-up
        Assert.Equal(DatabaseInitializer.WillCompleteOutcome, item.Call!.Outcome);
        Assert.Equal(CallType.Inbound, item.Call.CallType);
        Assert.Equal("INBOUND", item.Call.Leg!.TypeLabel);
        Assert.Equal(90, item.Call.Seconds);
        Assert.Equal("CSI", item.Call.Leg.Queue);
    }

    [Fact]
    public async Task RebuildAsync_EventsArriveAfterTheOutcome_StillAttachTheWrapUp()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        var rang = _db.Now;
        _db.Time.Advance(TimeSpan.FromSeconds(60));
        var result = await _db.Calling.RecordAttemptAsync(_nadia,
            new RecordAttemptCommand(record.Id, await _db.OutcomeIdAsync(DatabaseInitializer.VoicemailOutcome), null, rang, null));

        await SendAsync(Event("e1", "c2", "offered", rang), Event("e2", "c2", "answered", rang.AddSeconds(2), "agent.north1"),
            Event("e3", "c2", "ended", rang.AddSeconds(40)));

        Assert.Equal(result.AttemptId, (await LegAsync("c2")).CallAttemptId);
    }

    [Fact]
    public async Task RecordAttemptAsync_AnotherCustomersNumberOrAnHourLater_AttachesNothing()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: ["+441134960001"]);
        var rang = _db.Now;
        await SendAsync(Event("e1", "c3", "offered", rang), Event("e2", "c3", "answered", rang.AddSeconds(2), "agent.north1"),
            Event("e3", "c3", "ended", rang.AddSeconds(40)));
        var other = await _db.AddAwaitingRecordAsync(_north.Id, "Bob", "Baker", phones: [Mobile]);
        _db.Time.Advance(TimeSpan.FromMinutes(45));

        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(record.Id, await _db.OutcomeIdAsync(), null, _db.Now, null));
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(other.Id, await _db.OutcomeIdAsync(), null, _db.Now, null));

        Assert.Null((await LegAsync("c3")).CallAttemptId);
    }

    [Fact]
    public async Task History_Leg_IsSeenInItsAgentsDealershipOnly()
    {
        var record = await _db.AddAwaitingRecordAsync(_north.Id, phones: [Mobile]);
        var rang = _db.Now;
        await SendAsync(Event("e1", "c4", "offered", rang), Event("e2", "c4", "answered", rang.AddSeconds(3), "agent.north1"),
            Event("e3", "c4", "ended", rang.AddSeconds(63)));
        var headOffice = await _db.CreateUserAsync("ho.agent", Roles.Agent);

        var north = await History.ForCustomerAsync(_nadia, record.CustomerId);
        var byNumberNorth = await History.ForAddressAsync(_nadia, Mobile, null);
        var byNumberSouth = await History.ForAddressAsync(_sam, Mobile, null);
        var byHeadOffice = await History.ForCustomerAsync(headOffice, record.CustomerId);

        var leg = Assert.Single(north.Items);
        Assert.Equal(InteractionKind.CallLeg, leg.Kind);
        Assert.Equal("", leg.Call!.Outcome);
        Assert.Equal(60, leg.Call.Seconds);
        Assert.Equal("Northgate Motors", leg.DealershipName);
        Assert.Single(byNumberNorth.Items);
        Assert.Empty(byNumberSouth.Items);
        Assert.Equal(0, byNumberSouth.Total);
        Assert.Single(byHeadOffice.Items);
    }
}
