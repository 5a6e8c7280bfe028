using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Telephony;

/// <summary>What happened to one event of a batch.</summary>
public sealed class CallEventResult
{
    /// <summary>Position in the batch, from 0.</summary>
    public int Index { get; set; }
    public string? EventId { get; set; }
    public string? CallId { get; set; }
    /// <summary>stored, duplicate (this event id was stored before: nothing changed) or rejected.</summary>
    public string Result { get; set; } = "";
    /// <summary>Anything the caller should know, e.g. an agent that is no KonnectLive user or extension.</summary>
    public string? Detail { get; set; }
    /// <summary>Rejected events: what is wrong, by field.</summary>
    public IDictionary<string, string[]>? Errors { get; set; }
}

/// <summary>The 200 response of POST /api/v1/telephony/events.</summary>
public sealed class CallEventBatchResponse
{
    public long RequestId { get; set; }
    public int Received { get; set; }
    public int Stored { get; set; }
    public int Duplicates { get; set; }
    /// <summary>The calls these events touched, as they now stand.</summary>
    public List<CallSummary> Calls { get; set; } = [];
    public List<CallEventResult> Results { get; set; } = [];
}

public sealed record CallLegSummary(int Sequence, string Type, string? Agent, DateTime StartedAt, DateTime? EndedAt, bool Connected, int DurationSeconds, int HoldSeconds);

public sealed record CallSummary(string CallId, string Direction, string? CustomerNumber, DateTime StartedAt, DateTime? EndedAt, string? EndReason,
    IReadOnlyList<CallLegSummary> Legs);

/// <summary>The service's answer: a batch response (200), or why the request was refused as a whole (with per-event errors when that is why).</summary>
public sealed record CallEventOutcome(int StatusCode, long RequestId, CallEventBatchResponse? Response, string? Error,
    IReadOnlyList<CallEventResult>? Rejected = null);

/// <summary>
/// Takes call events from the phone system. A batch is all or nothing: an event that cannot be read or fails validation
/// refuses the whole batch (400, each bad event named) and nothing from it is stored — the events of a call depend on
/// one another, so half a batch would build wrong legs. Events are kept as sent (idempotent by the provider's event id),
/// and each call the batch touches is rebuilt from all its events (<see cref="CallLegBuilder"/>), so duplicates and
/// late arrivals are harmless. Batches of one API client run one at a time (in process on SQLite, an advisory lock on
/// PostgreSQL).
/// </summary>
public sealed class TelephonyEventService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    InboundRequestLog requestLog,
    IValidator<CallEventInput> validator,
    ILiveEventPublisher live,
    AgentStates.AgentStateService agentStates,
    TimeProvider time,
    ILogger<TelephonyEventService> logger)
{
    public const string Endpoint = "POST /api/v1/telephony/events";
    public const string Stored = "stored";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
    private const int TelephonyLockNamespace = StartupLock.Namespace + 2;
    /// <summary>An offered or answered event older than this pops nothing (a phone system catching up on a backlog).</summary>
    public static readonly TimeSpan PopWindow = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _inProcess = new(1, 1);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<CallEventOutcome> IngestAsync(InboundCaller caller, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (CsiBatchReader.TryDecodeUtf8(body.Span, out var text, out var error))
            return await IngestAsync(caller, text, ct);
        var requestId = await requestLog.RecordAsync(caller, Endpoint, 400, Encoding.UTF8.GetString(body.Span), error, Elapsed(started), ct);
        return new CallEventOutcome(400, requestId, null, error);
    }

    public async Task<CallEventOutcome> IngestAsync(InboundCaller caller, string body, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = await requestLog.BeginAsync(caller, Endpoint, body, ct);
        var (envelopes, readError) = CallEventBatchReader.Read(body);
        if (readError is not null)
        {
            await requestLog.CompleteAsync(requestId, 400, 0, null, null, readError, Elapsed(started), ct);
            return new CallEventOutcome(400, requestId, null, readError);
        }

        // Every event valid, or none stored.
        var rejected = new List<CallEventResult>();
        foreach (var envelope in envelopes)
        {
            var errors = envelope.ReadError is { } why
                ? new Dictionary<string, string[]> { [""] = [why] }
                : (await validator.ValidateAsync(envelope.Event!, ct)).Errors.GroupBy(f => Camel(f.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray());
            if (errors.Count > 0)
                rejected.Add(new CallEventResult { Index = envelope.Index, EventId = envelope.Event?.EventId, CallId = envelope.Event?.CallId, Result = Rejected, Errors = errors });
        }
        if (rejected.Count > 0)
        {
            var error = $"{rejected.Count} of {envelopes.Count} event(s) are invalid; the batch was refused and nothing from it was stored. " +
                        string.Join(" ", rejected.Take(5).Select(r => $"Event {r.Index} ({r.EventId ?? "no id"}): {string.Join(" ", r.Errors!.SelectMany(e => e.Value))}"));
            await requestLog.CompleteAsync(requestId, 400, envelopes.Count, new CsiResultCounts(0, 0, 0, 0, 0, 0, rejected.Count),
                JsonSerializer.Serialize(rejected, CsiBatchReader.Json), error, Elapsed(started), ct);
            return new CallEventOutcome(400, requestId, null, error, rejected);
        }

        CallEventBatchResponse response;
        List<LiveEvent> pops;
        await _inProcess.WaitAsync(ct);
        try
        {
            try
            {
                (response, pops) = await ApplyAsync(caller, requestId, [.. envelopes.Select(e => e.Event!)], ct);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                logger.LogWarning(ex, "Telephony request {RequestId} clashed with a concurrent write; retrying once", requestId);
                (response, pops) = await ApplyAsync(caller, requestId, [.. envelopes.Select(e => e.Event!)], ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Telephony request {RequestId} failed; nothing from it was stored", requestId);
            const string error = "The events could not be processed; nothing from them was stored. Send them again, or quote the request id to support.";
            await requestLog.CompleteAsync(requestId, 500, envelopes.Count, null, null, $"{error} ({ex.GetType().Name}: {ex.Message})",
                Elapsed(started), CancellationToken.None);
            return new CallEventOutcome(500, requestId, null, error);
        }
        finally
        {
            _inProcess.Release();
        }

        await requestLog.CompleteAsync(requestId, 200, envelopes.Count, new CsiResultCounts(response.Stored, 0, response.Duplicates, 0, 0, 0, 0),
            JsonSerializer.Serialize(response.Results, CsiBatchReader.Json), null, Elapsed(started), ct);
        // After the commit: the agent's pages look the caller up as soon as they hear it.
        foreach (var pop in pops) await live.PublishAsync(pop, CancellationToken.None);
        // Agent states follow the calls (On call, Wrap-up); a failure here never fails the batch, which is stored.
        try
        {
            await agentStates.FollowCallsAsync(caller.ApiClientId!.Value, [.. response.Calls.Select(c => c.CallId)], CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Telephony request {RequestId}: agent states could not follow its calls", requestId);
        }
        return new CallEventOutcome(200, requestId, response, null);
    }

    private async Task<(CallEventBatchResponse, List<LiveEvent>)> ApplyAsync(InboundCaller caller, long requestId, IReadOnlyList<CallEventInput> inputs, CancellationToken ct)
    {
        var clientId = caller.ApiClientId ?? throw new InvalidOperationException("Telephony events need an authenticated API client.");
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({TelephonyLockNamespace}, {clientId})", ct);

        // Agents by user name or extension, in one query.
        var names = inputs.Select(i => i.Agent?.Trim()).Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var agents = await AgentDirectory.LoadAsync(db, names, ct);

        var ids = inputs.Select(i => i.EventId!).Distinct().ToList();
        var known = (await db.TelephonyEvents.Where(e => e.ApiClientId == clientId && ids.Contains(e.EventId)).Select(e => e.EventId).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var results = new List<CallEventResult>(inputs.Count);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var popFor = new List<(string CallId, AgentDirectory.Entry Agent)>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var result = new CallEventResult { Index = i, EventId = input.EventId, CallId = input.CallId };
            results.Add(result);
            if (!known.Add(input.EventId!))
            {
                result.Result = Duplicate;
                result.Detail = "This event id was received before; nothing changed.";
                continue;
            }
            var agentName = string.IsNullOrWhiteSpace(input.Agent) ? null : input.Agent.Trim();
            var agent = agentName is null ? null : agents.GetValueOrDefault(agentName);
            if (agentName is not null && agent is null)
                result.Detail = $"'{agentName}' is not the user name or extension of a KonnectLive user; the leg is kept under that name.";
            db.TelephonyEvents.Add(new TelephonyEvent
            {
                ApiClientId = clientId, EventId = input.EventId!, CallId = input.CallId!, Type = CallEventInput.ParseType(input.Type)!.Value,
                OccurredAt = CallEventInput.ParseTime(input.OccurredAt)!.Value, Direction = CallEventInput.ParseDirection(input.Direction),
                Ani = Clean(input.Ani), Dnis = Clean(input.Dnis), Queue = Clean(input.Queue), Language = Clean(input.Language),
                Agent = agentName, AgentUserId = agent?.UserId, EndReason = CallEventInput.ParseReason(input.Reason),
                RecordingUrl = Clean(input.RecordingUrl), ReceivedAt = now,
            });
            result.Result = Stored;
            touched.Add(input.CallId!);
            if (agent is not null && CallEventInput.ParseType(input.Type) is CallEventType.Offered or CallEventType.Answered
                                  or CallEventType.Transferred or CallEventType.Conferenced
                && now - CallEventInput.ParseTime(input.OccurredAt)!.Value <= PopWindow
                && !popFor.Contains((input.CallId!, agent)))
                popFor.Add((input.CallId!, agent));
        }
        await db.SaveChangesAsync(ct);

        var calls = new List<CallSummary>();
        var caseChanges = new List<LiveEvent>();
        foreach (var callId in touched.Order(StringComparer.Ordinal))
            calls.Add(await RebuildAsync(db, clientId, callId, agents, now, caseChanges, ct));
        var stored = results.Count(r => r.Result == Stored);
        AuditLog.Add(db, now, null, "inbound.telephony.received", nameof(InboundRequest), requestId.ToString(),
            $"Telephony events from {caller.ClientId ?? "unknown client"}: {inputs.Count} received, {stored} stored, {inputs.Count - stored} duplicate; calls {string.Join(", ", touched.Take(20))}.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        // A pop for each agent the call reached, unless the call is already over (its end arrived first, or in this batch).
        var pops = popFor.Select(p => (p, Call: calls.Single(c => c.CallId == p.CallId)))
            .Where(x => x.Call.EndedAt is null && x.Call.CustomerNumber is not null)
            .Select(x => new LiveEvent(LiveEventKind.CallPop, x.p.Agent.DealershipId ?? 0, 0, AgentId: x.p.Agent.UserId, Reason: x.Call.CustomerNumber)
                { CallId = x.p.CallId })
            .Concat(caseChanges.DistinctBy(e => (e.DealershipId, e.CustomerId))) // after the commit too: open Cases lists reload
            .ToList();
        return (new CallEventBatchResponse
        {
            RequestId = requestId, Received = inputs.Count, Stored = stored, Duplicates = inputs.Count - stored, Calls = calls, Results = results,
        }, pops);
    }

    /// <summary>The call and its legs, rebuilt from every event of the call stored so far.</summary>
    private static async Task<CallSummary> RebuildAsync(KonnectDbContext db, int clientId, string callId,
        Dictionary<string, AgentDirectory.Entry> agents, DateTime now, List<LiveEvent> caseChanges, CancellationToken ct)
    {
        var events = await db.TelephonyEvents.AsNoTracking().Where(e => e.ApiClientId == clientId && e.CallId == callId).ToListAsync(ct);
        // Events stored earlier may name agents this batch did not: look those up too.
        var missing = events.Select(e => e.Agent).Where(a => a is not null && !agents.ContainsKey(a)).Select(a => a!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0)
            foreach (var (k, v) in await AgentDirectory.LoadAsync(db, missing, ct)) agents[k] = v;
        var built = CallLegBuilder.Build(events, e => e.Agent is { } name && agents.GetValueOrDefault(name) is { } a
            ? new CallLegBuilder.Agent(a.UserId, a.UserName, a.DealershipId) // a known extension shows as the user it belongs to
            : new CallLegBuilder.Agent(null, e.Agent, null));

        var call = await db.TelephonyCalls.Include(c => c.Legs).SingleOrDefaultAsync(c => c.ApiClientId == clientId && c.CallId == callId, ct);
        if (call is null) db.TelephonyCalls.Add(call = new TelephonyCall { ApiClientId = clientId, CallId = callId });
        call.Direction = built.Direction;
        call.Ani = built.Ani;
        call.Dnis = built.Dnis;
        call.CustomerNumber = built.CustomerNumber;
        call.CustomerDigits = built.CustomerDigits;
        call.Queue = built.Queue;
        call.Language = built.Language;
        call.StartedAt = built.StartedAt;
        call.AnsweredAt = built.AnsweredAt;
        call.EndedAt = built.EndedAt;
        call.EndReason = built.EndReason;
        call.RecordingUrl = built.RecordingUrl;
        call.DealershipId = built.DealershipId;
        // Legs are matched by position: a late event can change a leg, add one, or (rarely) end one sooner.
        for (var i = 0; i < built.Legs.Count; i++)
        {
            var b = built.Legs[i];
            var leg = call.Legs.FirstOrDefault(l => l.Sequence == b.Sequence);
            if (leg is null) call.Legs.Add(leg = new CallLeg { Sequence = b.Sequence });
            if (leg.UserId != b.UserId) leg.CallAttemptId = null; // a late event made this another agent's leg: its wrap-up is not theirs
            leg.Type = b.Type;
            leg.UserId = b.UserId;
            leg.Agent = b.Agent;
            leg.DealershipId = b.DealershipId;
            leg.StartedAt = b.StartedAt;
            leg.EndedAt = b.EndedAt;
            leg.Connected = b.Connected;
            leg.DurationSeconds = b.DurationSeconds;
            leg.HoldSeconds = b.HoldSeconds;
        }
        foreach (var extra in call.Legs.Where(l => l.Sequence > built.Legs.Count).ToList()) call.Legs.Remove(extra);
        await CallLegWrapUp.AttachLegsAsync(db, call, ct); // an outcome recorded before these events arrived
        await db.SaveChangesAsync(ct);
        var filed = await Cases.CaseFiling.FileAsync(db, call, events, now, ct); // into its case, once it has reached the point the options say
        if (filed?.Case is { } changedCase)
            caseChanges.Add(new LiveEvent(LiveEventKind.CaseChanged, changedCase.DealershipId, 0, CustomerId: changedCase.CustomerId) { CallId = callId });

        return new CallSummary(callId, Wire(built.Direction), built.CustomerNumber, built.StartedAt, built.EndedAt,
            built.EndReason is { } r ? Wire(r) : null,
            [.. built.Legs.Select(l => new CallLegSummary(l.Sequence, l.Type.ToString().ToUpperInvariant(), l.Agent, l.StartedAt, l.EndedAt, l.Connected, l.DurationSeconds, l.HoldSeconds))]);
    }

    /// <summary>The API's spelling: inbound, no_answer.</summary>
    internal static string Wire<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    private static string Camel(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];
    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

/// <summary>Who a phone system's agent name is: the user with that user name, or else with that extension (a disabled user's legs stay theirs).</summary>
internal static class AgentDirectory
{
    public sealed record Entry(string UserId, string UserName, int? DealershipId);

    public static async Task<Dictionary<string, Entry>> LoadAsync(KonnectDbContext db, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var result = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        if (names.Count == 0) return result;
        var normalised = names.Select(n => n.ToUpperInvariant()).ToList();
        var users = await db.Users.AsNoTracking()
            .Where(u => (u.NormalizedUserName != null && normalised.Contains(u.NormalizedUserName)) || (u.Extension != null && names.Contains(u.Extension)))
            .Select(u => new { u.Id, u.UserName, u.Extension, u.DealershipId }).ToListAsync(ct);
        foreach (var name in names)
        {
            var user = users.FirstOrDefault(u => string.Equals(u.UserName, name, StringComparison.OrdinalIgnoreCase))
                       ?? users.FirstOrDefault(u => u.Extension == name);
            if (user is not null) result[name] = new Entry(user.Id, user.UserName ?? name, user.DealershipId);
        }
        return result;
    }
}
