using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Surveys;
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
/// <item>Customers are matched within the dealership: the record's own customer, else a customer with one of the
/// numbers (E.164) or the email <em>and</em> the same last name (a shared family number must not merge two
/// people), else created. Vehicles are matched on the customer by VIN, else registration. Absent optional values never
/// erase stored ones; numbers are only added (up to five), never dropped, so their unsubscribes are kept.</item>
/// <item>Effects: a status event cancels the record's queued messages and plans the new status's message
/// (<see cref="MessagePlanner"/>; the threshold applies to Pending). Leaving Awaiting releases any lock and
/// publishes RecordRemoved (reason: the new status); becoming Awaiting publishes RecordAdded; an Awaiting record
/// whose status or data changed publishes RecordChanged. Records that are not callable before or after publish nothing.</item>
/// </list>
/// </summary>
public sealed class CsiIngestService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    InboundRequestLog requestLog,
    IValidator<CsiRecordInput> validator,
    ILiveEventPublisher live,
    IOptions<InboundApiOptions> options,
    TimeProvider time,
    ILogger<CsiIngestService> logger)
{
    public const string Endpoint = "POST /api/v1/csi/records";
    private const int ChunkSize = 500;

    // One batch at a time per instance: two batches creating the same new FOCUS record would otherwise race to its
    // unique index. Across instances, the loser's transaction fails and it retries once on fresh data.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Decodes the body as strict UTF-8, then as <see cref="IngestAsync(InboundCaller, string, CancellationToken)"/>. A body
    /// that is not UTF-8 is refused (400, logged) rather than decoded with replacement characters, which could store a
    /// name — or a FOCUS record id — that FOCUS never sent.
    /// </summary>
    public async Task<CsiIngestOutcome> IngestAsync(InboundCaller caller, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var chars = new char[body.Length];
        if (Utf8.ToUtf16(body.Span, chars, out var read, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            return await IngestAsync(caller, new string(chars, 0, written), ct);

        var sample = Convert.ToHexString(body.Span.Slice(read, Math.Min(4, body.Length - read)));
        var error = $"The body is not valid UTF-8: the bytes at offset {read:N0} (0x{sample}) are not a UTF-8 sequence. " +
                    "Send the batch encoded as UTF-8; nothing from it was stored.";
        var requestId = await requestLog.RecordAsync(caller, Endpoint, 400, Encoding.UTF8.GetString(body.Span), error, Elapsed(started), ct);
        return new CsiIngestOutcome(400, requestId, null, error);
    }

    /// <summary>Logs, reads, validates and applies a batch as received in the body.</summary>
    public async Task<CsiIngestOutcome> IngestAsync(InboundCaller caller, string body, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = await requestLog.BeginAsync(caller, Endpoint, body, ct);
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
        if (!read.IsValid)
        {
            await requestLog.CompleteAsync(requestId, 400, 0, null, null, read.Error, Elapsed(started), ct);
            return new CsiIngestOutcome(400, requestId, null, read.Error);
        }

        List<CsiRecordResult> results;
        List<LiveEvent> events;
        await _gate.WaitAsync(ct);
        try
        {
            try
            {
                (results, events) = await ApplyAsync(caller, requestId, read.Records, ct);
            }
            catch (DbUpdateException ex)
            {
                logger.LogWarning(ex, "Inbound request {RequestId} clashed with a concurrent write; retrying once", requestId);
                (results, events) = await ApplyAsync(caller, requestId, read.Records, ct);
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
            _gate.Release();
        }

        var counts = CsiResultCounts.From(results);
        var response = new CsiBatchResponse { RequestId = requestId, Received = read.Records.Count, Counts = counts, Results = results };
        await requestLog.CompleteAsync(requestId, 200, read.Records.Count, counts, JsonSerializer.Serialize(results, CsiBatchReader.Json), null,
            Elapsed(started), ct);

        // After the commit: listeners reload from the database, so they must find the new state there.
        foreach (var e in events) await live.PublishAsync(e, CancellationToken.None);
        return new CsiIngestOutcome(200, requestId, response, null);
    }

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>A record of the batch as the transaction sees it: where it started and what happened to it.</summary>
    private sealed class Tracked(SurveyRecord record, SurveyStatus? initialStatus)
    {
        public SurveyRecord Record { get; } = record;
        public SurveyStatus? InitialStatus { get; } = initialStatus;
        public bool StatusEvent { get; set; }
        public bool DataChanged { get; set; }
    }

    private sealed record Valid(CsiRecordEnvelope Envelope, CsiRecordResult Result, CsiRecordInput Input, int DealershipId,
        SurveyStatus Status, DateTime ChangedAt, DateTime EventDate, List<(string Number, PhoneType Type)> Phones, string? Email);

    private async Task<(List<CsiRecordResult>, List<LiveEvent>)> ApplyAsync(InboundCaller caller, long requestId,
        IReadOnlyList<CsiRecordEnvelope> envelopes, CancellationToken ct)
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
        var knownCodes = new HashSet<string>(dealerships.Keys, StringComparer.OrdinalIgnoreCase);

        // 1. Validate each record on its own.
        var results = new List<CsiRecordResult>(envelopes.Count);
        var valid = new List<Valid>(envelopes.Count);
        foreach (var envelope in envelopes)
        {
            var result = new CsiRecordResult { Index = envelope.Index, FocusRecordId = envelope.Record?.FocusRecordId ?? envelope.FocusRecordId };
            results.Add(result);
            if (envelope.Record is not { } input)
            {
                Reject(result, envelope.ReadErrors!);
                continue;
            }
            var context = new ValidationContext<CsiRecordInput>(input);
            context.RootContextData[CsiRecordInputValidator.DealershipCodesKey] = knownCodes;
            var validation = await validator.ValidateAsync(context, ct);
            if (!validation.IsValid)
            {
                Reject(result, validation.Errors.GroupBy(e => JsonPath(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
                continue;
            }
            var phones = (input.Customer!.Phones ?? [])
                .Select(p => (Number: PhoneNormaliser.ToE164(p.Number)!, Type: CsiFormats.ParsePhoneType(p.Type)))
                .DistinctBy(p => p.Number).ToList();
            var email = string.IsNullOrWhiteSpace(input.Customer.Email) ? null : input.Customer.Email.Trim().ToLowerInvariant();
            valid.Add(new Valid(envelope, result, input, dealerships[input.DealershipCode!.Trim()], input.ParsedStatus,
                input.ParsedStatusChangedAt, input.ParsedEventDate, phones, email));
        }

        // 2. Load what the batch refers to, a few queries per 500 records (no query per record).
        var focusIds = valid.Select(v => v.Input.FocusRecordId!).Distinct().ToList();
        var tracked = new Dictionary<string, Tracked>(StringComparer.Ordinal);
        foreach (var chunk in focusIds.Chunk(ChunkSize))
        {
            var existing = await db.SurveyRecords
                .Include(r => r.Customer).ThenInclude(c => c.Phones)
                .Include(r => r.Customer).ThenInclude(c => c.Vehicles)
                .Where(r => chunk.Contains(r.FocusRecordId))
                .AsSplitQuery().ToListAsync(ct);
            foreach (var r in existing) tracked[r.FocusRecordId] = new Tracked(r, r.Status);
        }
        var customers = new CustomerIndex();
        foreach (var t in tracked.Values) customers.Add(t.Record.Customer);
        await LoadCandidateCustomersAsync(db, valid.Where(v => !tracked.ContainsKey(v.Input.FocusRecordId!)).ToList(), customers, ct);

        // 3. Apply each record, in batch order (a record sent twice in one batch sees its first copy).
        var cutOff = now.Date.AddDays(-settings.FocusMatchCutOffDays);
        foreach (var v in valid)
        {
            var result = v.Result;
            var outsideWindow = v.EventDate < cutOff;
            if (tracked.TryGetValue(v.Input.FocusRecordId!, out var t))
            {
                var record = t.Record;
                result.RecordId = record.Id == 0 ? null : record.Id;
                if (record.DealershipId != v.DealershipId)
                {
                    Reject(result, new Dictionary<string, string[]>
                    {
                        ["dealershipCode"] = ["This FOCUS record belongs to another dealership; a record cannot move between dealerships."],
                    });
                    continue;
                }
                switch (record.CheckIncoming(v.Status, v.ChangedAt))
                {
                    case IncomingStatusCheck.Closed:
                        Set(result, CsiRecordOutcome.IgnoredClosed, record,
                            $"The record closed as {record.Status} at {record.StatusChangedAt:O} and never reopens.");
                        continue;
                    case IncomingStatusCheck.OutOfOrder:
                        Set(result, CsiRecordOutcome.IgnoredOutOfOrder, record,
                            $"The record is already {record.Status} as of {record.StatusChangedAt:O}; {v.Status} at {v.ChangedAt:O} is not later.");
                        continue;
                    case IncomingStatusCheck.Same:
                        // Closed records keep their data as it was when they closed.
                        var changed = !record.IsClosed && ApplyData(record, v, customers);
                        t.DataChanged |= changed;
                        Set(result, changed ? CsiRecordOutcome.Updated : CsiRecordOutcome.Unchanged, record,
                            changed ? "Customer or vehicle details updated." : "Already up to date.");
                        continue;
                    default:
                        if (outsideWindow && !IsClosing(v.Status))
                        {
                            Set(result, CsiRecordOutcome.OutsideMatchWindow, record,
                                $"The event ({v.EventDate:yyyy-MM-dd}) is older than {settings.FocusMatchCutOffDays} days: {v.Status} is not applied.");
                            continue;
                        }
                        t.DataChanged |= ApplyData(record, v, customers);
                        record.ApplyIncomingStatus(v.Status, v.ChangedAt, now, requestId);
                        t.StatusEvent = true;
                        Set(result, CsiRecordOutcome.Updated, record, null);
                        continue;
                }
            }

            if (outsideWindow)
            {
                result.Result = CsiRecordOutcome.OutsideMatchWindow;
                result.Detail = $"The event ({v.EventDate:yyyy-MM-dd}) is older than {settings.FocusMatchCutOffDays} days (CSI Focus Match Cut Off Days): " +
                                "stored in the inbound log, not processed.";
                continue;
            }
            var customer = customers.Match(v.DealershipId, v.Phones, v.Email, v.Input.Customer!.LastName!.Trim());
            if (customer is null)
            {
                customer = new Customer { DealershipId = v.DealershipId };
                db.Customers.Add(customer);
            }
            UpdateCustomer(customer, v, customers);
            var vehicle = MatchVehicle(customer, v.Input.Vehicle!);
            var created = SurveyRecord.Create(v.Input.FocusRecordId!, v.DealershipId, customer, vehicle, v.Status, v.ChangedAt, v.Input.Score,
                v.Input.ParsedEventType, v.EventDate, now, requestId);
            db.SurveyRecords.Add(created);
            tracked[created.FocusRecordId] = new Tracked(created, null) { StatusEvent = true };
            Set(result, CsiRecordOutcome.Created, created, null);
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);

        // 4. Effects of status events: messages, locks; then the audit entry.
        var touched = tracked.Values.Where(t => t.StatusEvent || t.DataChanged).ToList();
        var plans = new Dictionary<int, string>();
        var releaseLocks = new List<int>();
        foreach (var t in touched.Where(t => t.StatusEvent))
        {
            var record = t.Record;
            if (t.InitialStatus is not null)
                await MessagePlanner.CancelQueuedAsync(db, record.Id, $"Survey status changed to {record.Status}", now, ct);
            if (t.InitialStatus == SurveyStatus.Awaiting && record.Status != SurveyStatus.Awaiting) releaseLocks.Add(record.Id);
            if (record.IsClosed)
            {
                plans[record.Id] = $"Closed as {record.Status}: queued messages cancelled.";
                continue;
            }
            var plan = MessagePlanner.PlanForStatus(db, settings, templates, record, now);
            plans[record.Id] = plan.Message is { } m
                ? $"{record.Status} {m.Channel} message queued for {m.DueAt:O}."
                : $"No message queued: {plan.NotPlannedReason}.";
        }
        foreach (var chunk in releaseLocks.Chunk(ChunkSize))
            await db.SurveyRecords.Where(r => chunk.Contains(r.Id) && r.LockHolderId != null).ExecuteUpdateAsync(CallLockService.ClearLock, ct);

        foreach (var result in results)
        {
            if (result.RecordId is null && result.Result != CsiRecordOutcome.Rejected && tracked.TryGetValue(result.FocusRecordId ?? "", out var t))
                result.RecordId = t.Record.Id;
            if (result.RecordId is { } id && result.Detail is null && plans.TryGetValue(id, out var plan)) result.Detail = plan;
        }

        var counts = CsiResultCounts.From(results);
        AuditLog.Add(db, now, null, "inbound.csi.received", nameof(InboundRequest), requestId.ToString(),
            $"FOCUS batch from {caller.ClientId ?? "unknown client"}: {envelopes.Count} record(s): {counts}.");
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        return (results, LiveEventsFor(touched));
    }

    private static List<LiveEvent> LiveEventsFor(IEnumerable<Tracked> touched)
    {
        var events = new List<LiveEvent>();
        foreach (var t in touched)
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

    private static bool IsClosing(SurveyStatus status) => status is SurveyStatus.Rejected or SurveyStatus.Completed or SurveyStatus.Expired;

    private static void Reject(CsiRecordResult result, IDictionary<string, string[]> errors)
    {
        result.Result = CsiRecordOutcome.Rejected;
        result.Detail = "One or more validation errors occurred.";
        result.Errors = errors;
    }

    private static void Set(CsiRecordResult result, string outcome, SurveyRecord record, string? detail)
    {
        result.Result = outcome;
        result.Status = record.Status.ToString();
        result.Detail = detail;
        if (record.Id != 0) result.RecordId = record.Id;
    }

    /// <summary>FluentValidation's "Customer.Phones[0].Number" as the JSON path FOCUS sent: "customer.phones[0].number".</summary>
    private static string JsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));

    /// <summary>Updates an existing record's details; true if anything changed.</summary>
    private static bool ApplyData(SurveyRecord record, Valid v, CustomerIndex customers)
    {
        var changed = UpdateCustomer(record.Customer, v, customers);
        var vehicle = MatchVehicle(record.Customer, v.Input.Vehicle!);
        if (!ReferenceEquals(record.Vehicle, vehicle))
        {
            record.Vehicle = vehicle;
            changed = true;
        }
        changed |= UpdateVehicle(vehicle, v.Input.Vehicle!);
        if (v.Input.Score is { } score && record.Score != score) { record.Score = score; changed = true; }
        var eventType = v.Input.ParsedEventType;
        if (record.EventType != eventType) { record.EventType = eventType; changed = true; }
        if (record.EventDate != v.EventDate) { record.EventDate = v.EventDate; changed = true; }
        return changed;
    }

    private static bool UpdateCustomer(Customer customer, Valid v, CustomerIndex customers)
    {
        var input = v.Input.Customer!;
        var changed = false;
        if (!string.IsNullOrWhiteSpace(input.Title) && customer.Title != input.Title.Trim()) { customer.Title = input.Title.Trim(); changed = true; }
        if (customer.FirstName != input.FirstName!.Trim()) { customer.FirstName = input.FirstName.Trim(); changed = true; }
        if (customer.LastName != input.LastName!.Trim()) { customer.LastName = input.LastName.Trim(); changed = true; }
        // The unsubscribe stays with the customer: a new address does not undo a "no".
        if (v.Email is { } email && customer.Email != email) { customer.Email = email; changed = true; customers.AddEmail(customer); }
        foreach (var (number, type) in v.Phones)
        {
            var phone = customer.Phones.FirstOrDefault(p => p.Number == number);
            if (phone is null)
            {
                if (customer.Phones.Count >= Customer.MaxPhones) continue;
                var position = Enumerable.Range(1, Customer.MaxPhones).First(n => customer.Phones.All(p => p.Position != n));
                customer.Phones.Add(new CustomerPhone { Number = number, Type = type, Position = position });
                customers.AddPhone(customer, number);
                changed = true;
            }
            else if (phone.Type != type)
            {
                phone.Type = type;
                changed = true;
            }
        }
        return changed;
    }

    private static Vehicle MatchVehicle(Customer customer, CsiVehicleInput input)
    {
        var vin = string.IsNullOrWhiteSpace(input.Vin) ? null : input.Vin.Trim().ToUpperInvariant();
        var registration = CsiFormats.RegistrationKey(input.Registration!);
        var vehicle = (vin is null ? null : customer.Vehicles.FirstOrDefault(x => x.Vin == vin))
                      ?? customer.Vehicles.FirstOrDefault(x => CsiFormats.RegistrationKey(x.Registration) == registration);
        if (vehicle is not null) return vehicle;
        vehicle = new Vehicle { Registration = input.Registration!.Trim().ToUpperInvariant() };
        UpdateVehicle(vehicle, input);
        customer.Vehicles.Add(vehicle);
        return vehicle;
    }

    private static bool UpdateVehicle(Vehicle vehicle, CsiVehicleInput input)
    {
        var changed = false;
        var registration = input.Registration!.Trim().ToUpperInvariant();
        if (CsiFormats.RegistrationKey(vehicle.Registration) != CsiFormats.RegistrationKey(registration)) { vehicle.Registration = registration; changed = true; }
        if (!string.IsNullOrWhiteSpace(input.Vin) && vehicle.Vin != input.Vin.Trim().ToUpperInvariant()) { vehicle.Vin = input.Vin.Trim().ToUpperInvariant(); changed = true; }
        if (!string.IsNullOrWhiteSpace(input.Make) && vehicle.Make != input.Make.Trim()) { vehicle.Make = input.Make.Trim(); changed = true; }
        if (!string.IsNullOrWhiteSpace(input.Model) && vehicle.Model != input.Model.Trim()) { vehicle.Model = input.Model.Trim(); changed = true; }
        return changed;
    }

    /// <summary>Customers of the batch's dealerships who share a number or email with a new record, with their phones and vehicles.</summary>
    private static async Task LoadCandidateCustomersAsync(KonnectDbContext db, List<Valid> newRecords, CustomerIndex index, CancellationToken ct)
    {
        var numbers = newRecords.SelectMany(v => v.Phones.Select(p => p.Number)).Distinct().ToList();
        var emails = newRecords.Where(v => v.Email is not null).Select(v => v.Email!).Distinct().ToList();
        var dealershipIds = newRecords.Select(v => v.DealershipId).Distinct().ToList();
        var ids = new HashSet<int>();
        foreach (var chunk in numbers.Chunk(ChunkSize))
            ids.UnionWith(await db.CustomerPhones.Where(p => chunk.Contains(p.Number)).Select(p => p.CustomerId).ToListAsync(ct));
        foreach (var chunk in emails.Chunk(ChunkSize))
            ids.UnionWith(await db.Customers.Where(c => c.Email != null && chunk.Contains(c.Email)).Select(c => c.Id).ToListAsync(ct));
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var found = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles)
                .Where(c => chunk.Contains(c.Id) && dealershipIds.Contains(c.DealershipId))
                .AsSplitQuery().ToListAsync(ct);
            foreach (var c in found) index.Add(c);
        }
    }

    /// <summary>Customers by (dealership, E.164 number) and (dealership, email), including those created earlier in the batch.</summary>
    private sealed class CustomerIndex
    {
        private readonly Dictionary<(int, string), List<Customer>> _byPhone = [];
        private readonly Dictionary<(int, string), List<Customer>> _byEmail = [];

        public void Add(Customer c)
        {
            foreach (var p in c.Phones) AddPhone(c, p.Number);
            AddEmail(c);
        }

        public void AddPhone(Customer c, string number) => AddTo(_byPhone, (c.DealershipId, number), c);

        public void AddEmail(Customer c)
        {
            if (c.Email is { } e) AddTo(_byEmail, (c.DealershipId, e.ToLowerInvariant()), c);
        }

        public Customer? Match(int dealershipId, IEnumerable<(string Number, PhoneType Type)> phones, string? email, string lastName)
        {
            bool SamePerson(Customer c) => string.Equals(c.LastName.Trim(), lastName, StringComparison.OrdinalIgnoreCase);
            foreach (var (number, _) in phones)
                if (_byPhone.TryGetValue((dealershipId, number), out var list) && list.FirstOrDefault(SamePerson) is { } byPhone)
                    return byPhone;
            if (email is not null && _byEmail.TryGetValue((dealershipId, email), out var byEmail))
                return byEmail.FirstOrDefault(SamePerson);
            return null;
        }

        private static void AddTo(Dictionary<(int, string), List<Customer>> map, (int, string) key, Customer c)
        {
            if (!map.TryGetValue(key, out var list)) map[key] = list = [];
            if (!list.Contains(c)) list.Add(c);
        }
    }
}
