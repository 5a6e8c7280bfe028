using System.Collections.Concurrent;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Calling;

/// <summary>
/// The chase list's "N awaiting" for a scope (one dealership, or all of them), counted once per change rather than once
/// per page load: an exact COUNT reads every entry of the list's index, so at 100,000 records it cost more than the page
/// itself (docs/bench-notes.md, "Chase list at scale profile"). A count is reused while
/// <list type="bullet">
/// <item>no live event that may change the list's members has been dispatched since it was read (<see cref="LiveEventBus.ChaseGeneration"/>,
/// bumped before any listener hears the event, so a page reloading on that event never gets the old count);</item>
/// <item>no call-back has come due since (a due call-back joins the list with no event of its own until the announcer runs);</item>
/// <item>and it is younger than <see cref="MaxAge"/>, a backstop for a change made without an event.</item>
/// </list>
/// Searches are not cached: a search's count is over its matches only.
/// </summary>
public sealed class ChaseListCounts(LiveEventBus bus, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private sealed record Entry(long Generation, int Count, DateTime NextDueKey, DateTimeOffset ReadAt);

    private readonly ConcurrentDictionary<int, Entry> _entries = new(); // key: dealership id, or 0 for every dealership

    /// <summary>
    /// The count for <paramref name="dealershipId"/> (null: every dealership) at <paramref name="now"/>, from the cache or from
    /// <paramref name="count"/>, which returns the count and the ChaseKey of the next call-back to come due (or MaxValue).
    /// </summary>
    public async Task<int> GetAsync(int? dealershipId, DateTime now, Func<CancellationToken, Task<(int Count, DateTime NextDueKey)>> count,
        CancellationToken ct)
    {
        var key = dealershipId ?? 0;
        var generation = bus.ChaseGeneration;
        var at = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var e) && e.Generation == generation && at - e.ReadAt < MaxAge
            && SurveyRecord.DueCallbackKeyLimit(now) < e.NextDueKey)
            return e.Count;
        var (total, nextDue) = await count(ct);
        // Stored under the generation read before the count: a change during the count makes the next read count again.
        _entries[key] = new Entry(generation, total, nextDue, at);
        return total;
    }
}
