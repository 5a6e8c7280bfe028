using System.Collections.Concurrent;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Calling;

/// <summary>
/// What the chase list reads once per change rather than once per page load, for a scope (one dealership, or all of them):
/// the "N awaiting" count, and the list's page anchors (<see cref="ChaseListAnchors"/>). Both read every entry of the
/// list's index, so at 100,000 records each cost more than the page itself (docs/bench-notes.md, "Chase list at scale
/// profile"). Each is reused while
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
/// Where every <see cref="Every"/>th row of the chase list stands, band by band (due call-backs; chased customers), read
/// in one pass over the list's index. Page N is then read by seeking to the anchor at or before its first row and
/// reading on in index order — fewer than <see cref="Every"/> index entries skipped, plus the page — instead of skipping
/// N × page size entries with OFFSET: a page ¾ down 100,000 records costs what the first page costs.
/// </summary>
public sealed record ChaseListAnchors(int DueCount, IReadOnlyList<ChasePlace> Due, int ChasedCount, IReadOnlyList<ChasePlace> Chased)
{
    /// <summary>One anchor every this many rows of a band: a multiple of every page size the list offers (25, 50, 100, 200).</summary>
    public const int Every = 200;

    public int Count => DueCount + ChasedCount;
}
