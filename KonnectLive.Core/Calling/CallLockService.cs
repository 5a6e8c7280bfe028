using KonnectLive.Core.Common;
using System.Data.Common;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Calling;

/// <summary>
/// The call lock: a lease on a survey record, taken and kept with conditional UPDATEs so the database decides the
/// winner — across threads, circuits and app instances alike. A lease belongs to one calling page, named by a random
/// page token: renewing and releasing need that token, so another page of the same agent (a second tab, a bookmark)
/// can never end it. Taking a record, giving it back, moving it to another page and a lease running out are audited;
/// renewals are not (they are only the page saying it is still open).
/// </summary>
public sealed class CallLockService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    ILiveEventPublisher live,
    TimeProvider time,
    IOptions<LockOptions> options,
    ILogger<CallLockService> logger)
{
    public const string AcquiredAction = "lock.acquired";
    public const string ReleasedAction = "lock.released";
    public const string ExpiredAction = "lock.expired";
    public const string MovedAction = "lock.moved";

    private readonly LockWriteGate _writes = new(dbFactory, logger);

    /// <summary>SQLite (the embedded default) runs lock writes through the group-committing <see cref="LockWriteGate"/>.</summary>
    private readonly Lazy<bool> _onSqlite = new(() =>
    {
        using var db = dbFactory.CreateDbContext();
        return db.Database.IsSqlite();
    });

    private TimeSpan Lease => options.Value.Lease;

    private sealed record Taken(int DealershipId, int CustomerId, DateTime? AcquiredAt, string Customer);
    /// <summary>
    /// Whole microseconds: PostgreSQL keeps no finer, and "newly taken" compares the stored LockAcquiredAt with this value
    /// (with ticks, every acquire on PostgreSQL looked like a page re-confirming its lease and announced nothing).
    /// </summary>
    private DateTime Now
    {
        get
        {
            var now = time.GetUtcNow().UtcDateTime;
            return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
        }
    }

    /// <summary>
    /// A new page token: random and unguessable. It lives in the calling page's circuit on the server and is never sent
    /// to the browser, so a duplicated tab or a bookmark cannot copy it.
    /// </summary>
    public static string NewPageToken() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Takes the record for the page named by <paramref name="pageToken"/>, or confirms (and extends) the lease that page
    /// already holds. The same agent holding it on another page is refused with <see cref="LockOutcome.HeldByYouElsewhere"/>.
    /// </summary>
    public async Task<LockResult> AcquireAsync(UserScope agent, int recordId, string pageToken, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pageToken);
        if (!agent.CanCall)
            return new(LockOutcome.NotPermitted, "You are not enabled for CSI Voice, so you cannot call customers.");

        Taken? taken;
        DateTime now;
        if (_onSqlite.Value)
        {
            // A claim that wins needs nothing but the writer's answer (it carries the customer's name): no connection of
            // its own, no read before it. Only a refused claim looks further (below).
            now = Now;
            taken = await ClaimOnSqliteAsync(agent, recordId, pageToken, now, ct);
            if (taken is not null) return await WonAsync(agent, recordId, taken, now, ct);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One connection for every statement of this claim (each open of a pooled SQLite connection re-runs its pragmas).
        await db.Database.OpenConnectionAsync(ct);
        // The agent's own lease on another record that ran out (a closed laptop) would refuse every claim (one customer at a
        // time): it is released, with its audit entry, before the claim — on SQLite only when a claim was refused.
        var releasedOwn = await ReleaseOwnExpiredAsync(db, agent, recordId, ct);

        now = Now;
        var expires = now + Lease;
        var won = 0;
        taken = null;
        if (_onSqlite.Value)
        {
            if (releasedOwn > 0)
                taken = await ClaimOnSqliteAsync(agent, recordId, pageToken, now, ct);
        }
        else
        {
            // The claim, and its audit entry when it is a new one, commit together: nobody sees a lock without its entry.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                // The whole decision is this one statement: only a free (or expired, or already this page's) Awaiting
                // record the agent may see, not reserved for another agent's call-back, and only if the agent holds nothing else.
                // The agent's own live lease on another page does not match: that page keeps it until "Continue here".
                won = await db.SurveyRecords
                    .Where(r => r.Id == recordId
                                && r.Status == SurveyStatus.Awaiting
                                && (agent.DealershipId == null || r.DealershipId == agent.DealershipId)
                                && (r.LockHolderId == null || r.LockExpiresAt <= now || (r.LockHolderId == agent.UserId && r.LockToken == pageToken))
                                && (r.ReservedUntil == null || r.ReservedUntil <= now || r.CallbackAgentId == agent.UserId || r.CallbackDueAt > now)
                                && !db.SurveyRecords.Any(o => o.LockHolderId == agent.UserId && o.Id != recordId))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.LockAcquiredAt, r => r.LockHolderId == agent.UserId && r.LockToken == pageToken ? r.LockAcquiredAt : now)
                        .SetProperty(r => r.LockHolderId, agent.UserId)
                        .SetProperty(r => r.LockHolderName, agent.DisplayName)
                        .SetProperty(r => r.LockToken, pageToken)
                        .SetProperty(r => r.LockExpiresAt, expires), ct);
            }
            catch (Exception ex) when (ex is DbException || ex.InnerException is DbException)
            {
                // The unique index on LockHolderId is the backstop when two tabs of one agent race on PostgreSQL.
                logger.LogInformation(ex, "Lock on record {RecordId} refused by the database for {Agent}", recordId, agent.UserId);
                won = 0;
            }

            if (won == 1)
            {
                // Read inside the claim's transaction: the record is still Awaiting (the UPDATE demanded it and holds the row).
                taken = await db.SurveyRecords.AsNoTracking()
                    .Where(r => r.Id == recordId)
                    .Select(r => new Taken(r.DealershipId, r.CustomerId, r.LockAcquiredAt,
                        (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName))
                    .SingleAsync(ct);
                // The update keeps the acquired time of a lease this page already held, so a fresh time means the record was
                // newly taken; a page confirming its own lease changes nothing anyone else sees, so it is neither audited nor announced.
                if (taken.AcquiredAt == now)
                {
                    AuditLog.Add(db, now, agent, AcquiredAction, nameof(SurveyRecord), recordId.ToString(), $"Opened {taken.Customer}.", taken.CustomerId);
                    await db.SaveChangesAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
        }

        if (taken is not null) return await WonAsync(agent, recordId, taken, now, ct);
        Cluster.KonnectLiveMetrics.LockRefused();

        // Refused: read why, outside the write queue.
        var state = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.Id == recordId && (agent.DealershipId == null || r.DealershipId == agent.DealershipId))
            .Select(r => new
            {
                r.Status, r.LockHolderId, r.LockHolderName, r.LockToken, r.LockExpiresAt,
                r.ReservedUntil, r.CallbackAgentId, r.CallbackAgentName, r.CallbackDueAt,
                Customer = (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName,
            })
            .SingleOrDefaultAsync(ct);

        if (state is null)
            return new(LockOutcome.NotAvailable, "That customer does not exist or is not in your dealership.");

        if (state.Status != SurveyStatus.Awaiting)
            return new(LockOutcome.NotAvailable, $"{state.Customer} is no longer awaiting a call ({state.Status}).", state.Customer);

        if (state.LockHolderId is not null && state.LockHolderId != agent.UserId && state.LockExpiresAt > now)
            return new(LockOutcome.HeldByOther, $"{state.Customer} is being called by {state.LockHolderName}", state.Customer, state.LockHolderName,
                HolderId: state.LockHolderId);

        if (state.LockHolderId == agent.UserId && state.LockToken != pageToken && state.LockExpiresAt > now)
            return new(LockOutcome.HeldByYouElsewhere, $"You have {state.Customer} open in another tab.", state.Customer, agent.DisplayName);

        if (state.ReservedUntil > now && state.CallbackAgentId != agent.UserId && !(state.CallbackDueAt > now))
            return new(LockOutcome.ReservedForOther,
                $"Reserved for {state.CallbackAgentName} until {ContactCentreTime.Clock(state.ReservedUntil.Value, now)} for their call back.",
                state.Customer, state.CallbackAgentName);

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

    /// <summary>
    /// SQLite: the claim of <see cref="AcquireAsync"/> as plain SQL, committed by the process's one lock writer together
    /// with whatever other lock writes are waiting (<see cref="LockWriteGate"/>); the answer comes after that commit.
    /// </summary>
    private async Task<Taken?> ClaimOnSqliteAsync(UserScope agent, int recordId, string pageToken, DateTime now, CancellationToken ct)
    {
        var expires = now + Lease;
        var claimed = await _writes.RunAsync((c, tx) => SqliteLockWrites.Claim(c, tx, agent, recordId, pageToken, now, expires), ct);
        return claimed is null ? null : new Taken(claimed.DealershipId, claimed.CustomerId, claimed.NewlyTaken ? now : null, claimed.Customer);
    }

    private async Task<LockResult> WonAsync(UserScope agent, int recordId, Taken taken, DateTime now, CancellationToken ct)
    {
        Cluster.KonnectLiveMetrics.LockWon();
        if (taken.AcquiredAt == now)
            await live.PublishAsync(new LiveEvent(LiveEventKind.LockTaken, taken.DealershipId, recordId, taken.Customer, agent.UserId, agent.DisplayName), ct);
        return new(LockOutcome.Acquired, $"You are calling {taken.Customer}.", taken.Customer, agent.DisplayName);
    }

    /// <summary>
    /// Moves the agent's live lease on the record to the page named by <paramref name="newPageToken"/> ("Continue here"):
    /// the page that held it is told at once (<see cref="LiveEventKind.LockMoved"/>) and can no longer renew or release it,
    /// so there are never two live holders. If the agent's lease is gone by now (the other tab closed), this is an
    /// ordinary <see cref="AcquireAsync"/>.
    /// </summary>
    public async Task<LockResult> TakeOverAsync(UserScope agent, int recordId, string newPageToken, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(newPageToken);
        if (!agent.CanCall)
            return new(LockOutcome.NotPermitted, "You are not enabled for CSI Voice, so you cannot call customers.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var now = Now;
        var expires = now + Lease;
        var state = await db.SurveyRecords.AsNoTracking().Where(r => r.Id == recordId)
            .Select(r => new
            {
                r.DealershipId, r.CustomerId,
                Customer = (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName,
            })
            .SingleOrDefaultAsync(ct);
        var moved = 0;
        if (state is not null)
        {
            using (await _writes.EnterAsync(db, ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // Only the agent's own live lease moves; the call (and its acquired time) stays the same.
                moved = await db.SurveyRecords
                    .Where(r => r.Id == recordId
                                && r.Status == SurveyStatus.Awaiting
                                && (agent.DealershipId == null || r.DealershipId == agent.DealershipId)
                                && r.LockHolderId == agent.UserId && r.LockExpiresAt > now && r.LockToken != newPageToken)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.LockToken, newPageToken)
                        .SetProperty(r => r.LockExpiresAt, expires), ct);
                if (moved == 1)
                {
                    AuditLog.Add(db, now, agent, MovedAction, nameof(SurveyRecord), recordId.ToString(), $"Continued {state.Customer} in another tab.", state.CustomerId);
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                }
            }
        }
        if (moved == 0 || state is null) return await AcquireAsync(agent, recordId, newPageToken, ct);

        await live.PublishAsync(new LiveEvent(LiveEventKind.LockMoved, state.DealershipId, recordId, state.Customer, agent.UserId, agent.DisplayName,
            Reason: "continued in another tab"), ct);
        return new(LockOutcome.Acquired, $"You are calling {state.Customer} in this tab now.", state.Customer, agent.DisplayName);
    }

    /// <summary>
    /// Extends the page's lease. False — and nothing changes — when this page (agent and token) no longer holds the record,
    /// or the token is missing.
    /// </summary>
    public async Task<bool> RenewAsync(UserScope agent, int recordId, string? pageToken, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(pageToken)) return false;
        var expires = Now + Lease;
        if (_onSqlite.Value)
            return await _writes.RunAsync((c, tx) => SqliteLockWrites.Renew(c, tx, agent, recordId, pageToken, expires), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.SurveyRecords
            .Where(r => r.Id == recordId && r.LockHolderId == agent.UserId && r.LockToken == pageToken && r.Status == SurveyStatus.Awaiting)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockExpiresAt, expires), ct);
        return rows == 1;
    }

    /// <summary>
    /// Gives the record back (Re-List, leaving the page, closing the circuit). Idempotent. Only the page holding the lease
    /// (agent and token) can: closing another tab of the same agent never ends it.
    /// </summary>
    public Task<bool> ReleaseAsync(UserScope agent, int recordId, string? pageToken, CancellationToken ct = default) =>
        string.IsNullOrEmpty(pageToken) ? Task.FromResult(false) : ReleaseCoreAsync(agent, recordId, pageToken, ct);

    private async Task<bool> ReleaseCoreAsync(UserScope agent, int recordId, string pageToken, CancellationToken ct)
    {
        if (_onSqlite.Value)
        {
            var now = Now;
            var cleared = await _writes.RunAsync((c, tx) => SqliteLockWrites.Release(c, tx, agent, recordId, pageToken, now), ct);
            if (cleared is not { } freed) return false;
            await live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, freed.DealershipId, recordId, AgentId: agent.UserId, AgentName: agent.DisplayName), ct);
            return true;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.SurveyRecords.Where(r => r.Id == recordId).Select(r => new { r.DealershipId, r.CustomerId }).SingleOrDefaultAsync(ct);
        if (record is null) return false;
        var released = await ClearAsync(db, db.SurveyRecords.Where(r => r.Id == recordId && r.LockHolderId == agent.UserId && r.LockToken == pageToken),
            () => AuditLog.Add(db, Now, agent, ReleasedAction, nameof(SurveyRecord), recordId.ToString(), "Gave the customer back.", record.CustomerId), ct);
        if (released)
            await live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, record.DealershipId, recordId, AgentId: agent.UserId, AgentName: agent.DisplayName), ct);
        return released;
    }

    /// <summary>
    /// Who holds the record now, seen from the page named by <paramref name="pageToken"/>: one indexed read, for a page that
    /// heard a live event about its record or failed to renew. Null when the record is unknown or not the agent's to see.
    /// </summary>
    public async Task<LeaseCheck?> CheckAsync(UserScope agent, int recordId, string? pageToken, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var r = await db.SurveyRecords.AsNoTracking()
            .Where(x => x.Id == recordId)
            .Select(x => new
            {
                x.DealershipId, x.Status, x.LockHolderId, x.LockHolderName, x.LockToken, x.LockExpiresAt,
                Customer = (x.Customer.Title == null ? "" : x.Customer.Title + " ") + x.Customer.FirstName + " " + x.Customer.LastName,
            })
            .SingleOrDefaultAsync(ct);
        if (r is null || !agent.CanSee(r.DealershipId)) return null;
        var holder = r.LockHolderId is null || !(r.LockExpiresAt > now) ? LeaseHolder.Nobody
            : r.LockHolderId != agent.UserId ? LeaseHolder.OtherAgent
            : !string.IsNullOrEmpty(pageToken) && r.LockToken == pageToken ? LeaseHolder.ThisPage
            : LeaseHolder.YourOtherPage;
        return new LeaseCheck(holder, r.Status, r.Customer, holder == LeaseHolder.Nobody ? null : r.LockHolderName);
    }

    /// <summary>Releases every lease whose time is up and announces each release. Returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var expired = db.SurveyRecords.AsNoTracking()
            .Where(r => r.LockHolderId != null && r.LockExpiresAt <= now)
            .OrderBy(r => r.LockExpiresAt)
            .Select(r => new HeldLock(r.Id, r.DealershipId, r.CustomerId, r.LockHolderId!, r.LockHolderName))
            .Take(500);
        var released = await ReleaseEachAsync(db, expired, now,
            r => AuditExpired(db, now, r.RecordId, r.CustomerId, r.HolderName, r.HolderId), "expired", ct);
        foreach (var r in released)
        {
            Cluster.KonnectLiveMetrics.LockExpired(1);
            logger.LogInformation("Lease on record {RecordId} held by {Agent} expired and was released", r.RecordId, r.HolderName);
        }
        return released.Count;
    }

    /// <summary>
    /// Gives back every customer <paramref name="userId"/> holds, whatever the lease's time — for an account that was just
    /// disabled, whose pages are being closed: without this the customer stayed "being called" by someone who can no longer
    /// call anyone until the lease ran out. Each release is conditional on that holder, audited and announced. Returns how many.
    /// </summary>
    public async Task<int> ReleaseAllHeldByAsync(string userId, string why, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var held = db.SurveyRecords.AsNoTracking()
            .Where(r => r.LockHolderId == userId)
            .Select(r => new HeldLock(r.Id, r.DealershipId, r.CustomerId, userId, r.LockHolderName));
        var released = await ReleaseEachAsync(db, held, expiredAt: null,
            r => AuditLog.Add(db, Now, null, ReleasedAction, nameof(SurveyRecord), r.RecordId.ToString(),
                $"Released the customer {r.HolderName} ({userId}) held: {why}.", r.CustomerId), why, ct);
        foreach (var r in released)
            logger.LogInformation("Record {RecordId} held by {Agent} released: {Why}", r.RecordId, r.HolderName, why);
        return released.Count;
    }

    /// <summary>Releases (and announces) the agent's own leases on other records that ran out. Returns how many.</summary>
    private async Task<int> ReleaseOwnExpiredAsync(KonnectDbContext db, UserScope agent, int exceptRecordId, CancellationToken ct)
    {
        var now = Now;
        var (agentId, agentName) = (agent.UserId, agent.DisplayName);
        var stale = db.SurveyRecords.AsNoTracking()
            .Where(r => r.LockHolderId == agentId && r.Id != exceptRecordId && r.LockExpiresAt <= now)
            .Select(r => new HeldLock(r.Id, r.DealershipId, r.CustomerId, agentId, agentName));
        var released = await ReleaseEachAsync(db, stale, now,
            r => AuditExpired(db, now, r.RecordId, r.CustomerId, agentName, agentId), "expired", ct);
        return released.Count;
    }

    /// <summary>A lock read for a release its holder did not ask for: a lease that ran out, an account disabled.</summary>
    private sealed record HeldLock(int RecordId, int DealershipId, int CustomerId, string HolderId, string? HolderName);

    /// <summary>
    /// Releases each lock <paramref name="held"/> reads, one transaction each, and only while the same holder still has it
    /// (with <paramref name="expiredAt"/>, only while its lease is still over: a renewal that landed after the read wins);
    /// audits each and announces it with <paramref name="reason"/>. Returns those it released.
    /// </summary>
    private async Task<List<HeldLock>> ReleaseEachAsync(KonnectDbContext db, IQueryable<HeldLock> held, DateTime? expiredAt,
        Action<HeldLock> audit, string reason, CancellationToken ct)
    {
        List<HeldLock> released = [];
        foreach (var r in await held.ToListAsync(ct))
        {
            var target = db.SurveyRecords.Where(x => x.Id == r.RecordId && x.LockHolderId == r.HolderId);
            if (expiredAt is { } at) target = target.Where(x => x.LockExpiresAt <= at);
            if (!await ClearAsync(db, target, () => audit(r), ct)) continue;
            released.Add(r);
            await live.PublishAsync(new LiveEvent(LiveEventKind.LockReleased, r.DealershipId, r.RecordId, AgentId: r.HolderId,
                AgentName: r.HolderName, Reason: reason), ct);
        }
        return released;
    }

    /// <summary>Clears the lock the query finds and writes its audit entry, in one transaction. False when it found none.</summary>
    private async Task<bool> ClearAsync(KonnectDbContext db, IQueryable<SurveyRecord> target, Action? audit, CancellationToken ct)
    {
        using var turn = await _writes.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await target.ExecuteUpdateAsync(ClearLock, ct) != 1) return false;
        if (audit is not null)
        {
            audit();
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>A lease that ran out is released by the system, not by its holder: the entry says whose it was.</summary>
    private static void AuditExpired(KonnectDbContext db, DateTime now, int recordId, int customerId, string? holderName, string? holderId) =>
        AuditLog.Add(db, now, null, ExpiredAction, nameof(SurveyRecord), recordId.ToString(),
            $"The lease {holderName} ({holderId}) held ran out and was released.", customerId);

    internal static void ClearLock(Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<SurveyRecord> s) => s
        .SetProperty(r => r.LockHolderId, (string?)null)
        .SetProperty(r => r.LockHolderName, (string?)null)
        .SetProperty(r => r.LockToken, (string?)null)
        .SetProperty(r => r.LockAcquiredAt, (DateTime?)null)
        .SetProperty(r => r.LockExpiresAt, (DateTime?)null);
}
