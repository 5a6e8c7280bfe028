using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Profile;

public sealed class InteractionHistoryQueryTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private int _north;

    private InteractionHistoryQuery History => _db.Services.GetRequiredService<InteractionHistoryQuery>();

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = (await _db.AddDealershipAsync("Northgate Motors")).Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ForCustomerAsync_CallsAndMessages_MergedNewestFirstAcrossPages()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        var expected = new List<long>();
        // Interleaved in time: call, message, call, message … one hour apart, newest last.
        for (var i = 0; i < 25; i++)
        {
            var at = _db.Now.AddHours(-25 + i);
            expected.Add(i % 2 == 0
                ? await _db.AddCallAsync(record, "+447700900123", at)
                : await _db.AddMessageAsync(record, MessageChannel.Sms, "+447700900123", at));
        }
        expected.Reverse();
        var agent = CoreTestDatabase.Agent("Nadia", _north);

        var first = await History.ForCustomerAsync(agent, record.CustomerId, 0, 10);
        var second = await History.ForCustomerAsync(agent, record.CustomerId, 10, 10);
        var third = await History.ForCustomerAsync(agent, record.CustomerId, 20, 10);

        Assert.Equal(25, first.Total);
        Assert.Equal(expected, first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Id));
        Assert.Equal(5, third.Items.Count);
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => p.First.At >= p.Second.At));
    }

    [Fact]
    public async Task ForCustomerAsync_Call_CarriesOutcomeAgentDurationTypeRecordAndNotes()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        var callId = await _db.AddCallAsync(record, "+447700900123", _db.Now.AddHours(-1), durationSeconds: 125, agent: "Noah Northcote",
            note: "Asked to call back", type: CallType.Inbound);
        await using (var db = _db.NewDbContext())
        {
            db.CustomerNotes.Add(new CustomerNote { CustomerId = record.CustomerId, AuthorId = "x", AuthorName = "Noah Northcote", Text = "Prefers evenings", CreatedAt = _db.Now, CallAttemptId = callId });
            await db.SaveChangesAsync();
        }

        var page = await History.ForCustomerAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId);

        var item = Assert.Single(page.Items);
        Assert.Equal(record.FocusRecordId, item.FocusRecordId);
        Assert.Equal("Northgate Motors", item.DealershipName);
        Assert.Equal(CallType.Inbound, item.Call!.CallType);
        Assert.Equal(125, item.Call.DurationSeconds);
        Assert.Equal("No answer", item.Call.Outcome);
        Assert.Equal("Noah Northcote", item.Call.AgentName);
        Assert.Equal("Asked to call back", item.Call.Note);
        Assert.Equal("Prefers evenings", Assert.Single(item.Call.Notes).Text);
    }

    [Fact]
    public async Task ForCustomerAsync_CustomerOfOtherDealership_Empty()
    {
        var south = await _db.AddDealershipAsync("Southbank Cars");
        var record = await _db.AddAwaitingRecordAsync(south.Id, phones: "+447700900123");
        await _db.AddCallAsync(record, "+447700900123", _db.Now.AddHours(-1));

        var page = await History.ForCustomerAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId);

        Assert.Equal(0, page.Total);
        Assert.Empty(page.Items);
    }
}
