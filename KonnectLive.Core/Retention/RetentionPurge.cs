using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Retention;

/// <summary>What one purge removed.</summary>
public sealed record RetentionPurgeSummary(int PayloadsCleared, int InboundRowsDeleted, int OutboxDeleted, int MessagesDeleted, int AuditDeleted)
{
    public int Total => PayloadsCleared + InboundRowsDeleted + OutboxDeleted + MessagesDeleted + AuditDeleted;

    public override string ToString() =>
        $"{PayloadsCleared:N0} inbound payload(s) emptied, {InboundRowsDeleted:N0} inbound log row(s), {OutboxDeleted:N0} outbox row(s), " +
        $"{MessagesDeleted:N0} finished message(s) and {AuditDeleted:N0} audit entr(y/ies) deleted";
}

/// <summary>
/// Removes what is older than the retention periods (<see cref="RetentionSettings"/>), in batches of
/// <see cref="RetentionOptions.BatchSize"/> rows, each its own short statement so the writers (ingest, the dispatcher)
/// never wait long behind it. Never touches a message that is still scheduled or sending, nor its outbox row. Idempotent:
/// two instances running it at once only find less to do. Logs and audits (<c>retention.purged</c>) what it removed.
/// </summary>
public sealed class RetentionPurge(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time, IOptions<RetentionOptions> options,
    ILogger<RetentionPurge> logger)
{
    public const string AuditAction = "retention.purged";
    private static readonly MessageState[] Finished = [MessageState.Sent, MessageState.Cancelled, MessageState.Skipped, MessageState.Failed];
    private static readonly MessageState[] Pending = [MessageState.Scheduled, MessageState.Sending];

    public async Task<RetentionPurgeSummary> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        RetentionSettings settings;
        await using (var db = await dbFactory.CreateDbContextAsync(ct)) settings = await RetentionSettingsService.ReadAsync(db, ct);
        var batch = Math.Max(1, options.Value.BatchSize);

        var payloadCutOff = now.AddDays(-settings.InboundPayloadDays);
        var payloads = await RepeatAsync(db => db.InboundRequests
            .Where(r => db.InboundRequests.Where(x => x.ReceivedAt < payloadCutOff && (x.RawPayload != "" || x.ResultsJson != null))
                .OrderBy(x => x.Id).Take(batch).Select(x => x.Id).Contains(r.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RawPayload, "").SetProperty(r => r.ResultsJson, (string?)null), ct), batch, ct);

        var auditCutOff = now.AddDays(-settings.AuditDays);
        var inbound = await RepeatAsync(db => db.InboundRequests
            .Where(r => db.InboundRequests.Where(x => x.ReceivedAt < auditCutOff).OrderBy(x => x.Id).Take(batch).Select(x => x.Id).Contains(r.Id))
            .ExecuteDeleteAsync(ct), batch, ct);

        var outboxCutOff = now.AddDays(-settings.OutboxDays);
        var outbox = await RepeatAsync(db => db.OutboxMessages
            .Where(o => db.OutboxMessages
                .Where(x => x.SentAt < outboxCutOff
                            && !db.ScheduledMessages.Any(m => m.Id == x.ScheduledMessageId && Pending.Contains(m.State)))
                .OrderBy(x => x.Id).Take(batch).Select(x => x.Id).Contains(o.Id))
            .ExecuteDeleteAsync(ct), batch, ct);

        var messageCutOff = now.AddDays(-settings.FinishedMessageDays);
        var messages = await RepeatAsync(db => db.ScheduledMessages
            .Where(m => db.ScheduledMessages
                .Where(x => Finished.Contains(x.State) && (x.CompletedAt ?? x.SentAt ?? x.CreatedAt) < messageCutOff)
                .OrderBy(x => x.Id).Take(batch).Select(x => x.Id).Contains(m.Id))
            .ExecuteDeleteAsync(ct), batch, ct);

        var audit = await RepeatAsync(db => db.AuditEntries
            .Where(a => db.AuditEntries.Where(x => x.At < auditCutOff).OrderBy(x => x.Id).Take(batch).Select(x => x.Id).Contains(a.Id))
            .ExecuteDeleteAsync(ct), batch, ct);

        var summary = new RetentionPurgeSummary(payloads, inbound, outbox, messages, audit);
        if (summary.Total > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            AuditLog.Add(db, now, null, AuditAction, nameof(RetentionSettings), RetentionSettings.SingletonId.ToString(),
                $"Daily clean-up: {summary} (kept: payloads {settings.InboundPayloadDays} d, outbox {settings.OutboxDays} d, " +
                $"finished messages {settings.FinishedMessageDays} d, audit {settings.AuditDays} d).");
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Retention clean-up: {Summary}", summary);
        return summary;
    }

    /// <summary>Runs one bounded statement until it affects fewer rows than a batch; the total affected.</summary>
    private async Task<int> RepeatAsync(Func<KonnectDbContext, Task<int>> statement, int batch, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var n = await statement(db);
            total += n;
            if (n < batch) return total;
        }
    }
}

public sealed class RetentionOptions
{
    public const string Section = "Retention";
    /// <summary>How often the clean-up runs (one instance of a cluster runs it each time).</summary>
    public double RunEveryHours { get; set; } = 24;
    /// <summary>The first run, this long after start (so a restart loop does not purge in a loop, and start-up stays quick).</summary>
    public double FirstRunAfterMinutes { get; set; } = 10;
    /// <summary>Rows per delete statement.</summary>
    public int BatchSize { get; set; } = 1_000;
}
