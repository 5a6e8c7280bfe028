using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Messaging;

/// <summary>One message as the Messages page and the calling page show it; Outbox* are what the outbox recorded for it.</summary>
public sealed record MessageRow(
    long Id, int SurveyRecordId, int CustomerId, string CustomerName, int DealershipId, string DealershipName,
    MessageChannel Channel, MessageState State, string? TemplateName, DateTime CreatedAt, DateTime DueAt, DateTime? SentAt,
    DateTime? CompletedAt, int Attempts, string? Recipient, string? Subject, string? Body, string? SkipReason, string? LastError,
    string IdempotencyKey, string? ProviderMessageId)
{
    public bool CanCancel => State == MessageState.Scheduled;
}

public sealed record MessageFilter(MessageState? State = null, MessageChannel? Channel = null, string? Search = null, int? DealershipId = null);

public sealed record MessagePage(IReadOnlyList<MessageRow> Rows, int Total);

public sealed record CancelResult(bool Succeeded, string Message);

/// <summary>
/// Reading scheduled messages and cancelling a queued one, always within what the user may see: a dealership user
/// only ever gets their own dealership's messages, whatever the page asks for.
/// </summary>
public sealed class MessageService(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public async Task<MessagePage> SearchAsync(UserScope user, MessageFilter filter, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Scoped(db, user);
        if (filter.DealershipId is { } d) q = q.Where(m => m.DealershipId == d);
        if (filter.State is { } s) q = q.Where(m => m.State == s);
        if (filter.Channel is { } c) q = q.Where(m => m.Channel == c);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            var customers = db.Customers.Where(x =>
                (x.FirstName + " " + x.LastName).Contains(term) || x.LastName.StartsWith(term) || (x.Email != null && x.Email.StartsWith(term)));
            q = q.Where(m => customers.Any(x => x.Id == m.CustomerId) || (m.Recipient != null && m.Recipient.Contains(term)));
        }
        var total = await q.CountAsync(ct);
        // Newest due first: what is about to go, and what just went, is what a supervisor looks for.
        var rows = await Project(db, q.OrderByDescending(m => m.DueAt).ThenByDescending(m => m.Id).Skip(skip).Take(take)).ToListAsync(ct);
        return new MessagePage(rows, total);
    }

    /// <summary>A customer's messages, queued first and then newest first (the calling page's panel).</summary>
    public async Task<IReadOnlyList<MessageRow>> ForCustomerAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Project(db, Scoped(db, user).Where(m => m.CustomerId == customerId)).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.State is MessageState.Scheduled or MessageState.Sending ? 0 : 1)
            .ThenBy(r => r.State is MessageState.Scheduled or MessageState.Sending ? r.DueAt.Ticks : -(r.CompletedAt ?? r.DueAt).Ticks)];
    }

    /// <summary>Cancels a queued message: only Scheduled → Cancelled, by one conditional UPDATE, in the user's dealership, audited.</summary>
    public async Task<CancelResult> CancelAsync(UserScope user, long messageId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var reason = $"cancelled by {user.DisplayName}";
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var cancelled = await db.ScheduledMessages
            .Where(m => m.Id == messageId && m.State == MessageState.Scheduled && (user.DealershipId == null || m.DealershipId == user.DealershipId))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Cancelled)
                .SetProperty(m => m.SkipReason, reason)
                .SetProperty(m => m.CompletedAt, now), ct);
        if (cancelled == 0)
        {
            var current = await db.ScheduledMessages.AsNoTracking().Where(m => m.Id == messageId)
                .Select(m => new { m.State, m.DealershipId }).FirstOrDefaultAsync(ct);
            return current is null || !user.CanSee(current.DealershipId)
                ? new CancelResult(false, "Message not found.")
                : new CancelResult(false, $"The message is {current.State.ToString().ToLowerInvariant()} and can no longer be cancelled.");
        }
        var customerId = await db.ScheduledMessages.Where(m => m.Id == messageId).Select(m => m.CustomerId).SingleAsync(ct);
        AuditLog.Add(db, now, user, "message.cancelled", nameof(ScheduledMessage), messageId.ToString(), reason, customerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CancelResult(true, "Message cancelled.");
    }

    private static IQueryable<ScheduledMessage> Scoped(KonnectDbContext db, UserScope user) =>
        user.DealershipId is { } own ? db.ScheduledMessages.Where(m => m.DealershipId == own) : db.ScheduledMessages;

    private static IQueryable<MessageRow> Project(KonnectDbContext db, IQueryable<ScheduledMessage> q) =>
        from m in q
        join c in db.Customers on m.CustomerId equals c.Id
        join d in db.Dealerships on m.DealershipId equals d.Id
        from o in db.OutboxMessages.Where(o => o.IdempotencyKey == m.IdempotencyKey).DefaultIfEmpty()
        select new MessageRow(
            m.Id, m.SurveyRecordId, m.CustomerId,
            (c.Title != null && c.Title != "" ? c.Title + " " : "") + c.FirstName + " " + c.LastName,
            m.DealershipId, d.Name, m.Channel, m.State, m.Template != null ? m.Template.Name : null,
            m.CreatedAt, m.DueAt, m.SentAt, m.CompletedAt, m.Attempts,
            m.Recipient ?? (o != null ? o.Recipient : null), m.Subject ?? (o != null ? o.Subject : null), m.Body ?? (o != null ? o.Body : null),
            m.SkipReason, m.LastError, m.IdempotencyKey, m.ProviderMessageId);
}
