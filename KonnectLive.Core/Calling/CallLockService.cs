using System.Data.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Calling;

/// <summary>
/// The call lock: a lease on a survey record, taken and kept with conditional UPDATEs so the
/// database decides the winner — across threads, circuits and app instances alike.
/// </summary>
public sealed class CallLockService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    ILiveEventPublisher live,
    TimeProvider time,
    IOptions<LockOptions> options,
    ILogger<CallLockService> logger)
{
    private TimeSpan Lease => options.Value.Lease;
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<LockResult> AcquireAsync(UserScope agent, int recordId, CancellationToken ct = default)
    {
        if (!agent.CanCall)
            return new(LockOutcome.NotPermitted, "You are not enabled for CSI Voice, so you cannot call customers.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ReleaseOwnExpiredAsync(db, agent, recordId, ct);

        var now = Now;
        var expires = now + Lease;
        int won;
        try
        {
            // The whole decision is this one statement: only a free (or expired, or already ours) Awaiting
            // record the agent may see, and only if the agent holds nothing else.
            won = await db.SurveyRecords
                .Where(r => r.Id == recordId
                            && r.Status == SurveyStatus.Awaiting
                            && (agent.DealershipId == null || r.DealershipId == agent.DealershipId)
                            && (r.LockHolderId == null || r.LockExpiresAt <= now || r.LockHolderId == agent.UserId)
                            && !db.SurveyRecords.Any(o => o.LockHolderId == agent.UserId && o.Id != recordId))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.LockAcquiredAt, r => r.LockHolderId == agent.UserId ? r.LockAcquiredAt : now)
                    .SetProperty(r => r.LockHolderId, agent.UserId)
                    .SetProperty(r => r.LockHolderName, agent.DisplayName)
                    .SetProperty(r => r.LockExpiresAt, expires), ct);
        }
        catch (Exception ex) when (ex is DbException || ex.InnerException is DbException)
        {
            // The unique index on LockHolderId is the backstop when two tabs of one agent race on PostgreSQL.
            logger.LogInformation(ex, "Lock on record {RecordId} refused by the database for {Agent}", recordId, agent.UserId);
            won = 0;
        }

        var state = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.Id == recordId && (agent.DealershipId == null || r.DealershipId == agent.DealershipId))
            .Select(r => new
            {
                r.DealershipId, r.Status, r.LockHolderId, r.LockHolderName, r.LockExpiresAt,
                Customer = (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName,
            })
            .SingleOrDefaultAsync(ct);

        if (state is null)
            return new(LockOutcome.NotAvailable, "That customer does not exist or is not in your dealership.");

        if (won == 1)
        {
            // Re-check after winning: the lock is only worth keeping on a record that is still callable.
            if (state.Status != SurveyStatus.Awaiting)
            {
                await ReleaseAsync(agent, recordId, ct);
                return new(LockOutcome.NotAvailable, $"{state.Customer} is no longer awaiting a call ({state.Status}).", state.Customer);
            }
            await live.PublishAsync(new LiveEvent(LiveEventKind.LockTaken, state.DealershipId, recordId, state.Customer, agent.UserId, agent.DisplayName), ct);
            return new(LockOutcome.Acquired, $"You are calling {state.Customer}.", state.Customer, agent.DisplayName);
        }

        if (state.Status != SurveyStatus.Awaiting)
            return new(LockOutcome.NotAvailable, $"{state.Customer} is no longer awaiting a call ({state.Status}).", state.Customer);

        if (state.LockHolderId is not null && state.LockHolderId != agent.UserId && state.LockExpiresAt > now)
            return new(LockOutcome.HeldByOther, $"{state.Customer} is being called by {state.LockHolderName}", state.Customer, state.LockHolderName);

        var other = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.LockHolderId == agent.UserId && r.Id != recordId)
            .Select(r => new { r.Id, Customer = r.Customer.FirstName + " " + r.Customer.LastName })
            .FirstOrDefaultAsync(ct);
        if (other is not null)
            return new(LockOutcome.AlreadyHoldingAnother,
                $"You already have {other.Customer} open. Record an outcome or re-list them first.", state.Customer, agent.DisplayName, other.Id);

        // Free again by the time we looked (a release raced us): the agent can simply press Open again.
        return new(LockOutcome.NotAvailable, $"{state.Customer} could not be opened just now. Please try again.", state.Customer);
    }

    /// <summary>Extends the agent's lease. False when the agent no longer holds the record.</summary>
    public async Task<bool> RenewAsync(UserScope agent, int recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expires = Now + Lease;
        var rows = await db.SurveyRecords
            .Where(r => r.Id == recordId && r.LockHolderId == agent.UserId && r.Status == SurveyStatus.Awaiting)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockExpiresAt, expires), ct);
        return rows == 1;
    }

    /// <summary>Gives the record back (Re-List, leaving the page, closing the circuit). Idempotent.</summary>
    public async Task<bool> ReleaseAsync(UserScope agent, int recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dealershipId = await db.SurveyRecords.Where(r => r.Id == recordId).Select(r => (int?)r.DealershipId).SingleOrDefaultAsync(ct);
        var rows = await db.SurveyRecords
            .Where(r => r.Id == recordId && r.LockHolderId == agent.UserId)
            .ExecuteUpdateAsync(ClearLock, ct);
        if (rows == 1 && dealershipId is { } d)
            await live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, d, recordId, AgentId: agent.UserId, AgentName: agent.DisplayName), ct);
        return rows == 1;
    }

    /// <summary>Releases every lease whose time is up and announces each release. Returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var expired = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.LockHolderId != null && r.LockExpiresAt <= now)
            .OrderBy(r => r.LockExpiresAt)
            .Select(r => new { r.Id, r.DealershipId, r.LockHolderId, r.LockHolderName })
            .Take(500)
            .ToListAsync(ct);
        var released = 0;
        foreach (var r in expired)
        {
            // Conditional again: a renewal that landed after our read wins.
            var rows = await db.SurveyRecords
                .Where(x => x.Id == r.Id && x.LockHolderId == r.LockHolderId && x.LockExpiresAt <= now)
                .ExecuteUpdateAsync(ClearLock, ct);
            if (rows != 1) continue;
            released++;
            logger.LogInformation("Lease on record {RecordId} held by {Agent} expired and was released", r.Id, r.LockHolderName);
            await live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, r.DealershipId, r.Id, AgentId: r.LockHolderId,
                AgentName: r.LockHolderName, Reason: "expired"), ct);
        }
        return released;
    }

    private async Task ReleaseOwnExpiredAsync(KonnectDbContext db, UserScope agent, int exceptRecordId, CancellationToken ct)
    {
        var now = Now;
        var stale = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.LockHolderId == agent.UserId && r.Id != exceptRecordId && r.LockExpiresAt <= now)
            .Select(r => new { r.Id, r.DealershipId })
            .ToListAsync(ct);
        foreach (var r in stale)
        {
            var rows = await db.SurveyRecords
                .Where(x => x.Id == r.Id && x.LockHolderId == agent.UserId && x.LockExpiresAt <= now)
                .ExecuteUpdateAsync(ClearLock, ct);
            if (rows == 1)
                await live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, r.DealershipId, r.Id, AgentId: agent.UserId,
                    AgentName: agent.DisplayName, Reason: "expired"), ct);
        }
    }

    internal static void ClearLock(Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<SurveyRecord> s) => s
        .SetProperty(r => r.LockHolderId, (string?)null)
        .SetProperty(r => r.LockHolderName, (string?)null)
        .SetProperty(r => r.LockAcquiredAt, (DateTime?)null)
        .SetProperty(r => r.LockExpiresAt, (DateTime?)null);
}
