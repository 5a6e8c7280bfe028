using KonnectLive.Core.Messaging;
using Quartz;

namespace KonnectLive.Desktop.Scheduling;

/// <summary>
/// The one recurring Quartz job: every few seconds, send what is due. Never two runs at once; a run that overlaps
/// the next firing simply makes it wait. A late or missed firing (the app was down) needs no catching up: the next
/// run finds everything still due in the ScheduledMessages table and the late policy decides what still goes.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DispatchMessagesJob(MessageDispatcher dispatcher, ILogger<DispatchMessagesJob> logger) : IJob
{
    public static readonly JobKey Key = new("dispatch-messages", "messaging");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var summary = await dispatcher.DispatchDueAsync(cancellationToken);
        if (summary.Claimed > 0)
            logger.LogInformation("Dispatched messages: {Sent} sent, {Skipped} skipped, {Deferred} deferred to sending hours, {Retried} to retry, {Failed} failed",
                summary.Sent, summary.Skipped, summary.Deferred, summary.Retried, summary.Failed);
    }
}
