using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class MessageServiceTests : DispatcherTestBase
{
    private MessageService Service => Db.Services.GetRequiredService<MessageService>();
    private UserScope Agent => CoreTestDatabase.Agent("Alice Agent", DealershipId);

    [Fact]
    public async Task CancelAsync_QueuedInOwnDealership_CancelledAuditedAndNeverSent()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(5));

        var result = await Service.CancelAsync(Agent, message.Id);

        Assert.True(result.Succeeded, result.Message);
        var cancelled = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Cancelled, cancelled.State);
        Assert.Equal("cancelled by Alice Agent", cancelled.SkipReason);
        await using (var db = Db.NewDbContext())
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "message.cancelled" && a.EntityId == message.Id.ToString() && a.CustomerId == record.CustomerId));
        Db.Time.Advance(TimeSpan.FromMinutes(5));
        await DispatchAsync();
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task CancelAsync_OtherDealershipsMessage_NotFoundAndUnchanged()
    {
        var other = await Db.AddDealershipAsync("Elsewhere Motors");
        var record = await Db.AddAwaitingRecordAsync(other.Id, phones: "+447700900111");
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(5));

        var result = await Service.CancelAsync(Agent, message.Id);

        Assert.False(result.Succeeded);
        Assert.Equal("Message not found.", result.Message);
        Assert.Equal(MessageState.Scheduled, (await MessageAsync(message.Id)).State);
    }

    [Fact]
    public async Task CancelAsync_AlreadySent_Refused()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        await DispatchAsync();

        var result = await Service.CancelAsync(Agent, message.Id);

        Assert.False(result.Succeeded);
        Assert.Contains("sent", result.Message);
        Assert.Equal(MessageState.Sent, (await MessageAsync(message.Id)).State);
    }

    [Fact]
    public async Task CancelAsync_HeadOffice_MayCancelAnyDealership()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(5));

        var result = await Service.CancelAsync(CoreTestDatabase.Agent("Hana Office", null), message.Id);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task SearchAsync_DealershipUser_OnlyOwnDealershipWhateverTheFilterAsks()
    {
        var other = await Db.AddDealershipAsync("Elsewhere Motors");
        await QueueAsync(await AddRecordAsync(), MessageChannel.Sms, TimeSpan.Zero);
        await QueueAsync(await Db.AddAwaitingRecordAsync(other.Id, phones: "+447700900111"), MessageChannel.Sms, TimeSpan.Zero);

        var own = await Service.SearchAsync(Agent, new MessageFilter(), 0, 10);
        var sneaky = await Service.SearchAsync(Agent, new MessageFilter(DealershipId: other.Id), 0, 10);
        var all = await Service.SearchAsync(CoreTestDatabase.Agent("Hana Office", null), new MessageFilter(), 0, 10);

        Assert.Equal(1, own.Total);
        Assert.Equal(DealershipId, own.Rows.Single().DealershipId);
        Assert.Equal(0, sneaky.Total);
        Assert.Equal(2, all.Total);
    }

    [Fact]
    public async Task SearchAsync_SentMessage_ShowsOutboxContentAndFiltersByStateChannelAndName()
    {
        var alice = await AddRecordAsync();
        var bob = await Db.AddAwaitingRecordAsync(DealershipId, firstName: "Bob", lastName: "Baker", email: "bob@example.test", phones: "+447700900222");
        var sent = await QueueAsync(alice, MessageChannel.Sms, TimeSpan.Zero);
        await QueueAsync(bob, MessageChannel.Email, TimeSpan.FromHours(1));
        await DispatchAsync();

        var sentPage = await Service.SearchAsync(Agent, new MessageFilter(State: MessageState.Sent), 0, 10);
        var emails = await Service.SearchAsync(Agent, new MessageFilter(Channel: MessageChannel.Email), 0, 10);
        var byName = await Service.SearchAsync(Agent, new MessageFilter(Search: "Bob Bak"), 0, 10);

        var row = Assert.Single(sentPage.Rows);
        Assert.Equal(sent.Id, row.Id);
        Assert.Equal("Mrs Alice Archer", row.CustomerName);
        Assert.Equal("+447700900001", row.Recipient);
        Assert.StartsWith("Hi Alice", row.Body);
        Assert.Equal("Bob Baker", Assert.Single(emails.Rows).CustomerName);
        Assert.Equal("Bob Baker", Assert.Single(byName.Rows).CustomerName);
    }

    [Fact]
    public async Task ForCustomerAsync_QueuedFirstThenNewest()
    {
        var record = await AddRecordAsync();
        var sent = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero, key: "k-sent");
        await DispatchAsync();
        var queued = await QueueAsync(record, MessageChannel.Email, TimeSpan.FromHours(2), key: "k-queued");

        var rows = await Service.ForCustomerAsync(Agent, record.CustomerId);

        Assert.Equal([queued.Id, sent.Id], rows.Select(r => r.Id));
        Assert.True(rows[0].CanCancel);
        Assert.False(rows[1].CanCancel);
    }
}
