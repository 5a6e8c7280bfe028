using System.Diagnostics.Metrics;

namespace KonnectLive.Core.Cluster;

/// <summary>
/// KonnectLive's own meters (meter name <c>KonnectLive</c>), exported with the rest by OpenTelemetry when the host
/// turns it on; counting costs next to nothing when nobody listens.
/// </summary>
public static class KonnectLiveMetrics
{
    public const string MeterName = "KonnectLive";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> LocksWon = Meter.CreateCounter<long>("konnectlive.locks.won", description: "Call locks taken (Open, Next, Continue here)");
    private static readonly Counter<long> LocksRefused = Meter.CreateCounter<long>("konnectlive.locks.refused", description: "Call lock attempts another holder won");
    private static readonly Counter<long> LocksExpired = Meter.CreateCounter<long>("konnectlive.locks.expired", description: "Leases cleared by the sweeper after their page stopped renewing");
    private static readonly Histogram<double> FanOut = Meter.CreateHistogram<double>("konnectlive.live.fanout.duration", "ms", "Time to hand one live event to this instance's listeners");
    private static readonly Histogram<double> Delivery = Meter.CreateHistogram<double>("konnectlive.live.delivery.lag", "ms", "From publishing a live event to this instance hearing it (Redis)");
    private static readonly Histogram<double> IngestBatch = Meter.CreateHistogram<double>("konnectlive.ingest.batch.duration", "ms", "Time to ingest one FOCUS batch");
    private static readonly Histogram<double> DispatchLag = Meter.CreateHistogram<double>("konnectlive.messages.dispatch.lag", "s", "From a message's due time to its sending");
    private static readonly Counter<long> Leads = Meter.CreateCounter<long>("konnectlive.cluster.leadership", description: "Ticks of cluster-wide jobs, by whether this instance led them");

    public static void LockWon() => LocksWon.Add(1);
    public static void LockRefused() => LocksRefused.Add(1);
    public static void LockExpired(int count) { if (count > 0) LocksExpired.Add(count); }

    public static void EventFanOut(TimeSpan fanOut, double deliveryLagMs, bool fromThisInstance)
    {
        FanOut.Record(fanOut.TotalMilliseconds);
        Delivery.Record(Math.Max(0, deliveryLagMs), new KeyValuePair<string, object?>("origin", fromThisInstance ? "this" : "other"));
    }

    public static void EventFanOut(TimeSpan fanOut) => FanOut.Record(fanOut.TotalMilliseconds);

    public static void IngestBatchTook(TimeSpan took) => IngestBatch.Record(took.TotalMilliseconds);

    public static void MessageSent(TimeSpan lateBy) => DispatchLag.Record(Math.Max(0, lateBy.TotalSeconds));

    public static void Leadership(string job, bool leading) =>
        Leads.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("leading", leading));
}
