using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Profile;

/// <summary><see cref="CallLeg"/>: an agent's part of a phone-system call for which no outcome was recorded (with one, it is a <see cref="Call"/> carrying the leg).
/// <see cref="Request"/>: a request raised on no call (yet): it joins the call when its author records an outcome for the customer.</summary>
public enum InteractionKind { Call, Message, Note, CallLeg, Request }

/// <summary>
/// One call, message or customer note in a history, newest first. Exactly one of <see cref="Call"/>, <see cref="Message"/>
/// and <see cref="Note"/> is set. A note belongs to no survey record, so <see cref="SurveyRecordId"/> and
/// <see cref="FocusRecordId"/> are null for notes; its dealership is the customer's.
/// </summary>
public sealed record InteractionItem(
    InteractionKind Kind,
    long Id,
    DateTime At,
    int CustomerId,
    int DealershipId,
    string DealershipName,
    int? SurveyRecordId,
    string? FocusRecordId,
    CallInteraction? Call,
    MessageInteraction? Message,
    NoteInteraction? Note = null,
    Requests.RequestView? Request = null);

public sealed record CallInteraction(
    CallType CallType,
    string? Number,
    DateTime StartedAt,
    int DurationSeconds,
    string Outcome,
    string AgentName,
    string? Note,
    IReadOnlyList<InteractionNote> Notes,
    string AgentId = "",
    DateTime RecordedAt = default,
    DateTime? UndoneAt = null,
    string? UndoneBy = null,
    PhoneLeg? Leg = null,
    IReadOnlyList<Requests.RequestView>? Requests = null)
{
    /// <summary>The requests raised on this call (or leg), in the order they were raised.</summary>
    public IReadOnlyList<Requests.RequestView> RequestsOnCall => Requests ?? [];

    /// <summary>From the phone system's events when the call was a leg; otherwise how long the page was open.</summary>
    public int Seconds => Leg?.DurationSeconds ?? DurationSeconds;

    /// <summary>Undone (AttemptUndoService): kept in the history, no longer counted.</summary>
    public bool IsUndone => UndoneAt is not null;
}

/// <summary>
/// The phone system's view of an agent's part of a call (<see cref="Telephony.CallLeg"/>): type, numbers, queue, times and
/// duration from the events, and the recording when a <c>recording</c> event gave one.
/// </summary>
public sealed record PhoneLeg(long LegId, string CallId, CallLegType Type, CallDirection Direction, string? Ani, string? Dnis, string? Queue,
    string? Language, DateTime StartedAt, int DurationSeconds, int HoldSeconds, bool Connected, CallEndReason? EndReason, string? RecordingUrl)
{
    /// <summary>INBOUND, OUTBOUND, TRANSFER or CONFERENCE, as the history names it (seed 001).</summary>
    public string TypeLabel => Type.ToString().ToUpperInvariant();
}

/// <summary>A customer note written on that call.</summary>
public sealed record InteractionNote(string AuthorName, DateTime CreatedAt, string Text);

public sealed record MessageInteraction(
    MessageChannel Channel,
    string? TemplateName,
    MessageState State,
    string? Recipient,
    DateTime DueAt,
    DateTime? SentAt,
    string? Reason,
    string? Subject,
    string? Body,
    string? CreatedBy);

/// <summary>A note on the customer (the notes panel's note, as a history row). <see cref="CallAttemptId"/>: the call it was written on, if any.</summary>
public sealed record NoteInteraction(string AuthorName, DateTime CreatedAt, DateTime? EditedAt, string Text, long? CallAttemptId)
{
    public string Excerpt => CustomerNoteService.Preview(Text); // line breaks kept
}

public sealed record InteractionPage(IReadOnlyList<InteractionItem> Items, int Total, int Skip, int Take);

/// <summary>
/// A customer's calls, messages and notes (or an unknown number's / email's calls and messages — notes belong to a
/// customer, so they do not apply there), merged newest first and paged.
/// They live in separate tables, so a page at offset <c>skip</c> takes the newest <c>skip + take</c> rows of
/// each (ordered and limited in the database), merges them, and keeps <c>take</c>. That is exact, and cheap for the
/// histories people page through (tens of rows); a cursor would be the next step if histories grew to thousands.
/// Scope: a dealership user only sees their dealership's interactions, and the notes of their dealership's customers.
/// </summary>
public sealed class InteractionHistoryQuery(IDbContextFactory<KonnectDbContext> dbFactory)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public async Task<InteractionPage> ForCustomerAsync(UserScope user, int customerId, int skip = 0, int take = DefaultPageSize,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = await db.Customers.AsNoTracking()
            .AnyAsync(c => c.Id == customerId && (user.DealershipId == null || c.DealershipId == user.DealershipId), ct);
        if (!visible) return new([], 0, skip, take);
        // The phone system's legs for the customer's numbers, taken by agents of the customer's dealership (or by head office).
        var digits = db.CustomerPhones.Where(p => p.CustomerId == customerId && p.SearchDigits != null && p.SearchDigits != "").Select(p => p.SearchDigits);
        var dealershipId = await db.Customers.Where(c => c.Id == customerId).Select(c => c.DealershipId).SingleAsync(ct);
        var legs = db.CallLegs.Where(l => digits.Contains(l.Call.CustomerDigits) && (l.DealershipId == dealershipId || l.DealershipId == null));
        return await PageAsync(db, user,
            db.CallAttempts.Where(a => a.CustomerId == customerId),
            db.ScheduledMessages.Where(m => m.CustomerId == customerId),
            db.CustomerNotes.Where(n => n.CustomerId == customerId),
            legs, skip, take, ct,
            db.CustomerRequests.Where(r => r.CustomerId == customerId && r.CallAttemptId == null && r.CallLegId == null));
    }

    /// <summary>Every interaction that used this number (calls dialled to it, SMS sent to it) or this email address.</summary>
    public async Task<InteractionPage> ForAddressAsync(UserScope user, string? phoneE164, string? email, int skip = 0,
        int take = DefaultPageSize, CancellationToken ct = default)
    {
        if (phoneE164 is null && string.IsNullOrWhiteSpace(email)) return new([], 0, skip, take);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<CallAttempt> calls;
        IQueryable<ScheduledMessage> messages;
        IQueryable<CallLeg> legs = db.CallLegs.Where(_ => false);
        if (phoneE164 is not null)
        {
            var digits = SearchKeys.Digits(phoneE164);
            legs = db.CallLegs.Where(l => l.Call.CustomerDigits == digits);
            var endsWith = "%" + (PhoneNormaliser.NationalDigits(phoneE164) ?? phoneE164);
            calls = db.CallAttempts.Where(a => a.NumberDialled == phoneE164 || EF.Functions.Like(a.NumberDialled!, endsWith));
            messages = db.ScheduledMessages.Where(m => m.Channel == MessageChannel.Sms
                && (m.Recipient == phoneE164 || EF.Functions.Like(m.Recipient!, endsWith)));
        }
        else
        {
            var lower = email!.Trim().ToLowerInvariant();
            calls = db.CallAttempts.Where(_ => false);
            messages = db.ScheduledMessages.Where(m => m.Channel == MessageChannel.Email && m.Recipient != null && m.Recipient.ToLower() == lower);
        }
        return await PageAsync(db, user, calls, messages, notes: null, legs, skip, take, ct);
    }

    private static async Task<InteractionPage> PageAsync(KonnectDbContext db, UserScope user, IQueryable<CallAttempt> calls,
        IQueryable<ScheduledMessage> messages, IQueryable<CustomerNote>? notes, IQueryable<CallLeg> legs, int skip, int take, CancellationToken ct,
        IQueryable<Requests.CustomerRequest>? requests = null)
    {
        skip = Math.Max(0, skip);
        take = Math.Clamp(take, 1, MaxPageSize);
        if (user.DealershipId is { } own)
        {
            calls = calls.Where(a => a.DealershipId == own);
            messages = messages.Where(m => m.DealershipId == own);
            // Notes carry no dealership of their own: they follow their customer's, as in CustomerNoteService.
            notes = notes?.Where(n => db.Customers.Any(c => c.Id == n.CustomerId && c.DealershipId == own));
            // A leg is its agent's dealership's: another dealership's agent never sees it.
            legs = legs.Where(l => l.DealershipId == own);
            requests = requests?.Where(r => r.DealershipId == own);
        }
        // A leg with an outcome shows as that call (one row per leg); the rest as legs without a wrap-up.
        var unwrapped = legs.Where(l => l.CallAttemptId == null).AsNoTracking();
        calls = calls.AsNoTracking();
        messages = messages.AsNoTracking();
        notes = notes?.AsNoTracking();

        var total = await calls.CountAsync(ct) + await messages.CountAsync(ct) + (notes is null ? 0 : await notes.CountAsync(ct))
                    + await unwrapped.CountAsync(ct) + (requests is null ? 0 : await requests.CountAsync(ct));
        var window = skip + take;

        var callRows = await (
                from a in calls
                join r in db.SurveyRecords on a.SurveyRecordId equals r.Id
                join d in db.Dealerships on a.DealershipId equals d.Id
                orderby a.StartedAt descending, a.Id descending
                select new
                {
                    a.Id, a.StartedAt, a.CustomerId, a.DealershipId, DealershipName = d.Name, a.SurveyRecordId, r.FocusRecordId,
                    a.CallType, a.NumberDialled, a.DurationSeconds, Outcome = a.Outcome.Name, a.AgentName, a.Note,
                    a.AgentId, a.RecordedAt, a.UndoneAt, a.UndoneBy,
                })
            .Take(window).ToListAsync(ct);

        var messageRows = await (
                from m in messages
                join r in db.SurveyRecords on m.SurveyRecordId equals r.Id
                join d in db.Dealerships on m.DealershipId equals d.Id
                orderby (m.SentAt ?? m.DueAt) descending, m.Id descending
                select new
                {
                    m.Id, At = m.SentAt ?? m.DueAt, m.CustomerId, m.DealershipId, DealershipName = d.Name, m.SurveyRecordId, r.FocusRecordId,
                    m.Channel, TemplateName = m.Template == null ? null : m.Template.Name, m.State, m.Recipient, m.DueAt, m.SentAt,
                    m.SkipReason, m.LastError, m.Subject, m.Body, m.CreatedBy,
                })
            .Take(window).ToListAsync(ct);

        var noteRows = notes is null ? [] : await (
                from n in notes
                join c in db.Customers on n.CustomerId equals c.Id
                join d in db.Dealerships on c.DealershipId equals d.Id
                orderby n.CreatedAt descending, n.Id descending
                select new { n.Id, n.CreatedAt, n.CustomerId, c.DealershipId, DealershipName = d.Name, n.AuthorName, n.EditedAt, n.Text, n.CallAttemptId })
            .Take(window).ToListAsync(ct);

        // A queued message has no recipient until it is sent: show whom it will go to now, by the dispatcher's rule.
        var waitingFor = messageRows.Where(m => m.Recipient is null && m.State is MessageState.Scheduled or MessageState.Sending)
            .Select(m => m.CustomerId).Distinct().ToList();
        var plannedFor = waitingFor.Count == 0 ? new Dictionary<int, Customer>() : await db.Customers.AsNoTracking().Include(c => c.Phones)
            .Where(c => waitingFor.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        string? RecipientOf(int customerId, MessageChannel channel, string? recipient, MessageState state) =>
            recipient ?? (state is MessageState.Scheduled or MessageState.Sending && plannedFor.TryGetValue(customerId, out var c)
                ? MessageRecipient.For(c, channel) : null);

        var legRows = await unwrapped
            .OrderByDescending(l => l.StartedAt).ThenByDescending(l => l.Id)
            .Select(l => new { Leg = l, l.Call, AgentName = l.User == null ? l.Agent : l.User.DisplayName,
                DealershipName = l.DealershipId == null ? "Head office" : db.Dealerships.Where(d => d.Id == l.DealershipId).Select(d => d.Name).FirstOrDefault() })
            .Take(window).ToListAsync(ct);
        var attemptIds = callRows.Select(c => (long?)c.Id).ToList();
        var legOfAttempt = attemptIds.Count == 0 ? [] : (await db.CallLegs.AsNoTracking().Include(l => l.Call)
                .Where(l => attemptIds.Contains(l.CallAttemptId)).ToListAsync(ct))
            .ToDictionary(l => l.CallAttemptId!.Value, ToPhoneLeg);

        var callIds = callRows.Select(c => (long?)c.Id).ToList();
        var callNotes = callIds.Count == 0 ? [] : await db.CustomerNotes.AsNoTracking()
            .Where(n => n.CallAttemptId != null && callIds.Contains(n.CallAttemptId))
            .OrderBy(n => n.CreatedAt)
            .Select(n => new { n.CallAttemptId, n.AuthorName, n.CreatedAt, n.Text })
            .ToListAsync(ct);
        // Requests raised on these calls or legs, and the standalone ones of this window.
        var legIds = legRows.Select(l => (long?)l.Leg.Id).Concat(legOfAttempt.Values.Select(l => (long?)l.LegId)).ToList();
        var requestIds = await db.CustomerRequests.AsNoTracking()
            .Where(r => (callIds.Contains(r.CallAttemptId) || legIds.Contains(r.CallLegId)) && (user.DealershipId == null || r.DealershipId == user.DealershipId))
            .Select(r => r.Id).ToListAsync(ct);
        var standaloneIds = requests is null ? [] : await requests.AsNoTracking().OrderByDescending(r => r.RaisedAt).ThenByDescending(r => r.Id)
            .Select(r => r.Id).Take(window).ToListAsync(ct);
        var requestViews = await Requests.RequestsQuery.LoadAsync(db, [.. requestIds.Union(standaloneIds)], ct);
        var requestDealerIds = requestViews.Select(r => r.DealershipId).Distinct().ToList();
        var requestDealers = requestDealerIds.Count == 0 ? [] : await db.Dealerships.AsNoTracking().Where(d => requestDealerIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var byCall = requestViews.Where(r => r.CallAttemptId is not null).ToLookup(r => r.CallAttemptId!.Value);
        var byLeg = requestViews.Where(r => r.CallAttemptId is null && r.CallLegId is not null).ToLookup(r => r.CallLegId!.Value);
        IReadOnlyList<Requests.RequestView> RequestsOf(long attemptId, long? legId) =>
            [.. byCall[attemptId].Concat(legId is { } l ? byLeg[l] : []).DistinctBy(r => r.Id)];

        var notesByCall = callNotes.ToLookup(n => n.CallAttemptId!.Value, n => new InteractionNote(n.AuthorName, n.CreatedAt, n.Text));

        var items = callRows.Select(c => new InteractionItem(InteractionKind.Call, c.Id, c.StartedAt, c.CustomerId, c.DealershipId,
                c.DealershipName, c.SurveyRecordId, c.FocusRecordId,
                new CallInteraction(c.CallType, c.NumberDialled, c.StartedAt, c.DurationSeconds, c.Outcome, c.AgentName, c.Note,
                    [.. notesByCall[c.Id]], c.AgentId, c.RecordedAt, c.UndoneAt, c.UndoneBy, legOfAttempt.GetValueOrDefault(c.Id),
                    RequestsOf(c.Id, legOfAttempt.GetValueOrDefault(c.Id)?.LegId)),
                null))
            .Concat(legRows.Select(l => new InteractionItem(InteractionKind.CallLeg, l.Leg.Id, l.Leg.StartedAt, 0, l.Leg.DealershipId ?? 0,
                l.DealershipName ?? "", null, null,
                new CallInteraction(CallLegWrapUp.CallTypeOf(l.Leg.Type), l.Call.CustomerNumber, l.Leg.StartedAt, l.Leg.DurationSeconds, "",
                    l.AgentName ?? "", null, [], l.Leg.UserId ?? "", default, null, null, ToPhoneLeg(l.Leg, l.Call), [.. byLeg[l.Leg.Id]]),
                null)))
            .Concat(messageRows.Select(m => new InteractionItem(InteractionKind.Message, m.Id, m.At, m.CustomerId, m.DealershipId,
                m.DealershipName, m.SurveyRecordId, m.FocusRecordId, null,
                new MessageInteraction(m.Channel, m.TemplateName, m.State, RecipientOf(m.CustomerId, m.Channel, m.Recipient, m.State), m.DueAt, m.SentAt,
                    m.State == MessageState.Failed ? m.LastError ?? m.SkipReason : m.SkipReason, m.Subject, m.Body, m.CreatedBy))))
            .Concat(noteRows.Select(n => new InteractionItem(InteractionKind.Note, n.Id, n.CreatedAt, n.CustomerId, n.DealershipId,
                n.DealershipName, null, null, null, null,
                new NoteInteraction(n.AuthorName, n.CreatedAt, n.EditedAt, n.Text, n.CallAttemptId))))
            .Concat(requestViews.Where(r => standaloneIds.Contains(r.Id)).Select(r => new InteractionItem(InteractionKind.Request, r.Id, r.RaisedAt,
                r.CustomerId, r.DealershipId, requestDealers.GetValueOrDefault(r.DealershipId, ""), null, null, null, null, null, r)))
            // Same instant: call, then message, then note (the enum's order).
            .OrderByDescending(i => i.At).ThenBy(i => i.Kind).ThenByDescending(i => i.Id)
            .Skip(skip).Take(take)
            .ToList();
        return new InteractionPage(items, total, skip, take);
    }

    private static PhoneLeg ToPhoneLeg(CallLeg l) => ToPhoneLeg(l, l.Call);

    private static PhoneLeg ToPhoneLeg(CallLeg l, TelephonyCall c) =>
        new(l.Id, c.CallId, l.Type, c.Direction, c.Ani, c.Dnis, c.Queue, c.Language, l.StartedAt, l.DurationSeconds, l.HoldSeconds, l.Connected,
            c.EndReason, c.RecordingUrl);
}
