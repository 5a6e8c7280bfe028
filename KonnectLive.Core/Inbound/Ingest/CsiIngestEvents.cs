using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// Step 5 of a batch: what the chase lists must hear once it commits — one <see cref="LiveEventKind.RecordsChanged"/>
/// per dealership, not one event per record (a 1,000-record batch is one or a few events, and each open chase list
/// reloads once). A record leaving Awaiting counts as removed; becoming Awaiting as added; an Awaiting record whose status
/// or data changed as changed. Records that are not callable before or after publish nothing.
/// </summary>
internal static class CsiIngestEvents
{
    public static List<LiveEvent> Collect(IngestWorkingSet working)
    {
        var byDealership = new Dictionary<int, (List<int> Added, List<int> Removed, List<int> Changed)>();
        foreach (var t in working.Tracked.Values.Where(t => t.StatusEvent || t.DataChanged))
        {
            var r = t.Record;
            var wasCallable = t.InitialStatus == SurveyStatus.Awaiting;
            if (!wasCallable && !r.IsCallable) continue;
            if (!byDealership.TryGetValue(r.DealershipId, out var lists))
                byDealership[r.DealershipId] = lists = ([], [], []);
            var list = (wasCallable, r.IsCallable) switch
            {
                (true, false) => lists.Removed,
                (false, true) => lists.Added,
                _ => lists.Changed,
            };
            list.Add(r.Id);
        }
        return [.. byDealership.OrderBy(d => d.Key).Select(d =>
        {
            var change = new RecordSetChange([.. d.Value.Added], [.. d.Value.Removed], [.. d.Value.Changed]);
            return new LiveEvent(LiveEventKind.RecordsChanged, d.Key, RecordId: 0,
                Reason: $"FOCUS: {change.Added.Length} added, {change.Removed.Length} removed, {change.Changed.Length} changed") { Records = change };
        })];
    }
}
