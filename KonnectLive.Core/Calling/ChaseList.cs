using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// A page of the chase list: <paramref name="Take"/> rows after skipping <paramref name="Skip"/>, or, when a place is given,
/// the rows right after <paramref name="After"/> (the page after one on screen) or right before <paramref name="Before"/>
/// (the page before it); <paramref name="FromEnd"/> takes the list's last rows (the last page). A place is read from the
/// index where it stands, so a page turn costs the same wherever in the list it is; Skip without a search seeks from the
/// nearest place already known (<see cref="ChaseListAnchors"/>). A search's pages skip by OFFSET.
/// </summary>
public sealed record ChaseListRequest(int Skip, int Take, string? Search = null, int? DealershipId = null,
    ChasePlace? After = null, ChasePlace? Before = null, bool FromEnd = false);

public sealed record ChaseListRow(
    int RecordId,
    int CustomerId,
    string CustomerName,
    int DealershipId,
    string DealershipName,
    string? Registration,
    string? VehicleDescription,
    EventType EventType,
    DateTime EventDate,
    int? Score,
    int AttemptCount,
    DateTime? LastAttemptAt,
    string? LockHolderId,
    string? LockHolderName,
    DateTime? CallbackDueAt = null,
    string? ReservedForId = null,
    string? ReservedForName = null,
    DateTime? ReservedUntil = null,
    bool HasCallableNumber = true,
    DateTime ChaseKey = default)
{
    /// <summary>Where the row stands in the chase-list order (for the page after or before it).</summary>
    public ChasePlace Place => new(ChaseKey, RecordId);
}

public sealed record ChaseListPage(IReadOnlyList<ChaseListRow> Rows, int Total);

/// <summary>A record's place in the chase-list order: its (ChaseKey, Id).</summary>
public sealed record ChasePlace(DateTime ChaseKey, int Id);

/// <summary>
/// The chase list: Awaiting records the user may see that are still being chased (no outcome ended the chase, no
/// call-back pending), due call-backs first (earliest due first), then never-attempted, then oldest attempt first, then
/// (<see cref="NoNumberToCall"/>) the customers with no number left to call, in the same order.
/// Filtering, ordering and paging all happen in the database, in the order of the (Status, ChaseKey, Id) index.
/// </summary>
public sealed class ChaseListQuery(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time, ChaseListCounts counts)
{
    public const int MaxPageSize = 200;

    public async Task<ChaseListPage> GetPageAsync(UserScope user, ChaseListRequest request, CancellationToken ct = default)
    {
        if (!user.CanCall) return new([], 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var filtered = Filter(db, user, request);
        var query = OnList(filtered, now);
        var total = string.IsNullOrWhiteSpace(request.Search)
            ? await counts.GetAsync(user.DealershipId ?? request.DealershipId, now, async c =>
            {
                var count = await query.CountAsync(c);
                // The next call-back to come due joins the list then: the count is reused until that moment at most.
                var dueLimit = SurveyRecord.DueCallbackKeyLimit(now);
                var nextDue = await filtered.Where(r => r.ChaseKey > dueLimit && r.ChaseKey < SurveyRecord.NeverAttemptedKey)
                    .MinAsync(r => (DateTime?)r.ChaseKey, c);
                return (count, nextDue ?? DateTime.MaxValue);
            }, ct)
            : await query.CountAsync(ct);
        var take = Math.Clamp(request.Take, 1, MaxPageSize);
        var skip = Math.Max(0, request.Skip);
        List<ChaseListRow> rows;
        if (request.After is { } after)
            rows = await ReadAsync(filtered, ListBands(now), after, inclusive: false, 0, take, forward: true, now, ct);
        else if (request.Before is { } before)
            rows = await ReadAsync(filtered, ListBands(now), before, inclusive: false, 0, take, forward: false, now, ct);
        else if (request.FromEnd)
            rows = await ReadAsync(filtered, ListBands(now), null, inclusive: true, 0, take, forward: false, now, ct);
        else if (skip == 0 || !string.IsNullOrWhiteSpace(request.Search))
            // The first page, and a search's pages (its matches are gathered and sorted anyway): by OFFSET.
            rows = await ProjectAsync(query.OrderBy(r => r.ChaseKey).ThenBy(r => r.Id).Skip(skip).Take(take), now, ct);
        else
            rows = await SeekPageAsync(filtered, user.DealershipId ?? request.DealershipId, skip, take, now, ct);
        return new(rows, total);
    }

    /// <summary>
    /// Page <paramref name="skip"/> / <paramref name="take"/> of the unsearched list, read by seeking: from the nearest place
    /// already known at or before its first row (<see cref="ChaseListAnchors"/>, kept per change of the list like the count),
    /// skipping only the rows between, inside the index. The page's first row and the next page's are remembered, so a page
    /// read again, and the page after it, cost what the first page does. Page N is the N-th page of the list as it is now:
    /// the pager's "x–y of N" stays exact while the list changes.
    /// </summary>
    private async Task<List<ChaseListRow>> SeekPageAsync(IQueryable<SurveyRecord> filtered, int? scope, int skip, int take,
        DateTime now, CancellationToken ct)
    {
        var anchors = await counts.GetAnchorsAsync(scope, now, c => ReadAnchorsAsync(filtered, now, c), ct);
        var bands = ListBands(now);
        var (band, rank) = skip < anchors.DueCount ? (0, skip) : (1, skip - anchors.DueCount);
        var (knownRank, known) = anchors.Nearest(band, rank);
        var rows = await ReadAsync(filtered, bands[band..], known, inclusive: true, rank - knownRank, take + 1, forward: true, now, ct);
        var (bandFrom, bandTo) = bands[band];
        if (rows.Count > 0 && rows[0].ChaseKey >= bandFrom && rows[0].ChaseKey < bandTo) anchors.Remember(band, rank, rows[0].Place);
        if (rows.Count > take && rows[take].ChaseKey >= bandFrom && rows[take].ChaseKey < bandTo) anchors.Remember(band, rank + take, rows[take].Place);
        return rows.Count > take ? rows[..take] : rows;
    }

    /// <summary>A fresh <see cref="ChaseListAnchors"/>: the due call-backs' band counted (a short range of the index), no place known yet.</summary>
    private static async Task<(ChaseListAnchors, DateTime)> ReadAnchorsAsync(IQueryable<SurveyRecord> filtered, DateTime now, CancellationToken ct)
    {
        var (dueFrom, dueTo) = ListBands(now)[0];
        var dueCount = await filtered.CountAsync(r => r.ChaseKey >= dueFrom && r.ChaseKey < dueTo, ct);
        var dueLimit = SurveyRecord.DueCallbackKeyLimit(now);
        var nextDue = await filtered.Where(r => r.ChaseKey > dueLimit && r.ChaseKey < SurveyRecord.NeverAttemptedKey)
            .MinAsync(r => (DateTime?)r.ChaseKey, ct);
        return (new ChaseListAnchors(dueCount), nextDue ?? DateTime.MaxValue);
    }

    /// <summary>
    /// Up to <paramref name="take"/> rows from <paramref name="from"/> (null: the start, or the end going backwards), band by
    /// band in list order (or the reverse), skipping <paramref name="offset"/> rows of the first band read. Each band is asked
    /// as one plain range of the (Status, ChaseKey, Id) index from the place, so the database seeks there and reads on in
    /// order; the list's own OR across both bands made SQLite gather both ranges and sort them (docs/bench-notes.md).
    /// </summary>
    private static async Task<List<ChaseListRow>> ReadAsync(IQueryable<SurveyRecord> filtered, (DateTime From, DateTime To)[] bands,
        ChasePlace? from, bool inclusive, int offset, int take, bool forward, DateTime now, CancellationToken ct)
    {
        var rows = new List<ChaseListRow>(take);
        foreach (var (bandFrom, bandTo) in forward ? bands : Enumerable.Reverse(bands))
        {
            if (rows.Count >= take) break;
            IQueryable<SurveyRecord> q;
            if (from is null || (forward ? from.ChaseKey < bandFrom : from.ChaseKey >= bandTo))
                q = filtered.Where(r => r.ChaseKey >= bandFrom && r.ChaseKey < bandTo);
            else if (forward ? from.ChaseKey >= bandTo : from.ChaseKey < bandFrom)
                continue;
            else
            {
                var (key, id) = (from.ChaseKey, from.Id);
                q = (forward, inclusive) switch
                {
                    (true, true) => filtered.Where(r => r.ChaseKey >= key && r.ChaseKey < bandTo && (r.ChaseKey > key || r.Id >= id)),
                    (true, false) => filtered.Where(r => r.ChaseKey >= key && r.ChaseKey < bandTo && (r.ChaseKey > key || r.Id > id)),
                    (false, true) => filtered.Where(r => r.ChaseKey >= bandFrom && r.ChaseKey <= key && (r.ChaseKey < key || r.Id <= id)),
                    (false, false) => filtered.Where(r => r.ChaseKey >= bandFrom && r.ChaseKey <= key && (r.ChaseKey < key || r.Id < id)),
                };
            }
            var ordered = forward
                ? q.OrderBy(r => r.ChaseKey).ThenBy(r => r.Id)
                : q.OrderByDescending(r => r.ChaseKey).ThenByDescending(r => r.Id);
            var read = await ProjectAsync(ordered.Skip(offset).Take(take - rows.Count), now, ct);
            if (!forward) read.Reverse();
            if (forward) rows.AddRange(read); else rows.InsertRange(0, read);
            offset = 0;
        }
        return rows;
    }

    /// <summary>The chase list's bands at <paramref name="now"/>, top down, each [from, to): due call-backs, then every chased customer.</summary>
    private static (DateTime From, DateTime To)[] ListBands(DateTime now) =>
    [
        (DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), SurveyRecord.DueCallbackKeyLimit(now).AddTicks(1)),
        (SurveyRecord.NeverAttemptedKey, SurveyRecord.ChaseEndedFloor),
    ];

    private static Task<List<ChaseListRow>> ProjectAsync(IQueryable<SurveyRecord> page, DateTime now, CancellationToken ct) =>
        page.Select(r => new ChaseListRow(
                r.Id,
                r.CustomerId,
                (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName,
                r.DealershipId,
                r.Dealership.Name,
                r.Vehicle == null ? null : r.Vehicle.Registration,
                r.Vehicle == null ? null : (r.Vehicle.Make ?? "") + " " + (r.Vehicle.Model ?? ""),
                r.EventType,
                r.EventDate,
                r.Score,
                r.AttemptCount,
                r.LastAttemptAt,
                r.LockExpiresAt > now ? r.LockHolderId : null,
                r.LockExpiresAt > now ? r.LockHolderName : null,
                r.CallbackDueAt, // on the list only once due
                r.ReservedUntil > now ? r.CallbackAgentId : null,
                r.ReservedUntil > now ? r.CallbackAgentName : null,
                r.ReservedUntil > now ? r.ReservedUntil : null,
                // Only for the page's rows: an agent should see before opening that there is nothing to dial.
                r.Customer.Phones.Any(p => p.CallUnsubscribedAt == null && p.WrongNumberAt == null),
                r.ChaseKey))
            .ToListAsync(ct);

    /// <summary>
    /// The next (or previous, or first) customer the agent could open from <paramref name="recordId"/>'s place in the chase-list
    /// order: on the list, not locked by someone else and not reserved for another agent. Null at the end of the list.
    /// A record that has just left the list (or moved down it) is placed by its stored (ChaseKey, Id) all the same.
    /// </summary>
    public async Task<int?> FindNeighbourAsync(UserScope user, int recordId, ChaseDirection direction, int? dealershipId = null,
        CancellationToken ct = default)
    {
        var place = await PlaceOfAsync(user, recordId, ct);
        return place is null ? null : await FindNeighbourAsync(user, place, direction, dealershipId, ct);
    }

    /// <summary>Where <paramref name="recordId"/> stands in the chase-list order now (null: unknown or not the user's to see).</summary>
    public async Task<ChasePlace?> PlaceOfAsync(UserScope user, int recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var from = await db.SurveyRecords.AsNoTracking().Where(r => r.Id == recordId)
            .Select(r => new { r.ChaseKey, r.Id, r.DealershipId }).SingleOrDefaultAsync(ct);
        return from is null || !user.CanSee(from.DealershipId) ? null : new ChasePlace(from.ChaseKey, from.Id);
    }

    /// <summary>
    /// As <see cref="FindNeighbourAsync(UserScope, int, ChaseDirection, int?, CancellationToken)"/>, from a place taken earlier:
    /// Confirm &amp; next moves on from where the customer stood before the outcome moved them down the list.
    /// Customers with no number to call are not moved to (nothing to dial); the chase list still shows them, at the bottom.
    /// </summary>
    public async Task<int?> FindNeighbourAsync(UserScope user, ChasePlace from, ChaseDirection direction, int? dealershipId = null,
        CancellationToken ct = default)
    {
        if (!user.CanCall) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // First: the top free customer, which may be this one. Searched as "next" from before the start of the list.
        var (key, id) = direction == ChaseDirection.First ? (DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), 0) : (from.ChaseKey, from.Id);
        var forward = direction != ChaseDirection.Previous;

        var now = time.GetUtcNow().UtcDateTime;
        var me = user.UserId;
        var candidates = Filter(db, user, new ChaseListRequest(0, 1, null, dealershipId))
            .Where(r => r.LockHolderId == null || r.LockExpiresAt <= now || r.LockHolderId == me)
            .Where(r => r.ReservedUntil == null || r.ReservedUntil <= now || r.CallbackAgentId == me);

        // The list is two bands of ChaseKey (see OnList). Each band is asked as one plain range from the record's place,
        // so the database seeks into the index there and reads on in order; an OR across both bands made SQLite gather
        // and sort them instead. The nearer band is asked first; the farther only when the nearer has no one.
        var bands = Bands(now);
        if (!forward) Array.Reverse(bands);
        foreach (var (bandFrom, bandTo) in bands)
        {
            var found = forward
                ? await NextInAsync(candidates, bandFrom, bandTo, key, id, ct)
                : await PreviousInAsync(candidates, bandFrom, bandTo, key, id, ct);
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>The chase list's ChaseKey bands a move searches at <paramref name="now"/>, top down, each [from, to): due
    /// call-backs, then chased customers with a number to call (the no-number band below them is not moved to).</summary>
    private static (DateTime From, DateTime To)[] Bands(DateTime now) =>
    [
        (DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), SurveyRecord.DueCallbackKeyLimit(now).AddTicks(1)),
        (SurveyRecord.NeverAttemptedKey, SurveyRecord.NoNumberFloor),
    ];

    private static Task<int?> NextInAsync(IQueryable<SurveyRecord> q, DateTime bandFrom, DateTime bandTo, DateTime key, int id, CancellationToken ct)
    {
        if (key >= bandTo) return Task.FromResult<int?>(null);
        q = key < bandFrom
            ? q.Where(r => r.ChaseKey >= bandFrom && r.ChaseKey < bandTo)
            : q.Where(r => r.ChaseKey >= key && r.ChaseKey < bandTo && (r.ChaseKey > key || r.Id > id));
        return q.OrderBy(r => r.ChaseKey).ThenBy(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
    }

    private static Task<int?> PreviousInAsync(IQueryable<SurveyRecord> q, DateTime bandFrom, DateTime bandTo, DateTime key, int id, CancellationToken ct)
    {
        if (key < bandFrom) return Task.FromResult<int?>(null);
        q = key >= bandTo
            ? q.Where(r => r.ChaseKey >= bandFrom && r.ChaseKey < bandTo)
            : q.Where(r => r.ChaseKey >= bandFrom && r.ChaseKey <= key && (r.ChaseKey < key || r.Id < id));
        return q.OrderByDescending(r => r.ChaseKey).ThenByDescending(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Whether a record is on the chase list at <paramref name="now"/> (status aside): still being chased
    /// (ChaseEndedAt null), and not waiting for a call-back that is not yet due (CallbackDueAt null or past). Asked of
    /// the ChaseKey bands (see <see cref="SurveyRecord.ChaseKey"/>) rather than of those columns, so the count and the
    /// pages are read from the index alone: with the columns, every row skipped costs a table lookup (measured: a deep
    /// page of 100,000 records went from about 14 ms to 500 ms).
    /// </summary>
    internal static IQueryable<SurveyRecord> OnList(IQueryable<SurveyRecord> query, DateTime now)
    {
        var dueLimit = SurveyRecord.DueCallbackKeyLimit(now);
        var chasedFrom = SurveyRecord.NeverAttemptedKey;
        var endedFrom = SurveyRecord.ChaseEndedFloor;
        return query.Where(r => r.ChaseKey <= dueLimit || (r.ChaseKey >= chasedFrom && r.ChaseKey < endedFrom));
    }

    /// <summary>The Awaiting records the user may see that match the request's dealership and search; <see cref="OnList"/> aside.</summary>
    private static IQueryable<SurveyRecord> Filter(KonnectDbContext db, UserScope user, ChaseListRequest request)
    {
        var query = db.SurveyRecords.AsNoTracking().Where(r => r.Status == SurveyStatus.Awaiting);
        if (user.DealershipId is { } own)
            query = query.Where(r => r.DealershipId == own); // a dealership user never sees another's records, whatever the filter says
        else if (request.DealershipId is { } chosen)
            query = query.Where(r => r.DealershipId == chosen);

        return ChaseListSearch.Matching(db, query, request.Search);
    }
}
