using System.Text.Json;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>A record's chase-list columns, attempt count and FOCUS status at one moment: before a call, and after it.</summary>
public sealed record ChaseState(
    DateTime ChaseKey, DateTime? CallbackDueAt, string? CallbackAgentId, string? CallbackAgentName, DateTime? ReservedUntil,
    DateTime? ChaseEndedAt, string? ChaseEndedReason, int AttemptCount, DateTime? LastAttemptAt,
    SurveyStatus Status, DateTime StatusChangedAt)
{
    internal static Task<ChaseState> ReadAsync(KonnectDbContext db, int recordId, CancellationToken ct) =>
        db.SurveyRecords.AsNoTracking().Where(r => r.Id == recordId)
            .Select(r => new ChaseState(r.ChaseKey, r.CallbackDueAt, r.CallbackAgentId, r.CallbackAgentName, r.ReservedUntil,
                r.ChaseEndedAt, r.ChaseEndedReason, r.AttemptCount, r.LastAttemptAt, r.Status, r.StatusChangedAt))
            .SingleAsync(ct);
}

/// <summary>What undoing a call needs, stored on the attempt (<see cref="CallAttempt.UndoState"/>).</summary>
/// <param name="WrongNumberPhoneId">Wrong number: the number it marked.</param>
/// <param name="FollowUpKey">The idempotency key of the follow-up message it queued.</param>
public sealed record AttemptUndoState(ChaseState Before, ChaseState After, int? WrongNumberPhoneId, string? FollowUpKey)
{
    public string ToJson() => JsonSerializer.Serialize(this);
    public static AttemptUndoState? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<AttemptUndoState>(json);
}

/// <summary>
/// Undo the outcome an agent recorded by mistake, for a few minutes (<see cref="CsiSettings.UndoMinutes"/>): the record goes
/// back to what it was before the call — chase-list place, call-back, reservation, end of chase, attempt count — only if
/// nothing has happened to it since (another call, FOCUS, another agent holding it, a change of numbers), checked in the
/// UPDATE's WHERE. The attempt is kept, marked undone and audited; reports stop counting it. Only the agent who recorded
/// it, or a supervisor or admin, may undo it.
/// </summary>
public sealed class AttemptUndoService(IDbContextFactory<KonnectDbContext> dbFactory, ILiveEventPublisher live, TimeProvider time)
{
    public const string UndoneAction = "call.undone";

    /// <summary>For how many minutes a call may be undone (0: undo is off).</summary>
    public async Task<int> WindowMinutesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CsiSettings.AsNoTracking().Where(s => s.Id == CsiSettings.SingletonId).Select(s => (int?)s.UndoMinutes)
            .SingleOrDefaultAsync(ct) ?? CsiSettings.DefaultUndoMinutes;
    }

    /// <summary>Whether <paramref name="user"/> may undo a call <paramref name="agentId"/> recorded (the window aside).</summary>
    public static bool MayUndo(UserScope user, string agentId) =>
        user.UserId == agentId || user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);

    /// <summary>Until when a call recorded at <paramref name="recordedAt"/> may be undone.</summary>
    public static DateTime UndoableUntil(DateTime recordedAt, int windowMinutes) => recordedAt.AddMinutes(windowMinutes);

    public async Task<CommandResult> UndoAsync(UserScope user, long attemptId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attempt = await db.CallAttempts.Include(a => a.Outcome).SingleOrDefaultAsync(a => a.Id == attemptId, ct);
        if (attempt is null || !user.CanSee(attempt.DealershipId))
            return CommandResult.NotFound("That call does not exist or is not in your dealership.");
        var name = await db.Customers.AsNoTracking().Where(c => c.Id == attempt.CustomerId)
            .Select(c => (c.Title == null ? "" : c.Title + " ") + c.FirstName + " " + c.LastName).SingleAsync(ct);
        var what = $"{attempt.Outcome.Name} for {name}";
        if (attempt.IsUndone)
            return CommandResult.Unchanged($"{what} was already undone by {attempt.UndoneBy}.");
        if (!MayUndo(user, attempt.AgentId))
            return CommandResult.Forbidden($"Only {attempt.AgentName}, who recorded {what}, or a supervisor can undo it.");

        var now = time.GetUtcNow().UtcDateTime;
        var window = await WindowMinutesAsync(ct);
        if (window <= 0)
            return CommandResult.Refused($"Undo is turned off ({CsiSettingDefinitions.UndoMinutes} is 0).");
        if (now > UndoableUntil(attempt.RecordedAt, window))
            return CommandResult.Refused($"{what} can no longer be undone: a call can be undone for {Wording.Plural(window, "minute")} " +
                                         $"after recording it, and this one was recorded at {ContactCentreTime.Clock(attempt.RecordedAt)}.");
        if (AttemptUndoState.FromJson(attempt.UndoState) is not { } state)
            return CommandResult.Refused($"{what} was recorded before undo existed, so it cannot be undone.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.CallAttempts.AnyAsync(a => a.SurveyRecordId == attempt.SurveyRecordId && a.Id > attempt.Id && a.UndoneAt == null, ct))
            return CommandResult.Refused($"A newer call was recorded for {name} since, so {attempt.Outcome.Name} cannot be undone.");
        var current = await db.SurveyRecords.AsNoTracking().Where(r => r.Id == attempt.SurveyRecordId)
            .Select(r => new { r.LockHolderId, r.LockHolderName, r.LockExpiresAt }).SingleAsync(ct);
        if (current.LockHolderId is not null && current.LockHolderId != user.UserId && current.LockExpiresAt > now)
            return CommandResult.Refused($"{current.LockHolderName} has {name} open now, so {attempt.Outcome.Name} cannot be undone.");

        // Put back only what this call left: a newer change (FOCUS, an unsubscribe, a lock taken meanwhile) fails the WHERE.
        var (before, after) = (state.Before, state.After);
        var me = user.UserId;
        var restored = await db.SurveyRecords
            .Where(r => r.Id == attempt.SurveyRecordId
                        && r.ChaseKey == after.ChaseKey && r.AttemptCount == after.AttemptCount
                        && r.Status == after.Status && r.StatusChangedAt == after.StatusChangedAt
                        && (r.LockHolderId == null || r.LockExpiresAt <= now || r.LockHolderId == me))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ChaseKey, before.ChaseKey)
                .SetProperty(r => r.CallbackDueAt, before.CallbackDueAt)
                .SetProperty(r => r.CallbackAgentId, before.CallbackAgentId)
                .SetProperty(r => r.CallbackAgentName, before.CallbackAgentName)
                .SetProperty(r => r.ReservedUntil, before.ReservedUntil)
                .SetProperty(r => r.ChaseEndedAt, before.ChaseEndedAt)
                .SetProperty(r => r.ChaseEndedReason, before.ChaseEndedReason)
                .SetProperty(r => r.AttemptCount, before.AttemptCount)
                .SetProperty(r => r.LastAttemptAt, before.LastAttemptAt), ct) == 1;
        if (!restored)
            return CommandResult.Refused($"{name}'s record has changed since {attempt.Outcome.Name} was recorded " +
                                         "(FOCUS, another agent or a change of numbers), so it cannot be undone.");

        var notes = new List<string>();
        if (state.WrongNumberPhoneId is { } phoneId
            && await db.Set<Customers.CustomerPhone>().SingleOrDefaultAsync(p => p.Id == phoneId, ct) is { } phone
            && phone.ClearWrongNumber(attempt.RecordedAt))
            notes.Add($"{Customers.PhoneNormaliser.Display(phone.Number)} is offered again");
        if (state.FollowUpKey is { } key)
        {
            var cancelled = await db.ScheduledMessages
                .Where(m => m.IdempotencyKey == key && m.State == MessageState.Scheduled)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, MessageState.Cancelled)
                    .SetProperty(m => m.SkipReason, "call undone")
                    .SetProperty(m => m.CompletedAt, now), ct);
            notes.Add(cancelled > 0 ? "its follow-up message was cancelled" : "its follow-up message had already gone");
        }
        attempt.UndoneAt = now;
        attempt.UndoneBy = user.DisplayName.Length <= 100 ? user.DisplayName : user.DisplayName[..100];
        await db.SaveChangesAsync(ct);
        await NoNumberToCall.SyncAsync(db, attempt.CustomerId, ct);

        var message = $"{what} undone: {name} is back as before the call ({Wording.Plural(before.AttemptCount, "attempt")})" +
                      (notes.Count > 0 ? $"; {string.Join("; ", notes)}." : ".");
        AuditLog.Add(db, now, user, UndoneAction, nameof(CallAttempt), attempt.Id.ToString(),
            $"Undid {attempt.Outcome.Name} recorded by {attempt.AgentName} at {attempt.RecordedAt:yyyy-MM-dd HH:mm:ss} UTC; {message}", attempt.CustomerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        await live.PublishAsync(new LiveEvent(LiveEventKind.RecordChanged, attempt.DealershipId, attempt.SurveyRecordId,
            AgentId: user.UserId, AgentName: user.DisplayName, Reason: "call undone"), ct);
        return CommandResult.Done(message);
    }
}
