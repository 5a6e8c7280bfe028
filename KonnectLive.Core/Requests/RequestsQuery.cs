using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Data;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Requests;

/// <summary>
/// Requests as the history, the Cases page and the reports read them. Scope: a dealership user only sees their own
/// dealership's requests, whatever ids they ask for.
/// </summary>
public sealed class RequestsQuery(IDbContextFactory<KonnectDbContext> dbFactory)
{
    /// <summary>The requests raised on these recorded calls (call attempt ids), by call: for a case's calls, or a history's.</summary>
    public async Task<ILookup<long, RequestView>> ForCallsAsync(UserScope user, IReadOnlyCollection<long> callAttemptIds, CancellationToken ct = default)
    {
        if (callAttemptIds.Count == 0) return Array.Empty<RequestView>().ToLookup(r => 0L);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = callAttemptIds.Select(i => (long?)i).ToList();
        var own = user.DealershipId;
        var found = await db.CustomerRequests.AsNoTracking()
            .Where(r => ids.Contains(r.CallAttemptId) && (own == null || r.DealershipId == own))
            .Select(r => r.Id).ToListAsync(ct);
        return (await LoadAsync(db, found, ct)).ToLookup(r => r.CallAttemptId!.Value);
    }

    /// <summary>Every request of a customer the user may see, newest first.</summary>
    public async Task<IReadOnlyList<RequestView>> ForCustomerAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var own = user.DealershipId;
        var found = await db.CustomerRequests.AsNoTracking()
            .Where(r => r.CustomerId == customerId && (own == null || r.DealershipId == own))
            .Select(r => r.Id).ToListAsync(ct);
        return [.. (await LoadAsync(db, found, ct)).OrderByDescending(r => r.RaisedAt).ThenByDescending(r => r.Id)];
    }

    /// <summary>
    /// "Requests by type": how many requests of each type each dealership raised in the range (UK days), saved and still
    /// draft. Supervisors and admins; a dealership user always gets their own dealership.
    /// </summary>
    public async Task<IReadOnlyList<RequestsByTypeRow>> ByTypeAsync(UserScope user, ReportRange range, int? dealershipId = null, CancellationToken ct = default)
    {
        if (!ReportsService.MayRun(user)) throw new UnauthorizedAccessException("Only supervisors and admins can run reports.");
        var scope = user.IsHeadOffice ? dealershipId : user.DealershipId;
        var (from, until) = (range.FromUtc, range.UntilUtc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = await db.CustomerRequests.AsNoTracking()
            .Where(r => r.RaisedAt >= from && r.RaisedAt < until && (scope == null || r.DealershipId == scope))
            .GroupBy(r => new { r.DealershipId, r.RequestTypeId, r.Status })
            .Select(g => new { g.Key.DealershipId, g.Key.RequestTypeId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        var dealershipIds = groups.Select(g => g.DealershipId).Distinct().ToList();
        var typeIds = groups.Select(g => g.RequestTypeId).Distinct().ToList();
        var dealerships = await db.Dealerships.AsNoTracking().Where(d => dealershipIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var types = await db.RequestTypes.AsNoTracking().Where(t => typeIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return groups.GroupBy(g => new { g.DealershipId, g.RequestTypeId })
            .Select(g => new RequestsByTypeRow(g.Key.DealershipId, dealerships.GetValueOrDefault(g.Key.DealershipId, $"#{g.Key.DealershipId}"),
                g.Key.RequestTypeId, types.GetValueOrDefault(g.Key.RequestTypeId, $"#{g.Key.RequestTypeId}"),
                g.Where(x => x.Status == RequestStatus.Saved).Sum(x => x.Count), g.Where(x => x.Status == RequestStatus.Draft).Sum(x => x.Count)))
            .OrderBy(r => r.Dealership, StringComparer.OrdinalIgnoreCase).ThenByDescending(r => r.Count).ThenBy(r => r.Type, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The requests with these ids, each with every field of its type (values in field order). No scope check: callers filter.</summary>
    internal static async Task<IReadOnlyList<RequestView>> LoadAsync(KonnectDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var requests = await db.CustomerRequests.AsNoTracking().Include(r => r.Values).Include(r => r.RequestType).ThenInclude(t => t.Fields)
            .Where(r => ids.Contains(r.Id)).AsSplitQuery().ToListAsync(ct);
        return requests.OrderBy(r => r.RaisedAt).ThenBy(r => r.Id).Select(r =>
        {
            var values = r.Values.ToDictionary(v => v.RequestFieldId, v => v.Value);
            var fields = r.RequestType.Fields.Where(f => f.IsActive || values.ContainsKey(f.Id)).OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
                .Select(f => new RequestValueView(f.Id, f.Name, f.Type, CustomFieldValues.SplitChoices(f.Choices), f.IsRequired, f.IsActive, values.GetValueOrDefault(f.Id)))
                .ToList();
            return new RequestView(r.Id, r.CustomerId, r.DealershipId, r.RequestTypeId, r.RequestType.Name, r.Status, r.RaisedByName, r.RaisedById,
                r.RaisedAt, r.UpdatedAt, r.CallAttemptId, r.CallLegId, r.ErasedAt is not null, fields);
        }).ToList();
    }
}
