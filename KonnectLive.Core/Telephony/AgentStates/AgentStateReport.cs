using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Telephony.AgentStates;

/// <summary>One agent's seconds in each state on one contact-centre day.</summary>
public sealed record AgentStateDayRow(DateOnly Day, string AgentName, string? Dealership, int ReadySeconds, int NotReadySeconds, int OnCallSeconds, int WrapUpSeconds)
{
    public int TotalSeconds => ReadySeconds + NotReadySeconds + OnCallSeconds + WrapUpSeconds;
}

/// <summary>
/// Time per state per agent per day (days in the contact centre's zone, like every report): each state interval that
/// overlaps the range is cut at the range's ends and at each midnight, and an interval still open counts up to now.
/// Supervisors and admins only; a dealership user sees their own dealership's agents whatever they ask for.
/// </summary>
public sealed class AgentStateReport(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<AgentStateDayRow>> TimePerStateAsync(UserScope user, ReportRange range, int? dealershipId = null, CancellationToken ct = default)
    {
        if (!ReportsService.MayRun(user)) throw new UnauthorizedAccessException("Only supervisors and admins can run reports.");
        var scope = user.IsHeadOffice ? dealershipId : user.DealershipId;
        var (from, until) = (range.FromUtc, range.UntilUtc);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var intervals = await db.AgentStateIntervals.AsNoTracking()
            .Where(i => i.StartedAt < until && (i.EndedAt == null || i.EndedAt > from) && (scope == null || i.DealershipId == scope))
            .Select(i => new { i.UserId, i.AgentName, i.DealershipId, i.State, i.StartedAt, i.EndedAt }).ToListAsync(ct);
        var dealershipIds = intervals.Select(i => i.DealershipId).OfType<int>().Distinct().ToList();
        var names = await db.Dealerships.AsNoTracking().Where(d => dealershipIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);

        var seconds = new Dictionary<(DateOnly Day, string UserId), int[]>();
        foreach (var i in intervals)
        {
            var start = i.StartedAt < from ? from : i.StartedAt;
            var end = (i.EndedAt ?? now) > until ? until : i.EndedAt ?? now;
            while (start < end)
            {
                var day = DateOnly.FromDateTime(ContactCentreTime.ToLocal(start));
                var midnight = ContactCentreTime.StartOfDayUtc(day.AddDays(1));
                var pieceEnd = end < midnight ? end : midnight;
                var key = (day, i.UserId);
                if (!seconds.TryGetValue(key, out var sums)) seconds[key] = sums = new int[4];
                sums[(int)i.State] += (int)Math.Round((pieceEnd - start).TotalSeconds);
                start = pieceEnd;
            }
        }
        var who = intervals.GroupBy(i => i.UserId).ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.StartedAt).First());
        return [.. seconds.Select(kv => new AgentStateDayRow(kv.Key.Day, who[kv.Key.UserId].AgentName,
                who[kv.Key.UserId].DealershipId is { } d ? names.GetValueOrDefault(d) : "Head office",
                kv.Value[(int)AgentStateKind.Ready], kv.Value[(int)AgentStateKind.NotReady], kv.Value[(int)AgentStateKind.OnCall], kv.Value[(int)AgentStateKind.WrapUp]))
            .OrderBy(r => r.Day).ThenBy(r => r.AgentName, StringComparer.OrdinalIgnoreCase)];
    }
}
