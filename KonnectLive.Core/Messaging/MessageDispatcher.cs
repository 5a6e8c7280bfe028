using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Messaging;

/// <summary>What one dispatch run did.</summary>
public sealed record DispatchSummary(int Claimed, int Sent, int Skipped, int Deferred, int Retried, int Failed)
{
    public static readonly DispatchSummary None = new(0, 0, 0, 0, 0, 0);
    public DispatchSummary Add(DispatchSummary o) =>
        new(Claimed + o.Claimed, Sent + o.Sent, Skipped + o.Skipped, Deferred + o.Deferred, Retried + o.Retried, Failed + o.Failed);
}

/// <summary>
/// Sends the messages that are due. The rows are the source of truth and the only queue: a run claims due rows in
/// batches with one conditional UPDATE (Scheduled → Sending, with a claim token and a lease), so two runs — or two
/// app instances — never take the same row, and a row left Sending by a crash is claimed again once its lease ends.
/// Every check is made again at send time: record open and still in the status that queued the message, consent for
/// the channel, the late policy, and the dealership's sending hours (outside them the message waits for the next
/// opening rather than being skipped). Messages are claimed and started in due order, so a backlog drains oldest first.
/// The outbox (an <see cref="IBatchMessageSender"/>) takes a claimed batch in one transaction and the batch's states are
/// written in another; other senders send up to <see cref="MessagingOptions.SendConcurrency"/> at once.
/// </summary>
public sealed class MessageDispatcher(
    IDbContextFactory<KonnectDbContext> dbFactory,
    IMessageSenderResolver senders,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<MessageDispatcher> logger)
{
    /// <summary>A run stops after this many full batches so one run never holds the job for long; the next run carries on.</summary>
    private const int MaxBatchesPerRun = 25;

    private MessagingOptions Options => options.Value;
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<DispatchSummary> DispatchDueAsync(CancellationToken ct = default)
    {
        var total = DispatchSummary.None;
        for (var i = 0; i < MaxBatchesPerRun; i++)
        {
            var batch = await DispatchBatchAsync(ct);
            total = total.Add(batch);
            if (batch.Claimed < Options.BatchSize) break;
        }
        return total;
    }

    private async Task<DispatchSummary> DispatchBatchAsync(CancellationToken ct)
    {
        var now = Now;
        // Which process holds a claim is readable from the row (host:pid), for an operator and for the cluster tests.
        var token = $"{ClaimOwner}-{Guid.NewGuid():N}";
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // The claim is one statement: the oldest due rows (the subquery) that are still due when the UPDATE reaches them, so
        // a row another run took meanwhile is not taken again.
        var oldestDue = Due(db.ScheduledMessages, now).OrderBy(x => x.DueAt).ThenBy(x => x.Id).Select(x => x.Id).Take(Options.BatchSize);
        var claimed = await Due(db.ScheduledMessages.Where(m => oldestDue.Contains(m.Id)), now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Sending)
                .SetProperty(m => m.ClaimToken, token)
                .SetProperty(m => m.ClaimedUntil, now.AddSeconds(Options.ClaimLeaseSeconds)), ct);
        if (claimed == 0) return DispatchSummary.None;

        var messages = await db.ScheduledMessages.AsNoTracking().Include(m => m.Template)
            .Where(m => m.ClaimToken == token).OrderBy(m => m.DueAt).ThenBy(m => m.Id).ToListAsync(ct);
        var recordIds = messages.Select(m => m.SurveyRecordId).Distinct().ToList();
        var records = await db.SurveyRecords.AsNoTracking().AsSplitQuery()
            .Include(r => r.Customer).ThenInclude(c => c.Phones)
            .Include(r => r.Dealership).Include(r => r.Vehicle)
            .Where(r => recordIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);

        // The lease is short (an instance killed mid-batch delays its rows by seconds), so a slow batch renews it.
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = RenewClaimAsync(token, renewing.Token);
        // Still exactly once: every row is claimed by this run's token alone, every write after the claim is conditioned on
        // that token, and the sender's idempotency key catches a send repeated after a crash (the outbox's unique key, a
        // gateway's reference).
        var counts = new int[Enum.GetValues<Outcome>().Length];
        void Count(Outcome outcome, ScheduledMessage message)
        {
            Interlocked.Increment(ref counts[(int)outcome]);
            if (outcome == Outcome.Sent) Cluster.KonnectLiveMetrics.MessageSent(Now - message.DueAt);
        }
        try
        {
            // Every check is made in memory on the rows loaded above; what needs no sender (skipped, deferred) is written in one
            // transaction, a batch sender (the outbox) gets its messages in one call and their results in one transaction, and
            // any other sender (SMTP, an SMS gateway) sends one message at a time, SendConcurrency at once, each written as it goes.
            var plans = messages.Select(m => Decide(m, records.GetValueOrDefault(m.SurveyRecordId))).ToList();
            var settled = plans.Where(p => p.Outgoing is null).ToList();
            if (settled.Count > 0)
                foreach (var (plan, outcome) in await WriteAsync(settled.Select(p => (p, (Result?)null)).ToList(), token, ct))
                    Count(outcome, plan.Message);

            foreach (var group in plans.Where(p => p.Outgoing is not null).GroupBy(p => senders.For(p.Message.Channel)))
            {
                var toSend = group.ToList();
                if (group.Key is IBatchMessageSender batchSender)
                {
                    List<(Plan, Result?)> results;
                    try
                    {
                        var receipts = await batchSender.SendBatchAsync(toSend.Select(p => p.Outgoing!).ToList(), ct);
                        results = toSend.Select((p, i) => (p, (Result?)new Result(receipts[i], null))).ToList();
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        results = toSend.Select(p => (p, (Result?)new Result(null, e))).ToList();
                    }
                    foreach (var (plan, outcome) in await WriteAsync(results, token, ct)) Count(outcome, plan.Message);
                    continue;
                }
                await Parallel.ForEachAsync(toSend,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.SendConcurrency), CancellationToken = ct },
                    async (plan, token2) =>
                    {
                        Result result;
                        try
                        {
                            result = new Result(await group.Key.SendAsync(plan.Outgoing!, token2), null);
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !token2.IsCancellationRequested)
                        {
                            result = new Result(null, e);
                        }
                        await using var own = await dbFactory.CreateDbContextAsync(token2);
                        Count(await WriteOneAsync(own, plan, result, token, token2), plan.Message);
                    });
            }
        }
        finally
        {
            await renewing.CancelAsync();
            await heartbeat;
        }
        return new DispatchSummary(messages.Count, counts[(int)Outcome.Sent], counts[(int)Outcome.Skipped], counts[(int)Outcome.Deferred],
            counts[(int)Outcome.Retried], counts[(int)Outcome.Failed]);
    }

    /// <summary>host:pid, at most 31 characters (the claim token column holds 64).</summary>
    private static readonly string ClaimOwner = $"{(Environment.MachineName.Length > 20 ? Environment.MachineName[..20] : Environment.MachineName)}:{Environment.ProcessId}";

    /// <summary>Every third of the lease, pushes this batch's lease on for the rows it still holds.</summary>
    private async Task RenewClaimAsync(string token, CancellationToken ct)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, Options.ClaimLeaseSeconds / 3.0));
        try
        {
            using var timer = new PeriodicTimer(every, time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(ct);
                    var until = Now.AddSeconds(Options.ClaimLeaseSeconds);
                    await db.ScheduledMessages.Where(m => m.ClaimToken == token && m.State == MessageState.Sending)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, until), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not renew a dispatch claim; another instance may take its messages over");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private static IQueryable<ScheduledMessage> Due(IQueryable<ScheduledMessage> q, DateTime now) =>
        q.Where(m => (m.State == MessageState.Scheduled && m.DueAt <= now)
                     || (m.State == MessageState.Sending && m.ClaimedUntil != null && m.ClaimedUntil <= now));

    private enum Outcome { Sent, Skipped, Deferred, Retried, Failed, LostClaim }

    /// <summary>What to do with a claimed message: settle it (skip or defer) or send it.</summary>
    private sealed record Plan(ScheduledMessage Message, string? SkipReason = null, DateTime? DeferTo = null, OutgoingMessage? Outgoing = null);

    /// <summary>What the sender said: a receipt, or the exception it threw.</summary>
    private sealed record Result(SendReceipt? Receipt, Exception? Error);

    private Plan Decide(ScheduledMessage m, SurveyRecord? record)
    {
        var now = Now;
        var reason = SkipReason(m, record, out var recipient);
        if (reason is not null) return new Plan(m, SkipReason: reason);

        // Late policy, before sending hours: a message a day late is dropped, not deferred to tomorrow morning.
        if (Options.MaxLatenessHours > 0 && now - m.DueAt > TimeSpan.FromHours(Options.MaxLatenessHours))
            return new Plan(m, SkipReason:
                $"too late: due {m.DueAt:yyyy-MM-dd HH:mm} UTC, more than {Options.MaxLatenessHours} h ago (the app was not running)");

        var dealership = record!.Dealership;
        if (SendingWindow.NextOpening(now, SendingWindow.Zone(dealership.TimeZone), dealership.SendFrom, dealership.SendUntil) is { } opening)
            return new Plan(m, DeferTo: opening);

        // An agent's own text fills the same placeholders as a template, from the record as it is at send time.
        var content = m.CustomBody is not null
            ? TemplateRenderer.Render(m.Channel, m.CustomSubject, m.CustomBody, DataFor(record), Options.SurveyLinkBase)
            : TemplateRenderer.Render(m.Channel, m.Template!.Subject, m.Template.Body, DataFor(record), Options.SurveyLinkBase);
        return new Plan(m, Outgoing: new OutgoingMessage(m.Id, m.Channel, m.IdempotencyKey, recipient!, content.Subject, content.Body));
    }

    /// <summary>Writes the outcomes of many messages in one transaction (one commit, not one per message).</summary>
    private async Task<List<(Plan Plan, Outcome Outcome)>> WriteAsync(List<(Plan Plan, Result? Result)> items, string token, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var outcomes = new List<(Plan, Outcome)>(items.Count);
        foreach (var (plan, result) in items) outcomes.Add((plan, await WriteOneAsync(db, plan, result, token, ct)));
        await tx.CommitAsync(ct);
        return outcomes;
    }

    private async Task<Outcome> WriteOneAsync(KonnectDbContext db, Plan plan, Result? result, string token, CancellationToken ct)
    {
        var m = plan.Message;
        if (plan.SkipReason is { } reason) return await CompleteAsync(db, m, token, MessageState.Skipped, reason, ct);
        if (plan.DeferTo is { } opening)
        {
            var moved = await Mine(db, m, token).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, MessageState.Scheduled)
                .SetProperty(x => x.DueAt, opening)
                .SetProperty(x => x.ClaimToken, (string?)null)
                .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
            return moved == 1 ? Outcome.Deferred : Outcome.LostClaim;
        }
        if (result?.Receipt is not { } receipt) return await FailAsync(db, m, token, result?.Error ?? new InvalidOperationException("not sent"), ct);

        var sent = plan.Outgoing!;
        var sentAt = Now;
        var updated = await Mine(db, m, token).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, MessageState.Sent)
            .SetProperty(x => x.Recipient, sent.Recipient)
            .SetProperty(x => x.Subject, sent.Subject)
            .SetProperty(x => x.Body, sent.Body)
            .SetProperty(x => x.SentAt, sentAt)
            .SetProperty(x => x.CompletedAt, sentAt)
            .SetProperty(x => x.Attempts, x => x.Attempts + 1)
            .SetProperty(x => x.ProviderMessageId, receipt.ProviderMessageId)
            .SetProperty(x => x.LastError, (string?)null)
            .SetProperty(x => x.ClaimToken, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
        if (receipt.AlreadySent)
            logger.LogInformation("Message {Id} ({Key}) had already been sent before a restart; marked Sent without sending again", m.Id, m.IdempotencyKey);
        return updated == 1 ? Outcome.Sent : Outcome.LostClaim;
    }

    /// <summary>Why the message must not go, or null (with the recipient) when it may.</summary>
    private static string? SkipReason(ScheduledMessage m, SurveyRecord? record, out string? recipient)
    {
        recipient = null;
        if (record is null) return "survey record deleted";
        // A closed record stops the survey chasers it queued; a message an agent sent now (no trigger status) is not a
        // chaser, so it still goes — consent and sending hours below apply to it as to any other.
        if (record.IsClosed && m.TriggerStatus is not null) return $"record closed ({record.Status})";
        if (m.TriggerStatus is { } trigger && (record.Status != trigger || record.StatusChangedAt != m.TriggerStatusChangedAt))
            return $"status changed: queued for {trigger}, record is now {record.Status} (changed {record.StatusChangedAt:yyyy-MM-dd HH:mm} UTC)";
        if (m.CustomBody is null && m.Template is null) return "template deleted";
        if (m.CustomBody is null && !m.Template!.IsActive) return $"template '{m.Template.Name}' deactivated";

        var customer = record.Customer;
        if (m.Channel == MessageChannel.Sms)
        {
            // Never a number an agent found to be wrong: the text would go to a stranger.
            var mobile = MessageRecipient.For(customer, MessageChannel.Sms);
            if (mobile is null)
            {
                var mobiles = customer.Phones.Where(p => p.Type == PhoneType.Mobile).ToList();
                return mobiles.Count == 0 ? "no SMS-consented mobile: the customer has no mobile number"
                    : mobiles.All(p => p.SmsUnsubscribed) ? "no SMS-consented mobile: every mobile number is unsubscribed from SMS"
                    : mobiles.All(p => p.IsWrongNumber) ? "no SMS-consented mobile: every mobile number is marked as a wrong number"
                    : "no SMS-consented mobile: every mobile number is unsubscribed from SMS or marked as a wrong number";
            }
            recipient = mobile;
        }
        else
        {
            if (string.IsNullOrWhiteSpace(customer.Email)) return "no email address";
            if (customer.EmailUnsubscribed) return "email unsubscribed";
            recipient = customer.Email;
        }
        return null;
    }

    public static TemplateData DataFor(SurveyRecord r) => new(
        r.Customer.Title, r.Customer.FirstName, r.Customer.LastName, r.Dealership.Name,
        r.Vehicle?.Description, r.Vehicle?.Registration, r.FocusRecordId, r.EventDate);

    private async Task<Outcome> FailAsync(KonnectDbContext db, ScheduledMessage m, string token, Exception e, CancellationToken ct)
    {
        var attempts = m.Attempts + 1;
        var permanent = e is MessageSendException { Permanent: true };
        var error = $"{(permanent ? "" : $"attempt {attempts}: ")}{e.Message}";
        if (error.Length > 2000) error = error[..2000];
        var now = Now;
        if (permanent || attempts >= Options.MaxAttempts)
        {
            logger.LogWarning(e, "Message {Id} failed for good after {Attempts} attempt(s)", m.Id, attempts);
            var failed = await Mine(db, m, token).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, MessageState.Failed)
                .SetProperty(x => x.Attempts, attempts)
                .SetProperty(x => x.LastError, error)
                .SetProperty(x => x.CompletedAt, now)
                .SetProperty(x => x.ClaimToken, (string?)null)
                .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
            return failed == 1 ? Outcome.Failed : Outcome.LostClaim;
        }

        logger.LogInformation("Message {Id} attempt {Attempts} failed ({Error}); retrying", m.Id, attempts, e.Message);
        var retried = await Mine(db, m, token).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, MessageState.Scheduled)
            .SetProperty(x => x.Attempts, attempts)
            .SetProperty(x => x.LastError, error)
            .SetProperty(x => x.DueAt, now + Options.BackoffAfter(attempts))
            .SetProperty(x => x.ClaimToken, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
        return retried == 1 ? Outcome.Retried : Outcome.LostClaim;
    }

    private async Task<Outcome> CompleteAsync(KonnectDbContext db, ScheduledMessage m, string token, MessageState state, string reason, CancellationToken ct)
    {
        var now = Now;
        var done = await Mine(db, m, token).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, state)
            .SetProperty(x => x.SkipReason, reason)
            .SetProperty(x => x.CompletedAt, now)
            .SetProperty(x => x.ClaimToken, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
        return done == 1 ? Outcome.Skipped : Outcome.LostClaim;
    }

    /// <summary>Every write after the claim is conditioned on still holding it, so a run whose lease ran out cannot overwrite a newer one.</summary>
    private static IQueryable<ScheduledMessage> Mine(KonnectDbContext db, ScheduledMessage m, string token) =>
        db.ScheduledMessages.Where(x => x.Id == m.Id && x.ClaimToken == token && x.State == MessageState.Sending);
}
