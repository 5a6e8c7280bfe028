using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Messaging;

/// <summary>
/// The embedded default: "sends" by recording the message in the outbox table, shown on the Messages page.
/// The outbox's unique index on the idempotency key makes it exactly-once: a retry after a crash finds the key
/// already there and reports it as sent.
/// </summary>
public sealed class OutboxSender(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time) : IBatchMessageSender
{
    private const int ChunkSize = 500;

    /// <summary>
    /// A batch in one transaction: the keys already in the outbox are read a chunk at a time, the rest inserted together.
    /// A key sent twice in one batch yields one row (the second copy is "already sent"). Should another sender insert one of
    /// the keys meanwhile, the unique index refuses the whole batch and each message is sent on its own, as before.
    /// </summary>
    public async Task<IReadOnlyList<SendReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return [];
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var existing = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var chunk in messages.Select(m => m.IdempotencyKey).Distinct().Chunk(ChunkSize))
                foreach (var o in await db.OutboxMessages.AsNoTracking().Where(o => chunk.Contains(o.IdempotencyKey))
                             .Select(o => new { o.Id, o.IdempotencyKey }).ToListAsync(ct))
                    existing[o.IdempotencyKey] = o.Id;

            var sentAt = time.GetUtcNow().UtcDateTime;
            var rows = new Dictionary<string, OutboxMessage>(StringComparer.Ordinal);
            foreach (var m in messages)
            {
                if (existing.ContainsKey(m.IdempotencyKey) || rows.ContainsKey(m.IdempotencyKey)) continue;
                rows[m.IdempotencyKey] = new OutboxMessage
                {
                    ScheduledMessageId = m.ScheduledMessageId, Channel = m.Channel, Recipient = m.Recipient, Subject = m.Subject, Body = m.Body,
                    SentAt = sentAt, IdempotencyKey = m.IdempotencyKey,
                };
            }
            db.OutboxMessages.AddRange(rows.Values);
            try
            {
                await db.SaveChangesAsync(ct); // one transaction for every row of the batch
                var firstOf = new HashSet<string>(StringComparer.Ordinal);
                return messages.Select(m => existing.TryGetValue(m.IdempotencyKey, out var id) ? new SendReceipt($"outbox:{id}", AlreadySent: true)
                    : firstOf.Add(m.IdempotencyKey) ? new SendReceipt($"outbox:{rows[m.IdempotencyKey].Id}")
                    : new SendReceipt($"outbox:{rows[m.IdempotencyKey].Id}", AlreadySent: true)).ToList();
            }
            catch (DbUpdateException)
            {
                // Lost a race on a key: fall through to one at a time, where each message finds its own answer.
            }
        }
        var receipts = new List<SendReceipt>(messages.Count);
        foreach (var m in messages) receipts.Add(await SendAsync(m, ct));
        return receipts;
    }

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
