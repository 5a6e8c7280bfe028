using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// Step 5 of a batch: what the chase lists must hear once it commits. Leaving Awaiting publishes RecordRemoved (reason:
/// the new status); becoming Awaiting publishes RecordAdded; an Awaiting record whose status or data changed publishes
/// RecordChanged. Records that are not callable before or after publish nothing.
/// </summary>
internal static class CsiIngestEvents
{
    public static List<LiveEvent> Collect(IngestWorkingSet working)
    {
        var events = new List<LiveEvent>();
        foreach (var t in working.Tracked.Values.Where(t => t.StatusEvent || t.DataChanged))
        {
            var r = t.Record;
            var wasCallable = t.InitialStatus == SurveyStatus.Awaiting;
            LiveEventKind? kind = (wasCallable, r.IsCallable) switch
            {
                (true, false) => LiveEventKind.RecordRemoved,
                (false, true) => LiveEventKind.RecordAdded,
                (true, true) => LiveEventKind.RecordChanged,
                _ => null,
            };
            if (kind is { } k)
                events.Add(new LiveEvent(k, r.DealershipId, r.Id, r.Customer.FullName,
                    Reason: k == LiveEventKind.RecordRemoved ? r.Status.ToString() : null));
        }
        return events;
    }
}
