using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KonnectLive.Tests.Core.Messaging;

/// <summary>The dispatcher on a real SQLite file with a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>, sending to the outbox unless a test swaps the sender.</summary>
public abstract class DispatcherTestBase : IAsyncLifetime
{
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    protected CoreTestDatabase Db { get; private set; } = null!;
    protected MessagingOptions Options { get; } = new() { MaxAttempts = 3, RetryBackoffSeconds = 60, BatchSize = 50, MaxLatenessHours = 24 };
    protected SwitchableSenders Senders { get; private set; } = null!;
    protected int DealershipId { get; private set; }

    public virtual async Task InitializeAsync()
    {
        Db = await CoreTestDatabase.CreateAsync(provider: Provider);
        Senders = new SwitchableSenders(Db.Services.GetRequiredService<OutboxSender>());
        DealershipId = (await Db.AddDealershipAsync()).Id; // Europe/London, 09:00–20:00; the clock starts at 09:00 GMT
    }

    public async Task DisposeAsync() => await Db.DisposeAsync();

    protected MessageDispatcher NewDispatcher() => new(
        Db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>(), Senders,
        Microsoft.Extensions.Options.Options.Create(Options), Db.Time, NullLogger<MessageDispatcher>.Instance);

    protected Task<DispatchSummary> DispatchAsync() => NewDispatcher().DispatchDueAsync();

    protected Task<SurveyRecord> AddRecordAsync(string? email = "alice@example.test", params string[] phones) =>
        Db.AddAwaitingRecordAsync(DealershipId, title: "Mrs", email: email, phones: phones.Length == 0 ? ["+447700900001"] : phones);

    protected async Task<ScheduledMessage> QueueAsync(SurveyRecord record, MessageChannel channel, TimeSpan dueIn, string? key = null)
    {
        await using var db = Db.NewDbContext();
        var templateId = await db.MessageTemplates.Where(t => t.Channel == channel).Select(t => t.Id).FirstAsync();
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, TemplateId = templateId,
            Channel = channel, TriggerStatus = record.Status, TriggerStatusChangedAt = record.StatusChangedAt, CreatedAt = Db.Now,
            DueAt = Db.Now + dueIn, IdempotencyKey = key ?? $"{MessagePlanner.IdempotencyKey(record)}:{channel}",
        };
        db.ScheduledMessages.Add(message);
        await db.SaveChangesAsync();
        return message;
    }

    protected async Task<ScheduledMessage> MessageAsync(long id)
    {
        await using var db = Db.NewDbContext();
        return await db.ScheduledMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    protected async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var db = Db.NewDbContext();
        return await db.OutboxMessages.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }

    protected async Task UpdateAsync(Func<KonnectDbContext, Task> change)
    {
        await using var db = Db.NewDbContext();
        await change(db);
        await db.SaveChangesAsync();
    }
}

/// <summary>Sends to the real outbox unless <see cref="Override"/> is set.</summary>
public sealed class SwitchableSenders(IMessageSender outbox) : IMessageSenderResolver
{
    public IMessageSender? Override { get; set; }
    public IMessageSender For(MessageChannel channel) => Override ?? outbox;
}

/// <summary>A sender that fails the way it is told to, counting calls.</summary>
public sealed class FailingSender(bool permanent = false) : IMessageSender
{
    public int Calls;
    public Task<SendReceipt> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        Interlocked.Increment(ref Calls);
        throw new MessageSendException($"gateway down (call {Calls})", permanent);
    }
}
