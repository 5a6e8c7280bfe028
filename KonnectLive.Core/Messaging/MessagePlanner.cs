using KonnectLive.Core.Data;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Messaging;

public sealed record PlanResult(ScheduledMessage? Message, string? NotPlannedReason);

/// <summary>What planning a message needs to know about its survey record, without loading the entity.</summary>
public sealed record SurveyRecordRef(int Id, string FocusRecordId, int CustomerId, int DealershipId, SurveyStatus Status, DateTime StatusChangedAt);

/// <summary>
/// Turns a status change into queued messages, by the CSI settings in force at that moment. Works inside the
/// caller's DbContext and transaction, so a record and its messages are stored together or not at all.
/// </summary>
public static class MessagePlanner
{
    /// <summary>Adds (does not save) the message a record's new status calls for, or says why there is none.</summary>
    public static PlanResult PlanForStatus(KonnectDbContext db, CsiSettings settings, IReadOnlyDictionary<int, MessageTemplate> templates,
        SurveyRecord record, DateTime now)
    {
        if (record.Id == 0) throw new InvalidOperationException("Save the survey record before planning its messages.");
        int? templateId;
        int delayMinutes;
        switch (record.Status)
        {
            case SurveyStatus.Awaiting:
                templateId = settings.AwaitingTemplateId;
                delayMinutes = settings.AwaitingDelayMinutes;
                break;
            case SurveyStatus.Pending:
                if (record.Score is not { } score || score < settings.PositiveResponseThreshold)
                    return new(null, $"score {record.Score?.ToString() ?? "none"} is below the positive response threshold {settings.PositiveResponseThreshold}");
                templateId = settings.PendingTemplateId;
                delayMinutes = settings.PendingDelayMinutes;
                break;
            default:
                return new(null, $"{record.Status} records are not messaged");
        }
        if (templateId is not { } id || !templates.TryGetValue(id, out var template) || !template.IsActive)
            return new(null, $"no active {record.Status} template is configured");

        var message = Add(db, new SurveyRecordRef(record.Id, record.FocusRecordId, record.CustomerId, record.DealershipId, record.Status,
            record.StatusChangedAt), template, IdempotencyKey(record), createdBy: null, now, dueAt: now.AddMinutes(delayMinutes));
        return new(message, null);
    }

    /// <summary>The same record in the same status at the same time always yields the same key: a resend queues nothing new.</summary>
    public static string IdempotencyKey(SurveyRecord record) =>
        $"csi:{record.FocusRecordId}:{record.Status}:{record.StatusChangedAt:yyyyMMddTHHmmss.fffffff}";

    /// <summary>
    /// Adds (does not save) a follow-up an agent's outcome calls for — the next contact method after a wrong number —
    /// due now. It carries the record's current status as its trigger, so like a status chaser it goes only while the
    /// record is still in that status, and the dispatcher applies consent and sending hours to it at send time.
    /// </summary>
    public static ScheduledMessage PlanFollowUp(KonnectDbContext db, SurveyRecordRef record, MessageTemplate template, string idempotencyKey,
        string createdBy, DateTime now)
        => Add(db, record, template, idempotencyKey, createdBy.Length <= 100 ? createdBy : createdBy[..100], now, dueAt: now);

    /// <summary>A templated message triggered by the record's current status (it goes only while the record stays in it).</summary>
    private static ScheduledMessage Add(KonnectDbContext db, SurveyRecordRef record, MessageTemplate template, string idempotencyKey,
        string? createdBy, DateTime now, DateTime dueAt)
    {
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id,
            CustomerId = record.CustomerId,
            DealershipId = record.DealershipId,
            TemplateId = template.Id,
            Channel = template.Channel,
            TriggerStatus = record.Status,
            TriggerStatusChangedAt = record.StatusChangedAt,
            CreatedAt = now,
            CreatedBy = createdBy,
            DueAt = dueAt,
            IdempotencyKey = idempotencyKey,
        };
        db.ScheduledMessages.Add(message);
        return message;
    }

    /// <summary>
    /// Cancels the automatic messages (status chasers and outcome follow-ups) still waiting for a record; messages an
    /// agent wrote and sent now stay. Returns how many.
    /// </summary>
    public static Task<int> CancelQueuedAutomaticAsync(KonnectDbContext db, int recordId, string reason, DateTime now, CancellationToken ct = default) =>
        db.ScheduledMessages
            .Where(m => m.SurveyRecordId == recordId && m.State == MessageState.Scheduled && m.TriggerStatus != null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Cancelled)
                .SetProperty(m => m.SkipReason, reason)
                .SetProperty(m => m.CompletedAt, now), ct);

    /// <summary>Cancels every message still waiting for a record. Returns how many.</summary>
    public static Task<int> CancelQueuedAsync(KonnectDbContext db, int[] recordIds, string reason, DateTime now, CancellationToken ct = default) =>
        db.ScheduledMessages
            .Where(m => recordIds.Contains(m.SurveyRecordId) && m.State == MessageState.Scheduled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Cancelled)
                .SetProperty(m => m.SkipReason, reason)
                .SetProperty(m => m.CompletedAt, now), ct);

    public static Task<int> CancelQueuedAsync(KonnectDbContext db, int recordId, string reason, DateTime now, CancellationToken ct = default) =>
        db.ScheduledMessages
            .Where(m => m.SurveyRecordId == recordId && m.State == MessageState.Scheduled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Cancelled)
                .SetProperty(m => m.SkipReason, reason)
                .SetProperty(m => m.CompletedAt, now), ct);
}
