using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Supervision;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Calling;

public enum ForceReleaseOutcome { Released, NotPermitted, ReasonInvalid, NotFound, OtherDealership, NotHeld }

public sealed record ForceReleaseResult(ForceReleaseOutcome Outcome, string Message, string? CustomerName = null, string? HolderName = null)
{
    public bool Succeeded => Outcome == ForceReleaseOutcome.Released;
}

/// <summary>
/// A supervisor takes a lock away from an agent (a call left open, an agent gone home). The lock is cleared with
/// the same kind of conditional UPDATE as every other release, so it only ever clears the holder the supervisor saw;
/// the holder's calling page hears the release (with the reason) and returns them to the list.
/// </summary>
public sealed class ForceReleaseService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    ILiveEventPublisher live,
    TimeProvider time,
    ILogger<ForceReleaseService> logger)
{
    public const int MaxReasonLength = 500;
    public const string AuditAction = "lock.force-released";

    public async Task<ForceReleaseResult> ForceReleaseAsync(UserScope supervisor, int recordId, string? reason, CancellationToken ct = default)
    {
        if (!SupervisorAccess.IsSupervisor(supervisor))
            return new(ForceReleaseOutcome.NotPermitted, "Only supervisors and admins can force-release a lock.");
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return new(ForceReleaseOutcome.ReasonInvalid, "Give a reason for releasing the lock; the agent will see it.");
        if (reason.Length > MaxReasonLength)
            return new(ForceReleaseOutcome.ReasonInvalid, $"The reason must be at most {MaxReasonLength} characters.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var state = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.Id == recordId)
            .Select(r => new
            {
                r.DealershipId, r.CustomerId, r.LockHolderId, r.LockHolderName, r.LockExpiresAt,
                Customer = (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName,
            })
            .SingleOrDefaultAsync(ct);
        if (state is null)
            return new(ForceReleaseOutcome.NotFound, "That customer does not exist.");
        if (!supervisor.CanSee(state.DealershipId))
            return new(ForceReleaseOutcome.OtherDealership, "That customer belongs to another dealership; you can only release locks in your own.");
        if (state.LockHolderId is null || state.LockExpiresAt <= now)
            return new(ForceReleaseOutcome.NotHeld, $"Nobody is calling {state.Customer} now.", state.Customer);

        var holderId = state.LockHolderId;
        var holderName = state.LockHolderName ?? holderId;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Only the holder the supervisor saw: if the agent finished (or someone else took it since), nothing changes.
            var rows = await db.SurveyRecords
                .Where(r => r.Id == recordId && r.LockHolderId == holderId)
                .ExecuteUpdateAsync(CallLockService.ClearLock, ct);
            if (rows != 1)
                return new(ForceReleaseOutcome.NotHeld, $"{holderName} no longer holds {state.Customer}; nothing was released.", state.Customer, holderName);
            AuditLog.Add(db, now, supervisor, AuditAction, "SurveyRecord", recordId.ToString(),
                $"Released the lock {holderName} ({holderId}) held on {state.Customer}. Reason: {reason}", state.CustomerId);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        logger.LogInformation("{Supervisor} force-released record {RecordId} held by {Holder}: {Reason}",
            supervisor.DisplayName, recordId, holderName, reason);
        // The holder's id, so the holder's calling page knows the release is about its own lock.
        await live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, state.DealershipId, recordId, state.Customer,
            AgentId: holderId, AgentName: holderName, Reason: $"released by supervisor {supervisor.DisplayName}: {reason}"), ct);
        return new(ForceReleaseOutcome.Released, $"{state.Customer} released from {holderName}.", state.Customer, holderName);
    }
}
