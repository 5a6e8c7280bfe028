using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Reports;

/// <summary>
/// The outcomes report, the declined report and the survey status funnel, for supervisors and admins only. A dealership user always
/// sees their own dealership whatever filter the page sends; head office sees all, or the one it picks.
/// </summary>
public sealed class ReportsService(IDbContextFactory<KonnectDbContext> dbFactory)
{
    /// <summary>The dealerships the user may pick in the filter (only their own for a dealership user).</summary>
    public async Task<IReadOnlyList<DealershipOption>> DealershipsAsync(UserScope user, CancellationToken ct = default)
    {
        Demand(user);
        var own = user.DealershipId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Dealerships.AsNoTracking()
            .Where(d => own == null || d.Id == own)
            .OrderBy(d => d.Name)
            .Select(d => new DealershipOption(d.Id, d.Name))
            .ToListAsync(ct);
    }

    public async Task<OutcomesReport> OutcomesAsync(UserScope user, ReportRange range, int? dealershipId = null, CancellationToken ct = default)
    {
        Demand(user);
        var scope = EffectiveDealership(user, dealershipId);
        var (from, until) = (range.FromUtc, range.UntilUtc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var groups = await db.CallAttempts.AsNoTracking()
            .Where(a => a.RecordedAt >= from && a.RecordedAt < until && a.UndoneAt == null && (scope == null || a.DealershipId == scope))
            .GroupBy(a => new { a.AgentId, a.DealershipId, a.OutcomeId, a.Outcome.Name, a.Outcome.SortOrder, a.Outcome.Colour })
            .Select(g => new { g.Key.AgentId, AgentName = g.Max(a => a.AgentName), g.Key.DealershipId, Outcome = g.Key.Name, g.Key.SortOrder, g.Key.Colour, Count = g.Count() })
            .ToListAsync(ct);
        var dealershipIds = groups.Select(g => g.DealershipId).Distinct().ToList();
        var names = await db.Dealerships.AsNoTracking().Where(d => dealershipIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        // An agent renamed mid-range is one agent: show the latest name the group carries.
        var agentNames = groups.GroupBy(g => g.AgentId).ToDictionary(g => g.Key, g => g.Max(x => x.AgentName) ?? g.Key);

        var rows = groups
            .Select(g => new OutcomeRow(g.AgentId, agentNames[g.AgentId], g.DealershipId, names.GetValueOrDefault(g.DealershipId, $"#{g.DealershipId}"), g.Outcome, g.Count))
            .OrderBy(r => r.AgentName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Dealership, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => groups.First(g => g.Outcome == r.Outcome).SortOrder).ThenBy(r => r.Outcome)
            .ToList();
        var byAgent = rows.GroupBy(r => r.AgentId)
            .Select(g => new OutcomeTotal(g.First().AgentName, g.Sum(r => r.Count)))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var byOutcome = groups.GroupBy(g => new { g.Outcome, g.SortOrder })
            .OrderBy(g => g.Key.SortOrder).ThenBy(g => g.Key.Outcome)
            .Select(g => new OutcomeTotal(g.Key.Outcome, g.Sum(x => x.Count), g.First().Colour))
            .ToList();
        return new OutcomesReport(range, rows, byAgent, byOutcome);
    }

    public async Task<FunnelReport> FunnelAsync(UserScope user, ReportRange range, int? dealershipId = null, CancellationToken ct = default)
    {
        Demand(user);
        var scope = EffectiveDealership(user, dealershipId);
        var (from, until) = (range.FromUtc, range.UntilUtc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // One grouped query: each record counts once per stage however many messages or attempts it has.
        var counts = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.ReceivedAt >= from && r.ReceivedAt < until && (scope == null || r.DealershipId == scope))
            .Select(r => new
            {
                r.DealershipId,
                Messaged = db.ScheduledMessages.Any(m => m.SurveyRecordId == r.Id && m.State == MessageState.Sent),
                Called = db.CallAttempts.Any(a => a.SurveyRecordId == r.Id && a.UndoneAt == null),
                Completed = r.Status == SurveyStatus.Completed,
            })
            .GroupBy(r => r.DealershipId)
            .Select(g => new
            {
                DealershipId = g.Key,
                Received = g.Count(),
                Messaged = g.Count(r => r.Messaged),
                Called = g.Count(r => r.Called),
                Completed = g.Count(r => r.Completed),
            })
            .ToListAsync(ct);
        var dealerships = await db.Dealerships.AsNoTracking()
            .Where(d => scope == null || d.Id == scope)
            .OrderBy(d => d.Name)
            .Select(d => new { d.Id, d.Name })
            .ToListAsync(ct);

        // Every dealership in scope gets a row, so "received nothing" is visible rather than missing.
        var rows = dealerships.Select(d =>
        {
            var c = counts.FirstOrDefault(x => x.DealershipId == d.Id);
            return new FunnelRow(d.Id, d.Name, c?.Received ?? 0, c?.Messaged ?? 0, c?.Called ?? 0, c?.Completed ?? 0);
        }).ToList();
        var total = new FunnelRow(null, "All", rows.Sum(r => r.Received), rows.Sum(r => r.Messaged), rows.Sum(r => r.Called), rows.Sum(r => r.Completed));
        return new FunnelReport(range, rows, total);
    }

    public async Task<DeclinedReport> DeclinedAsync(UserScope user, ReportRange range, int? dealershipId = null, CancellationToken ct = default)
    {
        Demand(user);
        var scope = EffectiveDealership(user, dealershipId);
        var (from, until) = (range.FromUtc, range.UntilUtc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // The attempt's own behaviour snapshot decides, so renaming or re-purposing an outcome later does not rewrite history.
        var groups = await db.CallAttempts.AsNoTracking()
            .Where(a => a.RecordedAt >= from && a.RecordedAt < until && a.UndoneAt == null && (scope == null || a.DealershipId == scope)
                        && (a.Behaviour == Calling.OutcomeBehaviour.CustomerDeclined || a.DeclineReasonId != null))
            .GroupBy(a => new { a.DealershipId, a.DeclineReasonId })
            .Select(g => new { g.Key.DealershipId, g.Key.DeclineReasonId, Count = g.Count() })
            .ToListAsync(ct);
        var reasonIds = groups.Where(g => g.DeclineReasonId != null).Select(g => g.DeclineReasonId!.Value).Distinct().ToList();
        var reasons = await db.DeclineReasons.AsNoTracking().Where(r => reasonIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => new { r.Name, r.SortOrder, r.Status }, ct);
        var dealershipIds = groups.Select(g => g.DealershipId).Distinct().ToList();
        var names = await db.Dealerships.AsNoTracking().Where(d => dealershipIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);

        // An agent's proposal counts from its first call, marked until an admin approves it; a merge moves its calls, so they follow.
        string ReasonName(int? id) => id is { } r && reasons.TryGetValue(r, out var reason)
            ? reason.Status == Calling.DeclineReasonStatus.Proposed ? reason.Name + DeclinedReport.ProposedSuffix : reason.Name
            : DeclinedReport.NoReason;
        int ReasonOrder(int? id) => id is { } r && reasons.TryGetValue(r, out var reason) ? reason.SortOrder : int.MaxValue;

        var rows = groups
            .Select(g => new { Row = new DeclinedRow(g.DealershipId, names.GetValueOrDefault(g.DealershipId, $"#{g.DealershipId}"), ReasonName(g.DeclineReasonId), g.Count), Order = ReasonOrder(g.DeclineReasonId) })
            .OrderBy(x => x.Row.Dealership, StringComparer.OrdinalIgnoreCase).ThenBy(x => x.Order).ThenBy(x => x.Row.Reason, StringComparer.OrdinalIgnoreCase)
            .Select(x => x.Row)
            .ToList();
        var byReason = rows.GroupBy(r => r.Reason)
            .Select(g => new OutcomeTotal(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new DeclinedReport(range, rows, byReason);
    }

    public static bool MayRun(UserScope user) => user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);

    private static void Demand(UserScope user)
    {
        if (!MayRun(user)) throw new UnauthorizedAccessException("Only supervisors and admins can run reports.");
    }

    /// <summary>A dealership user is always held to their own dealership; head office may narrow to one.</summary>
    private static int? EffectiveDealership(UserScope user, int? requested) => user.IsHeadOffice ? requested : user.DealershipId;
}
