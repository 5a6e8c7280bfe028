using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Cases;

/// <summary>
/// Files a phone-system call into a case record (seed 002). Called by <see cref="TelephonyEventService"/> each time a
/// call is rebuilt from its events, in the same transaction, so it is decided again from all the call's events every
/// time — a duplicate or late event changes nothing it should not, and a call is filed once (its session's call id is
/// unique; a second filing of the same call finds the first and only updates its tags).
/// <list type="bullet">
/// <item><b>When.</b> When the call is offered to an agent, or answered by one with <i>delay until connected</i>. A call
/// that ended without reaching an agent (abandoned) is filed only as the abandoned-call option says — never with
/// <i>delay until connected</i>, as the seed says.</item>
/// <item><b>Whose.</b> The caller's number within the dealership (of the call's first agent; for a call no agent had, the
/// only dealership with a customer on that number). Exactly one customer → theirs. An outcome the agent recorded on the
/// call (its wrap-up) names the customer outright and wins. None or several (a household sharing a phone) → the call
/// waits until it ends, so the agent can add the contact or record the outcome on the right person, and is then filed
/// into a case kept by the number, with no customer: never into one of several people's cases by guess.</item>
/// <item><b>Which case.</b> Same dealership, customer (or number) and queue: the most recently updated open case; else,
/// when allowed, the case closed most recently within N days of the call (it reopens); else a new case titled from the
/// template.</item>
/// </list>
/// </summary>
public static class CaseFiling
{
    public const string PlatformTag = "konnectlive";
    public const string AuditFiled = "case.filed";

    public static async Task<CaseSession?> FileAsync(KonnectDbContext db, TelephonyCall call, IReadOnlyCollection<TelephonyEvent> events, DateTime now,
        CancellationToken ct = default)
    {
        var settings = await db.CaseRecordSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == CaseRecordSettings.SingletonId, ct)
                       ?? new CaseRecordSettings();
        var abandoned = IsAbandoned(call);
        var tags = Tags(settings, call, abandoned);

        var existing = call.Id == 0 ? null : await db.CaseSessions.Include(s => s.Case).SingleOrDefaultAsync(s => s.TelephonyCallId == call.Id, ct);
        if (existing is not null)
        {
            // Filed before: later events only say more about the same session (a transfer, the caller hanging up).
            existing.SessionType = SessionType(call);
            existing.Abandoned = abandoned;
            existing.StartedAt = call.StartedAt;
            existing.Case.AddTags(tags);
            await db.SaveChangesAsync(ct);
            return existing;
        }

        if (!settings.Enabled || !Due(settings, call, events, abandoned) || string.IsNullOrEmpty(call.CustomerDigits)) return null;
        var dealershipId = await DealershipOfAsync(db, call, events, ct);
        if (dealershipId is null) return null;
        var (customerId, matches) = await CustomerOfAsync(db, call, dealershipId.Value, ct);
        if (customerId is null && call.EndedAt is null) return null; // no single customer yet: wait for the agent, or the end

        var cases = db.CaseRecords.Include(c => c.Sessions).Where(c => c.DealershipId == dealershipId && c.Queue == call.Queue);
        cases = customerId is { } id ? cases.Where(c => c.CustomerId == id) : cases.Where(c => c.CustomerId == null && c.CustomerDigits == call.CustomerDigits);
        CaseRecord? target = null;
        var how = "new case";
        if (settings.AppendToOpenCase)
        {
            target = await cases.Where(c => c.Status == CaseStatus.Open).OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).FirstOrDefaultAsync(ct);
            how = "added to open case";
            if (target is null && settings.AppendToRecentlyClosed)
            {
                var since = call.StartedAt.AddDays(-settings.ClosedWithinDays);
                target = await cases.Where(c => c.Status == CaseStatus.Closed && c.ClosedAt >= since)
                    .OrderByDescending(c => c.ClosedAt).ThenByDescending(c => c.Id).FirstOrDefaultAsync(ct);
                how = "added to recently closed case, reopened";
            }
        }
        if (target is null)
        {
            how = customerId is null ? $"new case kept by number ({(matches == 0 ? "no customer has it" : $"{matches} customers share it")})" : "new case";
            var dealership = await db.Dealerships.AsNoTracking().Where(d => d.Id == dealershipId).Select(d => d.Name).SingleAsync(ct);
            var customer = customerId is null ? null
                : await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => new { c.Title, c.FirstName, c.LastName }).SingleAsync(ct);
            var name = customer is not null
                ? string.Join(' ', new[] { customer.Title, customer.FirstName, customer.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)))
                : matches > 1 ? $"{matches} customers share this number" : null;
            var title = CaseTitleTemplate.Render(settings.TitleTemplate,
                new CaseTitleValues(CallType(call, abandoned), call.CallId, call.CustomerNumber, call.Language, call.StartedAt, name, dealership));
            target = CaseRecord.Open(dealershipId.Value, customerId, call.CustomerNumber, call.CustomerDigits, call.Queue, title, now);
            db.CaseRecords.Add(target);
        }

        var session = new CaseSession
        {
            TelephonyCallId = call.Id, SessionType = SessionType(call), Abandoned = abandoned, StartedAt = call.StartedAt, FiledAt = now,
        };
        target.Append(session, tags, now);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, now, null, AuditFiled, nameof(CaseRecord), target.Id.ToString(),
            $"Call {call.CallId} filed as session {session.Sequence} of case {target.Id} ({how}).", customerId);
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>Whether the call has reached the point the options file it at.</summary>
    public static bool Due(CaseRecordSettings settings, TelephonyCall call, IReadOnlyCollection<TelephonyEvent> events, bool abandoned)
    {
        var connected = call.AnsweredAt is not null;
        if (settings.DelayUntilConnected) return connected;
        if (connected || events.Any(e => e.Type == CallEventType.Offered && e.Agent is not null)) return true;
        if (!abandoned) return false; // still in the queue
        return settings.AbandonedCalls switch
        {
            AbandonedCallCases.All => true,
            AbandonedCallCases.MinimumSeconds => (call.EndedAt!.Value - call.StartedAt).TotalSeconds >= settings.AbandonedMinimumSeconds,
            _ => false,
        };
    }

    /// <summary>An inbound call that ended before any agent answered.</summary>
    public static bool IsAbandoned(TelephonyCall call) =>
        call.Direction == CallDirection.Inbound && call.EndedAt is not null && call.AnsweredAt is null;

    /// <summary>The session's type as a tag (seed 002: the session type, Zendesk-style): voice_inbound or voice_outbound.</summary>
    public static string SessionType(TelephonyCall call) => call.Direction == CallDirection.Outbound ? "voice_outbound" : "voice_inbound";

    /// <summary>The tags a call adds to its case: its session type, voice_transfer / voice_conference / voice_abandoned, and the platform tag.</summary>
    public static IReadOnlyList<string> Tags(CaseRecordSettings settings, TelephonyCall call, bool abandoned)
    {
        var tags = new List<string>();
        if (settings.AddSessionTypeTags)
        {
            tags.Add(SessionType(call));
            if (call.Legs.Any(l => l.Type == CallLegType.Transfer)) tags.Add("voice_transfer");
            if (call.Legs.Any(l => l.Type == CallLegType.Conference)) tags.Add("voice_conference");
            if (abandoned) tags.Add("voice_abandoned");
        }
        if (settings.AddPlatformTag) tags.Add(PlatformTag);
        return tags;
    }

    public static string CallType(TelephonyCall call, bool abandoned) =>
        abandoned ? "Abandoned call" : call.Direction == CallDirection.Outbound ? "Outbound call" : "Inbound call";

    private static async Task<int?> DealershipOfAsync(KonnectDbContext db, TelephonyCall call, IReadOnlyCollection<TelephonyEvent> events, CancellationToken ct)
    {
        if (call.DealershipId is { } id) return id;
        // An agent it was offered to (an offered event starts no leg).
        var agentIds = events.OrderBy(e => e.OccurredAt).Select(e => e.AgentUserId).Where(a => a is not null).Distinct().ToList();
        if (agentIds.Count > 0)
        {
            var dealerships = await db.Users.AsNoTracking().Where(u => agentIds.Contains(u.Id) && u.DealershipId != null)
                .Select(u => new { u.Id, u.DealershipId }).ToListAsync(ct);
            if (agentIds.Select(a => dealerships.FirstOrDefault(d => d.Id == a)?.DealershipId).FirstOrDefault(d => d is not null) is { } d) return d;
        }
        // No agent's: the one dealership with a customer on this number (several: whose call it was is unknown, so it is not filed).
        var digits = call.CustomerDigits;
        var found = await db.Customers.AsNoTracking().Where(c => c.ErasedAt == null && c.Phones.Any(p => p.SearchDigits == digits))
            .Select(c => c.DealershipId).Distinct().Take(2).ToListAsync(ct);
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>The one customer the call is for, or null with how many customers of the dealership have the number.</summary>
    private static async Task<(int? CustomerId, int Matches)> CustomerOfAsync(KonnectDbContext db, TelephonyCall call, int dealershipId, CancellationToken ct)
    {
        var digits = call.CustomerDigits;
        var matches = await db.Customers.AsNoTracking()
            .Where(c => c.DealershipId == dealershipId && c.ErasedAt == null && c.Phones.Any(p => p.SearchDigits == digits))
            .Select(c => c.Id).Take(20).ToListAsync(ct);
        // The agent recorded an outcome on this call for a customer with this number: that is who it was.
        var attemptIds = call.Legs.Where(l => l.CallAttemptId is not null).OrderBy(l => l.Sequence).Select(l => l.CallAttemptId!.Value).ToList();
        if (attemptIds.Count > 0)
        {
            var chosen = await db.CallAttempts.AsNoTracking().Where(a => attemptIds.Contains(a.Id)).Select(a => a.CustomerId).ToListAsync(ct);
            if (chosen.FirstOrDefault(matches.Contains) is var c and not 0) return (c, matches.Count);
        }
        return matches.Count == 1 ? (matches[0], 1) : (null, matches.Count);
    }
}
