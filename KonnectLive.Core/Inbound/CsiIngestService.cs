using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound.Ingest;
using KonnectLive.Core.Live;
using KonnectLive.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Inbound;

/// <summary>
/// Takes a FOCUS batch into KonnectLive and runs the survey state machine on it.
/// <list type="bullet">
/// <item>The request is logged first (<see cref="InboundRequestLog"/>), then every record is validated on its own:
/// a bad record is rejected with its field errors and never stops the good ones.</item>
/// <item>The accepted records of a batch are applied in one transaction (records, customers, history, message
/// changes, lock releases, the audit entry) — all or nothing — and live events go out only after it commits.</item>
/// <item>Ordering: same status and time is a resend (unchanged unless its data changed); an older time, or another
/// status at the same time, is ignored_out_of_order; a closed record never reopens (ignored_closed).</item>
/// <item>Match window: a new record whose event is older than CSI Focus Match Cut Off Days is not created (the
/// request log keeps it and its result); a record we already hold still takes a closing status — so nothing stays on
/// a chase list after FOCUS closed it — but not Pending/Awaiting, which would start stale work.</item>
/// <item>Customers are matched within the dealership on identity — FOCUS's customer id, else the email, else a shared number
/// <em>and</em> the same first and last name (<see cref="Customers.CustomerMatcher"/>) — never on a shared number alone.
/// Only a FOCUS customer id match changes who a customer is; a weaker one fills empty fields and records a conflicting
/// value as a proposed change in the audit log (<c>customer.change-proposed</c>).</item>
/// <item>The steps, each in <c>Inbound/Ingest/</c>: validate (<c>CsiIngestValidation</c>), load (<c>CsiIngestLoader</c>), match
/// and apply each status (<c>CsiStatusStep</c>, with <see cref="Customers.CustomerMatcher"/> and <c>CsiCustomerData</c>), audit
/// proposed changes (<c>CsiProposedChanges</c>), plan messages and release locks (<c>CsiMessageStep</c>), collect live events
/// (<c>CsiIngestEvents</c>).</item>
/// </list>
/// </summary>
public sealed class CsiIngestService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    InboundRequestLog requestLog,
    IValidator<CsiRecordInput> validator,
    ILiveEventPublisher live,
    IOptions<InboundApiOptions> options,
    TimeProvider time,
    IIngestSerialiser serialiser,
    ILogger<CsiIngestService> logger)
{
    public const string Endpoint = "POST /api/v1/csi/records";

    // Batches of one dealership one at a time (IIngestSerialiser: in this process on SQLite, cluster-wide on PostgreSQL):
    // two batches creating the same new person or FOCUS record would otherwise race. Should a write still clash, the
    // loser's transaction rolls back and it retries once on fresh data.
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Tests only: save through EF's change tracker, as before <see cref="IngestRowWriter"/>, to prove the set-based writes
    /// store the same rows.
    /// </summary>
    internal bool ChangeTrackedWrites { get; set; }

    private Task SaveAsync(KonnectDbContext db, IReadOnlyCollection<object> untracked, CancellationToken ct, IngestSteps? steps = null) =>
        ChangeTrackedWrites ? db.SaveChangesAsync(ct) : IngestRowWriter.SaveAsync(db, untracked, ct, steps);

    /// <summary>
    /// Decodes the body as strict UTF-8, then as <see cref="IngestAsync(InboundCaller, string, CancellationToken)"/>. A body
    /// that is not UTF-8 is refused (400, logged) rather than decoded with replacement characters, which could store a
    /// name — or a FOCUS record id — that FOCUS never sent.
    /// </summary>
    public async Task<CsiIngestOutcome> IngestAsync(InboundCaller caller, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (CsiBatchReader.TryDecodeUtf8(body.Span, out var text, out var error))
            return await IngestAsync(caller, text, ct);
        var requestId = await requestLog.RecordAsync(caller, Endpoint, 400, Encoding.UTF8.GetString(body.Span), error, Elapsed(started), ct);
        return new CsiIngestOutcome(400, requestId, null, error);
    }

    /// <summary>Logs, reads, validates and applies a batch as received in the body.</summary>
    public async Task<CsiIngestOutcome> IngestAsync(InboundCaller caller, string body, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var steps = new IngestSteps();
        var requestId = await requestLog.BeginAsync(caller, Endpoint, body, ct);
        steps.Mark("log");
        CsiBatchReadResult read;
        try
        {
            read = CsiBatchReader.Read(body, options.Value.MaxRecordsPerBatch);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // The reader checks every string before reading any; this is the backstop that keeps a body we failed to
            // foresee a 400 with a finished log row, never a 500 that leaves "Processing did not finish" behind.
            logger.LogWarning(ex, "Inbound request {RequestId}: the body could not be read", requestId);
            read = new CsiBatchReadResult([], $"The body could not be read as JSON text: {ex.Message}");
        }
        steps.Mark("read");
        if (!read.IsValid)
        {
            await requestLog.CompleteAsync(requestId, 400, 0, null, null, read.Error, Elapsed(started), ct);
            return new CsiIngestOutcome(400, requestId, null, read.Error);
        }

        List<CsiRecordResult> results;
        List<LiveEvent> events;
        var gate = await serialiser.EnterAsync(ct);
        steps.Mark("queue");
        try
        {
            try
            {
                (results, events) = await ApplyAsync(caller, requestId, read.Records, steps, ct);
            }
            catch (DbUpdateException ex)
            {
                logger.LogWarning(ex, "Inbound request {RequestId} clashed with a concurrent write; retrying once", requestId);
                (results, events) = await ApplyAsync(caller, requestId, read.Records, steps, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Inbound request {RequestId} failed; nothing from it was stored", requestId);
            const string error = "The batch could not be processed; nothing from it was stored. Send it again, or quote the request id to support.";
            await requestLog.CompleteAsync(requestId, 500, read.Records.Count, null, null, $"{error} ({ex.GetType().Name}: {ex.Message})",
                Elapsed(started), CancellationToken.None);
            return new CsiIngestOutcome(500, requestId, null, error);
        }
        finally
        {
            await gate.DisposeAsync();
        }

        steps.Mark("release");
        var counts = CsiResultCounts.From(results);
        var response = new CsiBatchResponse { RequestId = requestId, Received = read.Records.Count, Counts = counts, Results = results };
        await requestLog.CompleteAsync(requestId, 200, read.Records.Count, counts, JsonSerializer.Serialize(results, CsiBatchReader.Json), null,
            Elapsed(started), ct);

        // After the commit: listeners reload from the database, so they must find the new state there.
        steps.Mark("complete log");
        foreach (var e in events) await live.PublishAsync(e, CancellationToken.None);
        steps.Mark("publish");
        // Where a batch's time goes, step by step (the bench reads this line to explain the ingest figure).
        logger.LogInformation("Inbound request {RequestId}: {Records} record(s) in {Total} ms: {Steps}", requestId, read.Records.Count,
            Elapsed(started), steps);
        return new CsiIngestOutcome(200, requestId, response, null);
    }

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>
    /// One transaction for the accepted records of a batch, in steps: validate, load, match and apply each status, plan
    /// messages (and release locks), audit; then the live events to publish once it has committed.
    /// </summary>
    private async Task<(List<CsiRecordResult>, List<LiveEvent>)> ApplyAsync(InboundCaller caller, long requestId,
        IReadOnlyList<CsiRecordEnvelope> envelopes, IngestSteps steps, CancellationToken ct)
    {
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Thousands of new entities: detect changes once per save, not on every change-tracker call.
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var settings = await db.CsiSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == CsiSettings.SingletonId, ct) ?? new CsiSettings();
        var templates = await db.MessageTemplates.AsNoTracking().ToDictionaryAsync(t => t.Id, ct);
        var dealerships = (await db.Dealerships.AsNoTracking().Select(d => new { d.Id, d.Code }).ToListAsync(ct))
            .ToDictionary(d => d.Code, d => d.Id, StringComparer.OrdinalIgnoreCase);

        steps.Mark("settings");
        var (results, valid) = await CsiIngestValidation.ValidateAsync(envelopes, validator, dealerships, ct);
        valid = await Customers.Erasure.ErasedRecordFilter.DropErasedAsync(db, valid, ct); // erased on request: not stored again
        steps.Mark("validate");
        await serialiser.LockDealershipsAsync(db, valid.Select(v => v.DealershipId), ct);
        var working = await CsiIngestLoader.LoadAsync(db, valid, ct);
        steps.Mark("load");
        var customerData = new CsiCustomerData(working.Customers);
        var statuses = new CsiStatusStep(db, working, customerData, settings, now, requestId, track: ChangeTrackedWrites);
        foreach (var record in valid) statuses.Apply(record);
        steps.Mark("match+apply");
        db.ChangeTracker.DetectChanges();
        steps.Mark("detect changes");
        await SaveAsync(db, working.Untracked, ct, steps);
        steps.Mark("save records");
        // Customers who arrived (or stay) with no number to call sit below the callable ones on the chase list.
        await Calling.NoNumberToCall.SyncAsync(db, [.. working.Tracked.Values.Select(t => t.Record.CustomerId).Distinct()], ct);
        await CsiProposedChanges.AuditAsync(db, customerData.Proposals, now, ct);
        steps.Mark("no-number sync");

        await CsiMessageStep.PlanAsync(db, working, results, settings, templates, now, ct);
        var counts = CsiResultCounts.From(results);
        AuditLog.Add(db, now, null, "inbound.csi.received", nameof(InboundRequest), requestId.ToString(),
            $"FOCUS batch from {caller.ClientId ?? "unknown client"}: {envelopes.Count} record(s): {counts}.");
        // No second DetectChanges over the batch's thousands of tracked entities: since the first save, this step has only
        // added rows (messages, audit entries) through their DbSets, which tracks them as Added at once, and changed stored
        // ones with ExecuteUpdate, which bypasses the tracker.
        steps.Mark("plan messages");
        await SaveAsync(db, [], ct, steps);
        steps.Mark("save messages");
        await tx.CommitAsync(ct);
        steps.Mark("commit");

        return (results, CsiIngestEvents.Collect(working));
    }
}

/// <summary>Milliseconds per step of one batch, for the log line that says where its time went.</summary>
internal sealed class IngestSteps
{
    private readonly System.Text.StringBuilder _text = new();
    private long _last = Stopwatch.GetTimestamp();

    public void Mark(string step)
    {
        var now = Stopwatch.GetTimestamp();
        if (_text.Length > 0) _text.Append(", ");
        _text.Append(step).Append(' ').Append((int)Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds);
        _last = now;
    }

    public override string ToString() => _text.ToString();
}
