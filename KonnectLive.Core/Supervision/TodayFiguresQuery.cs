using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Supervision;

public sealed record AgentAttempts(string AgentId, string AgentName, int Attempts);

public sealed record OutcomeAttempts(string Outcome, int Attempts);

/// <summary>How many of a dealership's survey records are in each status now.</summary>
public sealed record DealershipStatusCounts(int DealershipId, string DealershipName, IReadOnlyDictionary<SurveyStatus, int> ByStatus)
{
    public int Count(SurveyStatus status) => ByStatus.GetValueOrDefault(status);
    public int Total => ByStatus.Values.Sum();
}

/// <summary>Today so far, as the live board shows it. <see cref="From"/>/<see cref="Until"/> are the UTC bounds of today in London.</summary>
public sealed record TodayFigures(
    DateOnly Day,
    DateTime From,
    DateTime Until,
    IReadOnlyList<AgentAttempts> ByAgent,
    IReadOnlyList<OutcomeAttempts> ByOutcome,
    IReadOnlyList<DealershipStatusCounts> ByDealership)
{
    public int TotalAttempts => ByAgent.Sum(a => a.Attempts);
}

/// <summary>
/// Today's attempts per agent and per outcome (today in the contact centre's zone, Europe/London) and the records in
/// each status per dealership now — scoped to the supervisor's dealership, or every dealership for head office.
/// </summary>
public sealed class TodayFiguresQuery(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeZoneInfo London = KonnectLive.Core.Common.ContactCentreTime.Zone;

    public async Task<TodayFigures> GetAsync(UserScope supervisor, CancellationToken ct = default)
    {
        SupervisorAccess.Demand(supervisor);
        var (day, from, until) = Today(time.GetUtcNow());
        var dealershipId = supervisor.DealershipId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var attempts = db.CallAttempts.AsNoTracking()
            .Where(a => a.RecordedAt >= from && a.RecordedAt < until && a.UndoneAt == null && (dealershipId == null || a.DealershipId == dealershipId));

        var byAgent = (await attempts
                .GroupBy(a => a.AgentId)
                .Select(g => new { AgentId = g.Key, AgentName = g.Max(a => a.AgentName), Attempts = g.Count() })
                .ToListAsync(ct))
            .Select(a => new AgentAttempts(a.AgentId, a.AgentName ?? a.AgentId, a.Attempts))
            .OrderByDescending(a => a.Attempts).ThenBy(a => a.AgentName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        var byOutcome = (await attempts
                .GroupBy(a => new { a.OutcomeId, a.Outcome.Name, a.Outcome.SortOrder })
                .Select(g => new { g.Key.Name, g.Key.SortOrder, Attempts = g.Count() })
                .ToListAsync(ct))
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Name)
            .Select(o => new OutcomeAttempts(o.Name, o.Attempts))
            .ToList();

        var dealerships = await db.Dealerships.AsNoTracking()
            .Where(d => dealershipId == null || d.Id == dealershipId)
            .OrderBy(d => d.Name)
            .Select(d => new { d.Id, d.Name })
            .ToListAsync(ct);
        var statusCounts = await db.SurveyRecords.AsNoTracking()
            .Where(r => dealershipId == null || r.DealershipId == dealershipId)
            .GroupBy(r => new { r.DealershipId, r.Status })
            .Select(g => new { g.Key.DealershipId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        var byDealership = dealerships
            .Select(d => new DealershipStatusCounts(d.Id, d.Name,
                statusCounts.Where(s => s.DealershipId == d.Id).ToDictionary(s => s.Status, s => s.Count)))
            .ToList();

        return new TodayFigures(day, from, until, byAgent, byOutcome, byDealership);
    }

    /// <summary>Today's date in London and its bounds in UTC (23 or 25 hours long on the days the clocks change).</summary>
    public static (DateOnly Day, DateTime From, DateTime Until) Today(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, London).DateTime);
        return (day, StartOf(day), StartOf(day.AddDays(1)));
    }

    private static DateTime StartOf(DateOnly day) => KonnectLive.Core.Common.ContactCentreTime.StartOfDayUtc(day);
}
