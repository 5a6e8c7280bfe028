using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Messaging;

/// <summary>
/// The embedded default: "sends" by recording the message in the outbox table, shown on the Messages page.
/// The outbox's unique index on the idempotency key makes it exactly-once: a retry after a crash finds the key
/// already there and reports it as sent.
/// </summary>
public sealed class OutboxSender(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time) : IMessageSender
{
    public async Task<SendReceipt> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await ExistingIdAsync(db, message.IdempotencyKey, ct);
        if (existing is not null) return new SendReceipt($"outbox:{existing}", AlreadySent: true);

        var row = new OutboxMessage
        {
            ScheduledMessageId = message.ScheduledMessageId, Channel = message.Channel, Recipient = message.Recipient,
            Subject = message.Subject, Body = message.Body, SentAt = time.GetUtcNow().UtcDateTime, IdempotencyKey = message.IdempotencyKey,
        };
        db.OutboxMessages.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            return new SendReceipt($"outbox:{row.Id}");
        }
        catch (DbUpdateException)
        {
            // Lost a race with another sender of the same key: the unique index kept it to one row.
            db.ChangeTracker.Clear();
            var winner = await ExistingIdAsync(db, message.IdempotencyKey, ct);
            if (winner is null) throw;
            return new SendReceipt($"outbox:{winner}", AlreadySent: true);
        }
    }

    private static Task<long?> ExistingIdAsync(KonnectDbContext db, string key, CancellationToken ct) =>
        db.OutboxMessages.Where(o => o.IdempotencyKey == key).Select(o => (long?)o.Id).FirstOrDefaultAsync(ct);
}
