using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Telephony.Dialing;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Telephony.AgentStates;

/// <summary>An agent's state now. <see cref="Since"/> null: the agent has never had a state (shown as Not ready).</summary>
public sealed record AgentStateView(AgentStateKind State, string? ReasonName, DateTime? Since, bool OverLimit, string? CallId)
{
    public static readonly AgentStateView None = new(AgentStateKind.NotReady, null, null, false, null);
    public string Label => AgentStateText.Label(State, ReasonName) + (OverLimit ? " · over the wrap-up limit" : "");
}

/// <summary>One agent on the supervisor's board.</summary>
public sealed record AgentStateRow(string UserId, string AgentName, int? DealershipId, string? DealershipName, AgentStateView State);

public sealed record NotReadyReasonView(int Id, string Name, bool IsActive);

public static class AgentStateText
{
    public static string Label(AgentStateKind state, string? reason = null) => state switch
    {
        AgentStateKind.Ready => "Ready",
        AgentStateKind.NotReady => reason is null ? "Not ready" : $"Not ready · {reason}",
        AgentStateKind.OnCall => "On call",
        AgentStateKind.WrapUp => "Wrap-up",
        _ => state.ToString(),
    };
}

/// <summary>
/// Agent states: Ready and Not ready (with an admin-defined reason) set by the agent for themselves; On call when the phone
/// system says a call reached them (answered, transferred or conferenced to them) and while any of their calls is connected,
/// Wrap-up when the last of them ends; from Wrap-up back to Ready, or flagged, once the after-call-work limit passes
/// (<see cref="ApplyAfterCallWorkLimitAsync"/>); from On call to Not ready when a call's end event never comes
/// (<see cref="ApplyMaxCallTimeAsync"/>).
/// Every change closes the agent's open interval and opens the next in one transaction; the unique index on the open
/// interval makes a concurrent change on another instance fail rather than leave two states.
/// </summary>
public sealed class AgentStateService(IDbContextFactory<KonnectDbContext> dbFactory, ILiveEventPublisher live, UserAdminGuard guard, TimeProvider time,
    IOptions<AgentStateOptions> options, AfterCallWorkInputValidator afterCallWorkValidator)
{
    public const string FromAgent = "agent";
    public const string FromTelephony = "telephony";
    public const string FromSystem = "system";
    public const int MaxReasonLength = 80;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<AgentStateView> CurrentAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.AgentStateIntervals.AsNoTracking().SingleOrDefaultAsync(i => i.UserId == userId && i.EndedAt == null, ct);
        return open is null ? AgentStateView.None : View(open);
    }

    /// <summary>
    /// The agent sets their own state: Ready, or Not ready with an active reason. Only CSI Voice agents have a state; On
    /// call is left by the call's end, not by the agent.
    /// </summary>
    public async Task<CommandResult> SetOwnAsync(UserScope agent, AgentStateKind state, int? reasonId = null, CancellationToken ct = default)
    {
        if (!agent.CanCall) return CommandResult.Forbidden("Only agents enabled for CSI Voice have a state.");
        if (state is not (AgentStateKind.Ready or AgentStateKind.NotReady))
            return CommandResult.Refused("On call and Wrap-up come from the phone system; choose Ready or Not ready.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string? reasonName = null;
        if (state == AgentStateKind.NotReady)
        {
            var reason = reasonId is null ? null : await db.NotReadyReasons.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reasonId && r.IsActive, ct);
            if (reason is null) return CommandResult.Refused("Choose why you are not ready.");
            reasonName = reason.Name;
        }
        var open = await db.AgentStateIntervals.SingleOrDefaultAsync(i => i.UserId == agent.UserId && i.EndedAt == null, ct);
        if (open?.State == AgentStateKind.OnCall)
            return CommandResult.Refused("You are on a call: your state changes to Wrap-up when it ends.");
        if (open is not null && open.State == state && open.ReasonName == reasonName)
            return CommandResult.Unchanged($"You are already {AgentStateText.Label(state, reasonName)}.");
        AgentStateInterval changed;
        try
        {
            changed = await ChangeAsync(db, open, agent.UserId, agent.DisplayName, agent.DealershipId, state, reasonId, reasonName, null, FromAgent, ct);
        }
        catch (DbUpdateException)
        {
            return CommandResult.Refused("Your state changed at the same moment (a call?). Look at it and try again.");
        }
        await PublishAsync(changed);
        return CommandResult.Done($"You are now {AgentStateText.Label(state, reasonName)}.");
    }

    /// <summary>
    /// Follows the phone system, per call: an agent is On call while any of their connected legs (of any call) has not ended
    /// and is younger than the maximum call time; when the last of them ends, they go to Wrap-up for the call that ended last.
    /// So with two calls at once (a consult, a transfer) the end of one leaves the agent On call for the other. Late or
    /// repeated events change nothing more: an agent already On call stays, and a call that ended before the agent went On
    /// call for it never puts them On call.
    /// </summary>
    public async Task FollowCallsAsync(int apiClientId, IReadOnlyCollection<string> callIds, CancellationToken ct = default)
    {
        if (callIds.Count == 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agentIds = await (from l in db.CallLegs
                              join c in db.TelephonyCalls on l.TelephonyCallId equals c.Id
                              where c.ApiClientId == apiClientId && callIds.Contains(c.CallId) && l.Connected && l.UserId != null
                              select l.UserId!).Distinct().ToListAsync(ct);
        var changes = new List<AgentStateInterval>();
        foreach (var userId in agentIds)
        {
            var change = await FollowAgentAsync(db, userId, apiClientId, callIds, ct);
            if (change is not null) changes.Add(change);
        }
        foreach (var change in changes) await PublishAsync(change);
    }

    /// <summary>The reason shown when an agent's call was taken as over because its <c>ended</c> event never came.</summary>
    public const string NoEndEventReason = "Call ended (no end event)";

    private DateTime? StaleBefore => options.Value.MaxCallMinutes > 0 ? Now.AddMinutes(-options.Value.MaxCallMinutes) : null;

    /// <summary>The agent's connected legs that have not ended and are not older than the maximum call time, newest first.</summary>
    private IQueryable<LiveLeg> LiveLegs(KonnectDbContext db, string userId)
    {
        var staleBefore = StaleBefore;
        return from l in db.CallLegs
               join c in db.TelephonyCalls on l.TelephonyCallId equals c.Id
               where l.UserId == userId && l.Connected && l.EndedAt == null && (staleBefore == null || l.StartedAt > staleBefore)
               orderby l.StartedAt descending
               select new LiveLeg(c.CallId, l.StartedAt);
    }

    private sealed record LiveLeg(string CallId, DateTime StartedAt);

    private async Task<AgentStateInterval?> FollowAgentAsync(KonnectDbContext db, string userId, int apiClientId, IReadOnlyCollection<string> callIds, CancellationToken ct)
    {
        var open = await db.AgentStateIntervals.SingleOrDefaultAsync(i => i.UserId == userId && i.EndedAt == null, ct);
        var live = await LiveLegs(db, userId).FirstOrDefaultAsync(ct);
        if (live is not null)
        {
            if (open is { State: AgentStateKind.OnCall }) return null; // On call already, for this call or another
            var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.DealershipId }).SingleAsync(ct);
            return await ChangeAsync(db, open, userId, user.DisplayName, user.DealershipId, AgentStateKind.OnCall, null, null, live.CallId, FromTelephony, ct);
        }
        if (open is not { State: AgentStateKind.OnCall }) return null;
        // This batch ended the agent's last call: wrap-up for it. (Only the batch's calls: an agent whose calls merely grew
        // stale is the sweep's to decide, ApplyMaxCallTimeAsync.) The phone system's clock, not ours, dates the end.
        var lastEnded = await (from l in db.CallLegs
                               join c in db.TelephonyCalls on l.TelephonyCallId equals c.Id
                               where l.UserId == userId && l.Connected && l.EndedAt != null && c.ApiClientId == apiClientId && callIds.Contains(c.CallId)
                               orderby l.EndedAt descending
                               select c.CallId).FirstOrDefaultAsync(ct);
        if (lastEnded is null) return null;
        return await ChangeAsync(db, open, userId, open.AgentName, open.DealershipId, AgentStateKind.WrapUp, null, null, lastEnded, FromTelephony, ct);
    }

    /// <summary>
    /// Agents On call whose every call is past the maximum call time without an <c>ended</c> event (the phone system lost
    /// it): Not ready · <see cref="NoEndEventReason"/>, so the supervisor sees it and the agent chooses Ready when they are
    /// back. Run every few seconds by <see cref="AfterCallWorkSweeper"/>; safe on several instances.
    /// </summary>
    public async Task<int> ApplyMaxCallTimeAsync(CancellationToken ct = default)
    {
        if (StaleBefore is not { } staleBefore) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var onCall = await db.AgentStateIntervals.Where(i => i.EndedAt == null && i.State == AgentStateKind.OnCall && i.StartedAt <= staleBefore).ToListAsync(ct);
        var changed = 0;
        foreach (var open in onCall)
        {
            if (await LiveLegs(db, open.UserId).AnyAsync(ct)) continue;
            AgentStateInterval next;
            try
            {
                next = await ChangeAsync(db, open, open.UserId, open.AgentName, open.DealershipId, AgentStateKind.NotReady, null, NoEndEventReason, open.CallId, FromSystem, ct);
            }
            catch (DbUpdateException) { continue; } // the call's end (or another instance) changed it meanwhile
            changed++;
            await PublishAsync(next);
        }
        return changed;
    }

    /// <summary>
    /// Agents in Wrap-up for longer than the limit: back to Ready, or flagged (they stay in Wrap-up, marked over the
    /// limit), as the settings say. Run every few seconds by <see cref="AfterCallWorkSweeper"/>; safe on several instances.
    /// </summary>
    public async Task<int> ApplyAfterCallWorkLimitAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.TelephonySettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == TelephonySettings.SingletonId, ct) ?? new TelephonySettings();
        if (settings.AfterCallWorkLimitSeconds <= 0) return 0;
        var due = Now.AddSeconds(-settings.AfterCallWorkLimitSeconds);
        var overdue = await db.AgentStateIntervals
            .Where(i => i.EndedAt == null && i.State == AgentStateKind.WrapUp && !i.OverLimit && i.StartedAt <= due).ToListAsync(ct);
        foreach (var open in overdue)
        {
            AgentStateInterval changed;
            if (settings.AfterCallWorkAtLimit == AfterCallWorkAtLimit.Flag)
            {
                // Conditional, so two instances sweeping at once flag (and announce) it once.
                var won = await db.AgentStateIntervals.Where(i => i.Id == open.Id && i.EndedAt == null && !i.OverLimit)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.OverLimit, true), ct);
                if (won == 0) continue;
                open.OverLimit = true;
                changed = open;
            }
            else
            {
                try
                {
                    changed = await ChangeAsync(db, open, open.UserId, open.AgentName, open.DealershipId, AgentStateKind.Ready, null, null, null, FromSystem, ct);
                }
                catch (DbUpdateException) { continue; } // the agent (or another instance) changed it meanwhile
            }
            await PublishAsync(changed);
        }
        return overdue.Count;
    }

    /// <summary>Agents of the supervisor's scope (their dealership; head office: all) with their state now; CSI Voice agents only.</summary>
    public async Task<IReadOnlyList<AgentStateRow>> BoardAsync(UserScope supervisor, CancellationToken ct = default)
    {
        if (!supervisor.IsInRole(Roles.Supervisor) && !supervisor.IsInRole(Roles.Admin))
            throw new UnauthorizedAccessException("Only supervisors and admins see agent states.");
        var own = supervisor.DealershipId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agents = await AgentsOnly(db, db.Users.AsNoTracking()).Where(u => u.CsiVoiceEnabled && (own == null || u.DealershipId == own))
            .Select(u => new { u.Id, u.DisplayName, u.DealershipId, Dealership = u.Dealership == null ? null : u.Dealership.Name, u.LockoutEnd }).ToListAsync(ct);
        var ids = agents.Select(a => a.Id).ToList();
        var open = await db.AgentStateIntervals.AsNoTracking().Where(i => i.EndedAt == null && ids.Contains(i.UserId)).ToDictionaryAsync(i => i.UserId, ct);
        return [.. agents.Where(a => !UserScopeLoader.IsDisabled(a.LockoutEnd))
            .Select(a => new AgentStateRow(a.Id, a.DisplayName, a.DealershipId, a.Dealership, open.TryGetValue(a.Id, out var i) ? View(i) : AgentStateView.None))
            .OrderBy(r => r.State.Since is null).ThenBy(r => r.State.State).ThenBy(r => r.AgentName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// Of these users, those in the Agent role: the supervisor's board lists agents, not every account that may take
    /// calls. A supervisor (or admin) who also works calls holds the Agent role as well and is listed; CSI Voice alone
    /// (which the demo supervisor and admin have) does not make an account an agent. Filtered in the query.
    /// </summary>
    public async Task<IReadOnlySet<string>> AgentsAmongAsync(IReadOnlyCollection<string> userIds, CancellationToken ct = default)
    {
        if (userIds.Count == 0) return new HashSet<string>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await AgentsOnly(db, db.Users.AsNoTracking()).Where(u => userIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
    }

    private static IQueryable<AppUser> AgentsOnly(KonnectDbContext db, IQueryable<AppUser> users) =>
        users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Agent)));

    // ---- Not-ready reasons (Configuration → Telephony) ----

    public async Task<IReadOnlyList<NotReadyReasonView>> ReasonsAsync(bool activeOnly, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.NotReadyReasons.AsNoTracking().Where(r => !activeOnly || r.IsActive).OrderBy(r => r.SortOrder).ThenBy(r => r.Name)
            .Select(r => new NotReadyReasonView(r.Id, r.Name, r.IsActive)).ToListAsync(ct);
    }

    public async Task<CommandResult> AddReasonAsync(UserScope? by, string name, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CommandResult.Forbidden("Only administrators can manage not-ready reasons.");
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is 0 or > MaxReasonLength) return CommandResult.Refused($"A reason is 1 to {MaxReasonLength} characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lower = trimmed.ToLower();
        if (await db.NotReadyReasons.AnyAsync(r => r.Name.ToLower() == lower, ct))
            return CommandResult.Refused($"“{trimmed}” is already a reason (activate it if it is inactive).");
        var order = await db.NotReadyReasons.Select(r => (int?)r.SortOrder).MaxAsync(ct) ?? 0;
        db.NotReadyReasons.Add(new NotReadyReason { Name = trimmed, SortOrder = order + 10, CreatedAt = Now, CreatedBy = admin.DisplayName });
        AuditLog.Add(db, Now, admin, "notreadyreason.created", nameof(NotReadyReason), null, trimmed);
        await db.SaveChangesAsync(ct);
        return CommandResult.Done($"Added “{trimmed}”.");
    }

    public async Task<CommandResult> SetReasonActiveAsync(UserScope? by, int id, bool active, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CommandResult.Forbidden("Only administrators can manage not-ready reasons.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reason = await db.NotReadyReasons.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (reason is null) return CommandResult.NotFound("That reason no longer exists. Reload the page.");
        if (reason.IsActive == active) return CommandResult.Unchanged("No change.");
        reason.IsActive = active;
        AuditLog.Add(db, Now, admin, active ? "notreadyreason.activated" : "notreadyreason.deactivated", nameof(NotReadyReason), id.ToString(), reason.Name);
        await db.SaveChangesAsync(ct);
        return CommandResult.Done(active ? $"“{reason.Name}” is offered again." : $"“{reason.Name}” is no longer offered; past time under it still counts.");
    }

    /// <summary>The after-call-work limit (0: none) and what happens when it passes.</summary>
    public Task<CommandResult> UpdateAfterCallWorkAsync(UserScope? by, int limitSeconds, AfterCallWorkAtLimit atLimit, CancellationToken ct = default) =>
        UpdateAfterCallWorkAsync(by, new AfterCallWorkInput { LimitSeconds = limitSeconds, AtLimit = atLimit }, ct);

    /// <summary>Validated by <see cref="AfterCallWorkInputValidator"/>: a value out of range is refused with its message and nothing is stored.</summary>
    public async Task<CommandResult> UpdateAfterCallWorkAsync(UserScope? by, AfterCallWorkInput input, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CommandResult.Forbidden("Only administrators can change the wrap-up limit.");
        var validation = await afterCallWorkValidator.ValidateAsync(input, ct);
        if (!validation.IsValid)
            return new CommandResult(CommandOutcome.Invalid, "The wrap-up limit was not saved: " + string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct()),
                validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList());
        var (limitSeconds, atLimit) = (input.LimitSeconds!.Value, input.AtLimit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.TelephonySettings.SingleOrDefaultAsync(s => s.Id == TelephonySettings.SingletonId, ct);
        if (row is null) db.TelephonySettings.Add(row = new TelephonySettings());
        if (row.AfterCallWorkLimitSeconds == limitSeconds && row.AfterCallWorkAtLimit == atLimit) return CommandResult.Unchanged("No change.");
        AuditLog.Add(db, Now, admin, TelephonySettingsService.AuditAction, nameof(TelephonySettings), TelephonySettings.SingletonId.ToString(),
            $"Wrap-up limit {row.AfterCallWorkLimitSeconds} s ({row.AfterCallWorkAtLimit}) → {limitSeconds} s ({atLimit}).");
        row.AfterCallWorkLimitSeconds = limitSeconds;
        row.AfterCallWorkAtLimit = atLimit;
        row.UpdatedAt = Now;
        row.UpdatedBy = admin.DisplayName;
        await db.SaveChangesAsync(ct);
        return CommandResult.Done(limitSeconds == 0 ? "Saved: no wrap-up limit."
            : $"Saved: after {limitSeconds} s of wrap-up an agent {(atLimit == AfterCallWorkAtLimit.ReturnToReady ? "returns to Ready" : "is flagged on the supervisor's board")}.");
    }

    public async Task<(int LimitSeconds, AfterCallWorkAtLimit AtLimit)> AfterCallWorkAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.TelephonySettings.AsNoTracking().SingleOrDefaultAsync(x => x.Id == TelephonySettings.SingletonId, ct) ?? new TelephonySettings();
        return (s.AfterCallWorkLimitSeconds, s.AfterCallWorkAtLimit);
    }

    private async Task<AgentStateInterval> ChangeAsync(KonnectDbContext db, AgentStateInterval? open, string userId, string agentName, int? dealershipId,
        AgentStateKind state, int? reasonId, string? reasonName, string? callId, string source, CancellationToken ct)
    {
        var now = Now;
        var next = new AgentStateInterval
        {
            UserId = userId, AgentName = agentName.Length > 100 ? agentName[..100] : agentName, DealershipId = dealershipId, State = state,
            ReasonId = reasonId, ReasonName = reasonName, CallId = callId, StartedAt = now, Source = source,
        };
        // The open interval is closed before the next is inserted, in one transaction: the unique index on the open
        // interval refuses a second change made at the same moment elsewhere (DbUpdateException), never two states.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (open is not null)
        {
            open.EndedAt = now < open.StartedAt ? open.StartedAt : now;
            await db.SaveChangesAsync(ct);
        }
        db.AgentStateIntervals.Add(next);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return next;
    }

    private Task PublishAsync(AgentStateInterval i) =>
        live.PublishAsync(new LiveEvent(LiveEventKind.AgentStateChanged, i.DealershipId ?? 0, 0, AgentId: i.UserId, AgentName: i.AgentName,
            Reason: View(i).Label), CancellationToken.None);

    private static AgentStateView View(AgentStateInterval i) => new(i.State, i.ReasonName, i.StartedAt, i.OverLimit, i.CallId);
}
