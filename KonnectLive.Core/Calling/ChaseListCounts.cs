using System.Collections.Concurrent;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Calling;

/// <summary>
/// What the chase list reads once per change rather than once per page load, for a scope (one dealership, or all of them):
/// the "N awaiting" count, which reads every entry of the list's index (at 100,000 records it cost more than the page
/// itself: docs/bench-notes.md, "Chase list at scale profile"), and the list's page anchors (<see cref="ChaseListAnchors"/>).
/// Each is reused while
/// <list type="bullet">
/// <item>no live event that may change the list's members has been dispatched since it was read (<see cref="LiveEventBus.ChaseGeneration"/>,
/// bumped before any listener hears the event, so a page reloading on that event never gets the old count);</item>
/// <item>no call-back has come due since (a due call-back joins the list with no event of its own until the announcer runs);</item>
/// <item>and it is younger than <see cref="MaxAge"/>, a backstop for a change made without an event.</item>
/// </list>
/// Searches are not cached: a search's count is over its matches only, and its pages are few.
/// </summary>
public sealed class ChaseListCounts(LiveEventBus bus, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private sealed record Entry<T>(long Generation, T Value, DateTime NextDueKey, DateTimeOffset ReadAt);

    // Key: dealership id, or 0 for every dealership.
    private readonly ConcurrentDictionary<int, Entry<int>> _counts = new();
    private readonly ConcurrentDictionary<int, Entry<ChaseListAnchors>> _anchors = new();

    /// <summary>
    /// The count for <paramref name="dealershipId"/> (null: every dealership) at <paramref name="now"/>, from the cache or from
    /// <paramref name="count"/>, which returns the count and the ChaseKey of the next call-back to come due (or MaxValue).
    /// </summary>
    public Task<int> GetAsync(int? dealershipId, DateTime now, Func<CancellationToken, Task<(int Count, DateTime NextDueKey)>> count,
        CancellationToken ct) => GetOrReadAsync(_counts, dealershipId, now, count, ct);

    /// <summary>The page anchors for <paramref name="dealershipId"/> at <paramref name="now"/>, cached like the count.</summary>
    public Task<ChaseListAnchors> GetAnchorsAsync(int? dealershipId, DateTime now,
        Func<CancellationToken, Task<(ChaseListAnchors Anchors, DateTime NextDueKey)>> read, CancellationToken ct) =>
        GetOrReadAsync(_anchors, dealershipId, now, read, ct);

    private async Task<T> GetOrReadAsync<T>(ConcurrentDictionary<int, Entry<T>> entries, int? dealershipId, DateTime now,
        Func<CancellationToken, Task<(T Value, DateTime NextDueKey)>> read, CancellationToken ct)
    {
        var key = dealershipId ?? 0;
        var generation = bus.ChaseGeneration;
        var at = time.GetUtcNow();
        if (entries.TryGetValue(key, out var e) && e.Generation == generation && at - e.ReadAt < MaxAge
            && SurveyRecord.DueCallbackKeyLimit(now) < e.NextDueKey)
            return e.Value;
        var (value, nextDue) = await read(ct);
        // Stored under the generation read before the read: a change during it makes the next request read again.
        entries[key] = new Entry<T>(generation, value, nextDue, at);
        return value;
    }
}

/// <summary>
/// What a scope's chase list knows, at one generation, about where its rows stand: the size of the due call-backs' band
/// (so a rank says which band it falls in) and the places of the ranks that pages have already read, band by band. Page N
/// seeks to the nearest known place at or before its first row and skips only the rows between, so a page read again, or
/// the page after one just read, costs what the first page does; the first read of a page after a change skips from the
/// nearest page read before (at worst from the top of its band, as OFFSET did, inside the index).
/// </summary>
public sealed class ChaseListAnchors(int dueCount)
{
    /// <summary>A bound on the places kept per band (a scope's pages read between two changes): beyond it, no more are kept.</summary>
    public const int MaxKnown = 4096;

    private readonly SortedList<int, ChasePlace>[] _known = [new(), new()];
    private readonly Lock _gate = new();

    public int DueCount { get; } = dueCount;

    /// <summary>The nearest known rank at or before <paramref name="rank"/> in <paramref name="band"/> and its place (0 and null: the band's start).</summary>
    public (int Rank, ChasePlace? Place) Nearest(int band, int rank)
    {
        lock (_gate)
        {
            var keys = _known[band].Keys;
            int lo = 0, hi = keys.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (keys[mid] <= rank) { found = mid; lo = mid + 1; }
                else hi = mid - 1;
            }
            return found < 0 ? (0, null) : (keys[found], _known[band].Values[found]);
        }
    }

    /// <summary>Notes that the row at <paramref name="rank"/> of <paramref name="band"/> stands at <paramref name="place"/>.</summary>
    public void Remember(int band, int rank, ChasePlace place)
    {
        lock (_gate)
            if (_known[band].Count < MaxKnown) _known[band][rank] = place;
    }
}
