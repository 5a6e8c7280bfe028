using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// Step 4 of a batch, after its records are saved: each status event cancels the record's queued messages and plans the
/// new status's message (<see cref="MessagePlanner"/>; the threshold applies to Pending); leaving Awaiting releases any
/// lock. Each record's result says what was queued, or why nothing was.
/// </summary>
internal static class CsiMessageStep
{
    private const int ChunkSize = 500;

    public static async Task PlanAsync(KonnectDbContext db, IngestWorkingSet working, IReadOnlyList<CsiRecordResult> results, CsiSettings settings,
        IReadOnlyDictionary<int, MessageTemplate> templates, DateTime now, CancellationToken ct)
    {
        var plans = new Dictionary<int, string>();
        var releaseLocks = new List<int>();
        var events = working.Tracked.Values.Where(t => t.StatusEvent).ToList();
        // Queued messages of records that changed status are cancelled a chunk of records at a time, per new status (the
        // reason names it), not one statement per record; before the new status's message is planned.
        foreach (var byStatus in events.Where(t => t.InitialStatus is not null).GroupBy(t => t.Record.Status))
            foreach (var chunk in byStatus.Select(t => t.Record.Id).Chunk(ChunkSize))
                await MessagePlanner.CancelQueuedAsync(db, chunk, $"Survey status changed to {byStatus.Key}", now, ct);
        foreach (var t in events)
        {
            var record = t.Record;
            if (t.InitialStatus == SurveyStatus.Awaiting && record.Status != SurveyStatus.Awaiting) releaseLocks.Add(record.Id);
            if (record.IsClosed)
            {
                plans[record.Id] = $"Closed as {record.Status}: queued messages cancelled.";
                continue;
            }
            var plan = MessagePlanner.PlanForStatus(db, settings, templates, record, now);
            plans[record.Id] = plan.Message is { } m
                ? $"{record.Status} {m.Channel} message queued for {m.DueAt:O}."
                : $"No message queued: {plan.NotPlannedReason}.";
        }
        foreach (var chunk in releaseLocks.Chunk(ChunkSize))
            await db.SurveyRecords.Where(r => chunk.Contains(r.Id) && r.LockHolderId != null).ExecuteUpdateAsync(CallLockService.ClearLock, ct);

        foreach (var result in results)
        {
            if (result.RecordId is null && result.Result != CsiRecordOutcome.Rejected && working.Tracked.TryGetValue(result.FocusRecordId ?? "", out var t))
                result.RecordId = t.Record.Id;
            if (result.RecordId is { } id && result.Detail is null && plans.TryGetValue(id, out var plan)) result.Detail = plan;
        }
    }
}
