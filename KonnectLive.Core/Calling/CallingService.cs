using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>The calling page's reads and writes: the customer view, recording an attempt, unsubscribing.</summary>
public sealed class CallingService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    ILiveEventPublisher live,
    TimeProvider time,
    IValidator<RecordAttemptCommand> validator)
{
    /// <summary>A call-back closer than this is not a call-back: the agent should keep the customer open instead.</summary>
    public static readonly TimeSpan MinCallbackLead = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxCallbackLead = TimeSpan.FromDays(90);
    public const string RecordedAction = "call.recorded";
    public const string UnsubscribedAction = "customer.unsubscribed";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The record as the user may see it, or null when it is unknown or in another dealership.</summary>
    public async Task<CallingView?> GetViewAsync(UserScope user, int recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.SurveyRecords.AsNoTracking()
            .Include(x => x.Customer).ThenInclude(c => c.Phones)
            .Include(x => x.Dealership)
            .Include(x => x.Vehicle)
            .AsSplitQuery()
            .SingleOrDefaultAsync(x => x.Id == recordId, ct);
        if (r is null || !user.CanSee(r.DealershipId)) return null;

        var outcomes = await db.CallOutcomes.AsNoTracking().Where(o => o.IsActive)
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Name)
            .Select(o => new OutcomeView(o.Id, o.Name, o.Colour, o.Category, o.Behaviour, o.RequiresNote, o.CallbackReserveMinutes))
            .ToListAsync(ct);

        return new CallingView(r.Id, r.FocusRecordId, r.CustomerId, r.Customer.FullName, r.DealershipId, r.Dealership.Name,
            r.Vehicle?.Registration, r.Vehicle?.Description, r.Vehicle?.Vin, r.Status, r.Score, r.EventType, r.EventDate,
            r.AttemptCount, r.LastAttemptAt, r.Customer.Email, r.Customer.EmailUnsubscribed,
            r.Customer.Phones.OrderBy(p => p.Position)
                .Select(p => new PhoneView(p.Id, p.Position, p.Number, p.Type.ToString(), p.CallUnsubscribed, p.SmsUnsubscribed, p.IsWrongNumber))
                .ToList(),
            outcomes,
            await SummaryAsync(db, r, ct));
    }

    private static async Task<ProcessSummary> SummaryAsync(KonnectDbContext db, SurveyRecord r, CancellationToken ct)
    {
        var last = await db.CallAttempts.AsNoTracking().Where(a => a.SurveyRecordId == r.Id && a.UndoneAt == null)
            .OrderByDescending(a => a.RecordedAt).ThenByDescending(a => a.Id)
            .Select(a => new { Outcome = a.Outcome.Name, a.AgentName, a.RecordedAt })
            .FirstOrDefaultAsync(ct);
        // The conversation notes, counted and picked by the same definition the notes panel lists (panel notes and call notes).
        var notes = await ConversationNotes.SummaryAsync(db, r.CustomerId, ct);
        return new ProcessSummary(r.AttemptCount, last?.Outcome, last?.RecordedAt, last?.AgentName,
            r.CallbackDueAt, r.CallbackAgentName, r.ReservedUntil, r.ChaseEndedAt, r.ChaseEndedReason,
            notes.Count, notes.Latest?.Text, notes.Latest?.CreatedAt, notes.Latest?.AuthorName);
    }

    /// <summary>
    /// Records the call and does what the outcome's behaviour says — moves the record down the list, takes it off,
    /// books a call-back, records a decline, or marks the number wrong and moves on to the next contact method — and
    /// gives back this page's lease, all in one transaction.
    /// A call that took place is always recorded (attempt, count, audit, the wrong number, the decline reason) while the
    /// agent may see the record, even after losing the lock: reports must count it and the note must not be lost. Only
    /// the outcome's effect on the chase list waits on the lock: it is applied when the record is still Awaiting and
    /// nobody else holds a live lease, so it never overrides FOCUS or another agent's call in progress. The agent's
    /// own other tab holding the customer is the one refusal (that tab records the call; one call, one attempt).
    /// </summary>
    public async Task<AttemptResult> RecordAttemptAsync(UserScope agent, RecordAttemptCommand command, CancellationToken ct = default)
    {
        if (!agent.CanCall) throw new DomainException("You are not enabled for CSI Voice, so you cannot record calls.");
        await validator.ValidateAndThrowAsync(command, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.Id == command.RecordId)
            .Select(r => new SurveyRecordRef(r.Id, r.FocusRecordId, r.CustomerId, r.DealershipId, r.Status, r.StatusChangedAt))
            .SingleOrDefaultAsync(ct);
        if (record is null || !agent.CanSee(record.DealershipId))
            throw new DomainException("That customer does not exist or is not in your dealership.");
        var outcome = await db.CallOutcomes.AsNoTracking().SingleOrDefaultAsync(o => o.Id == command.OutcomeId && o.IsActive, ct)
                      ?? throw new DomainException("That outcome is no longer available. Choose another.");
        var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
        if (outcome.RequiresNote && note is null)
            throw new DomainException($"{outcome.Name} needs a note.");

        // Tracked: a wrong number is marked on it, in the same transaction as the attempt.
        var customer = await db.Customers.Include(c => c.Phones).SingleAsync(c => c.Id == record.CustomerId, ct);
        CustomerPhone? dialled = null;
        if (command.NumberDialled is { } number)
        {
            dialled = customer.Phones.FirstOrDefault(p => p.Number == number)
                      ?? throw new DomainException("The number dialled is not one of this customer's numbers.");
            if (dialled.CallUnsubscribed)
                throw new DomainException($"{number} is unsubscribed from calls.");
            if (dialled.IsWrongNumber)
                throw new DomainException($"{PhoneNormaliser.Display(number)} is marked as a wrong number, so it is not called.");
        }

        var now = Now;
        // A call starts when the page opened or a number was clicked; a start more than a shift ago is not a real call.
        if (command.StartedAt < now.AddHours(-12))
            throw new DomainException("The call's start time is not plausible; reopen the customer and record the call again.");
        var started = command.StartedAt > now ? now : command.StartedAt;

        var decision = outcome.Behaviour switch
        {
            OutcomeBehaviour.KeepOnList => new Decision(AttemptEffect.StaysOnList(now), $"{outcome.Name} recorded; they stay on the chase list."),
            OutcomeBehaviour.TakeOffList => new Decision(AttemptEffect.EndsChase(now, outcome.Name), $"{outcome.Name} recorded; they are off the chase list."),
            OutcomeBehaviour.CallBackLater => CallBack(agent, outcome, command, now),
            OutcomeBehaviour.CustomerDeclined => await DeclineAsync(db, command, now, ct),
            OutcomeBehaviour.WrongNumber => await WrongNumberAsync(db, agent, outcome, customer, dialled, now, ct),
            _ => throw new DomainException($"{outcome.Name} does something this version does not know; ask an admin to check the outcome."),
        };
        var effect = decision.Effect;
        var token = string.IsNullOrEmpty(command.PageToken) ? null : command.PageToken;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var lease = await db.SurveyRecords.AsNoTracking().Where(r => r.Id == record.Id)
            .Select(r => new { r.Status, r.LockHolderId, r.LockHolderName, r.LockToken, r.LockExpiresAt })
            .SingleAsync(ct);
        var before = await ChaseState.ReadAsync(db, record.Id, ct); // what an undo puts back
        if (lease.LockHolderId == agent.UserId && lease.LockExpiresAt > now && (token is null || lease.LockToken != token))
            throw new DomainException("You have this customer open in another tab: record the call there, or press Continue here first.");

        // The effect's condition is in the UPDATE's WHERE, so the database decides it atomically with the write.
        var chaseUpdated = await db.SurveyRecords
            .Where(r => r.Id == record.Id
                        && r.Status == SurveyStatus.Awaiting
                        && (r.LockHolderId == null || r.LockExpiresAt <= now || (r.LockHolderId == agent.UserId && r.LockToken == token)))
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(r => r.AttemptCount, r => r.AttemptCount + 1)
                 .SetProperty(r => r.LastAttemptAt, now);
                effect.Apply(s);
            }, ct) == 1;
        if (!chaseUpdated)
            await db.SurveyRecords.Where(r => r.Id == record.Id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.AttemptCount, r => r.AttemptCount + 1)
                    .SetProperty(r => r.LastAttemptAt, now), ct);
        // Only this page's lease is given back; another agent's call in progress is theirs.
        if (token is not null)
            await db.SurveyRecords.Where(r => r.Id == record.Id && r.LockHolderId == agent.UserId && r.LockToken == token)
                .ExecuteUpdateAsync(CallLockService.ClearLock, ct);

        var attempt = new CallAttempt
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId,
            AgentId = agent.UserId, AgentName = agent.DisplayName, NumberDialled = command.NumberDialled,
            StartedAt = started, DurationSeconds = (int)Math.Max(0, (now - started).TotalSeconds),
            OutcomeId = outcome.Id, Note = note, RecordedAt = now, Behaviour = outcome.Behaviour,
            DeclineReasonId = decision.DeclineReason?.Id, CallbackAt = chaseUpdated ? effect.CallbackDueAt : null,
        };
        db.CallAttempts.Add(attempt);
        await db.SaveChangesAsync(ct); // the attempt's id names the follow-up message below; the wrong number is marked
        await Telephony.CallLegWrapUp.AttachAttemptAsync(db, attempt, ct); // the phone system's leg of this call, if any: its wrap-up
        await Requests.CustomerRequestService.AttachToAttemptAsync(db, attempt, ct); // requests raised on this call before the outcome
        if (outcome.Behaviour == OutcomeBehaviour.WrongNumber || chaseUpdated)
            await NoNumberToCall.SyncAsync(db, record.CustomerId, ct); // the last callable number may have gone
        var followUpKey = $"next-method:{record.FocusRecordId}:{attempt.Id}";
        attempt.UndoState = new AttemptUndoState(before, await ChaseState.ReadAsync(db, record.Id, ct),
            outcome.Behaviour == OutcomeBehaviour.WrongNumber ? dialled?.Id : null,
            chaseUpdated && decision.FollowUp is not null ? followUpKey : null).ToJson();

        var message = chaseUpdated ? decision.Message : Withheld(outcome, dialled, lease.Status, lease.LockHolderName);
        if (outcome.Behaviour == OutcomeBehaviour.CustomerDeclined)
        {
            // The customer said no to this agent whoever holds the list: automatic chasers stop either way.
            var cancelled = await MessagePlanner.CancelQueuedAutomaticAsync(db, record.Id, "customer declined", now, ct);
            if (cancelled > 0) message += cancelled == 1 ? " 1 queued message was cancelled." : $" {cancelled} queued messages were cancelled.";
        }
        if (chaseUpdated && decision.FollowUp is { } template)
            MessagePlanner.PlanFollowUp(db, record, template, followUpKey, agent.DisplayName, now);

        AuditLog.Add(db, now, agent, RecordedAction, nameof(SurveyRecord), record.Id.ToString(),
            AuditDetails(outcome, command.NumberDialled, decision.DeclineReason, chaseUpdated ? effect : null, message), record.CustomerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        await live.PublishAsync(new LiveEvent(LiveEventKind.AttemptRecorded, record.DealershipId, record.Id,
            AgentId: agent.UserId, AgentName: agent.DisplayName, Reason: outcome.Name), ct);
        return new AttemptResult(message, chaseUpdated && effect.LeavesChaseList, chaseUpdated, attempt.Id);
    }

    /// <summary>What the agent is told when the call was recorded but the chase list was not the page's to change.</summary>
    private static string Withheld(CallOutcome outcome, CustomerPhone? dialled, SurveyStatus status, string? holder)
    {
        var recorded = outcome.Behaviour == OutcomeBehaviour.WrongNumber && dialled is not null
            ? $"{outcome.Name} recorded: {PhoneNormaliser.Display(dialled.Number)} will not be offered again."
            : $"{outcome.Name} recorded.";
        var why = status switch
        {
            SurveyStatus.Awaiting => $"{holder ?? "Another agent"} has the customer open now, so the chase list is left to their call.",
            SurveyStatus.Completed => "The survey was completed in FOCUS, so the customer stays off the chase list.",
            SurveyStatus.Rejected or SurveyStatus.Expired => $"FOCUS closed the survey ({status}), so the customer stays off the chase list.",
            _ => $"The survey is {status} in FOCUS, so the chase list is unchanged.",
        };
        var notDone = outcome.Behaviour switch
        {
            OutcomeBehaviour.CallBackLater => " No call-back was booked.",
            OutcomeBehaviour.WrongNumber => " No follow-up message was queued.",
            _ => "",
        };
        return $"{recorded} {why}{notDone}";
    }

    /// <param name="FollowUp">Wrong number with no number left: the template of the next contact method's message.</param>
    private sealed record Decision(AttemptEffect Effect, string Message, DeclineReason? DeclineReason = null, MessageTemplate? FollowUp = null);

    private static Decision CallBack(UserScope agent, CallOutcome outcome, RecordAttemptCommand command, DateTime now)
    {
        if (command.CallbackAt is not { } requested)
            throw new DomainException("Choose the date and time to call back.");
        var at = requested.Kind == DateTimeKind.Local ? requested.ToUniversalTime() : DateTime.SpecifyKind(requested, DateTimeKind.Utc);
        if (at < now + MinCallbackLead)
            throw new DomainException($"A call back must be at least {MinCallbackLead.TotalMinutes:0} minutes from now; {ContactCentreTime.DayAndTime(at)} is too soon.");
        if (at > now + MaxCallbackLead)
            throw new DomainException($"A call back can be at most {MaxCallbackLead.TotalDays:0} days ahead; {ContactCentreTime.DayAndTime(at)} is too far.");

        if (command.ReserveCallback && outcome.CallbackReserveMinutes > 0)
        {
            var until = at.AddMinutes(outcome.CallbackReserveMinutes);
            return new(AttemptEffect.CallBack(at, agent.UserId, agent.DisplayName, until),
                $"Call back booked for {ContactCentreTime.DayAndTime(at)}, reserved for you until {ContactCentreTime.Clock(until, at)}.");
        }
        return new(AttemptEffect.CallBack(at, null, agent.DisplayName, null),
            $"Call back booked for {ContactCentreTime.DayAndTime(at)}; any agent may take it when it is due.");
    }

    private static async Task<Decision> DeclineAsync(KonnectDbContext db, RecordAttemptCommand command, DateTime now, CancellationToken ct)
    {
        if (command.DeclineReasonId is not { } reasonId)
            throw new DomainException("Choose why the customer declined, or add a new reason.");
        var reason = await db.DeclineReasons.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reasonId && r.IsActive, ct)
                     ?? throw new DomainException("That decline reason is no longer available. Choose another.");
        return new(AttemptEffect.EndsChase(now, $"Declined: {reason.Name}"),
            $"Declined ({reason.Name}) recorded; they are off the chase list.", reason);
    }

    /// <summary>
    /// Marks the number wrong (in memory; saved with the attempt). Another callable number keeps the record on the list;
    /// otherwise the chase ends and the next contact method takes over: the outcome's SMS to a mobile that can receive
    /// it, else its email to an address that has not unsubscribed, else nothing.
    /// </summary>
    private static async Task<Decision> WrongNumberAsync(KonnectDbContext db, UserScope agent, CallOutcome outcome, Customer customer,
        CustomerPhone? dialled, DateTime now, CancellationToken ct)
    {
        if (dialled is null) throw new DomainException("Choose the number that was wrong.");
        dialled.MarkWrongNumber(agent.DisplayName, now);
        var shown = PhoneNormaliser.Display(dialled.Number);
        if (customer.Phones.Any(p => p.IsCallable))
            return new(AttemptEffect.StaysOnList(now), $"Wrong number: {shown} will not be offered again; they stay on the chase list.");

        var templateIds = new[] { outcome.NextSmsTemplateId, outcome.NextEmailTemplateId }.OfType<int>().ToList();
        var templates = await db.MessageTemplates.AsNoTracking().Where(t => templateIds.Contains(t.Id) && t.IsActive).ToListAsync(ct);
        var smsTemplate = templates.FirstOrDefault(t => t.Id == outcome.NextSmsTemplateId && t.Channel == MessageChannel.Sms);
        var emailTemplate = templates.FirstOrDefault(t => t.Id == outcome.NextEmailTemplateId && t.Channel == MessageChannel.Email);
        // The same mobile the dispatcher will pick: the first, by position, that can receive SMS.
        var mobile = customer.Phones.OrderBy(p => p.Position).FirstOrDefault(p => p.CanReceiveSms);
        var email = string.IsNullOrWhiteSpace(customer.Email) || customer.EmailUnsubscribed ? null : customer.Email.Trim();

        if (mobile is not null && smsTemplate is not null)
            return new(AttemptEffect.EndsChase(now, "Wrong number, no number left to call: SMS queued"),
                $"Wrong number: no number left; an SMS is queued to {PhoneNormaliser.Display(mobile.Number)}. They are off the chase list.",
                FollowUp: smsTemplate);
        if (email is not null && emailTemplate is not null)
            return new(AttemptEffect.EndsChase(now, "Wrong number, no number left to call: email queued"),
                $"Wrong number: no number left; an email is queued to {email}. They are off the chase list.",
                FollowUp: emailTemplate);
        return new(AttemptEffect.EndsChase(now, "Wrong number, no number left to call: no other way to contact them"),
            "Wrong number: no number left and no other way to contact them; they are off the chase list.");
    }

    /// <param name="effect">Null when the chase list was left unchanged (the result says why).</param>
    private static string AuditDetails(CallOutcome outcome, string? number, DeclineReason? reason, AttemptEffect? effect, string result)
    {
        var parts = new List<string> { $"Outcome: {outcome.Name}" };
        if (number is not null) parts.Add($"number: {number}");
        if (reason is not null) parts.Add($"decline reason: {reason.Name}");
        if (effect?.CallbackDueAt is { } due) parts.Add($"call back: {due:yyyy-MM-dd HH:mm} UTC");
        if (effect?.ReservedUntil is { } until) parts.Add($"reserved until: {until:yyyy-MM-dd HH:mm} UTC");
        parts.Add($"result: {result}");
        return string.Join("; ", parts);
    }

    /// <summary>Saves the unsubscribe matrix: who unsubscribed which number × channel and the email, and when.</summary>
    public async Task<int> UnsubscribeAsync(UserScope agent, int recordId, UnsubscribeRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.SurveyRecords.AsNoTracking().Where(r => r.Id == recordId)
            .Select(r => new { r.DealershipId, r.CustomerId }).SingleOrDefaultAsync(ct);
        if (record is null || !agent.CanSee(record.DealershipId))
            throw new DomainException("That customer does not exist or is not in your dealership.");
        var customer = await db.Customers.Include(c => c.Phones).SingleAsync(c => c.Id == record.CustomerId, ct);

        var known = customer.Phones.Select(p => p.Id).ToHashSet();
        if (request.CallPhoneIds.Concat(request.SmsPhoneIds).Any(id => !known.Contains(id)))
            throw new DomainException("One of those numbers does not belong to this customer.");

        var now = Now;
        var changes = new List<string>();
        foreach (var phone in customer.Phones.OrderBy(p => p.Position))
        {
            if (request.CallPhoneIds.Contains(phone.Id) && phone.Unsubscribe(ContactChannel.Call, agent.DisplayName, now))
                changes.Add($"calls to {phone.Number}");
            if (request.SmsPhoneIds.Contains(phone.Id) && phone.Unsubscribe(ContactChannel.Sms, agent.DisplayName, now))
                changes.Add($"SMS to {phone.Number}");
        }
        if (request.Email && customer.UnsubscribeEmail(agent.DisplayName, now)) changes.Add($"email to {customer.Email}");
        if (changes.Count > 0)
        {
            AuditLog.Add(db, now, agent, UnsubscribedAction, nameof(Customer), customer.Id.ToString(),
                $"Unsubscribed {string.Join(", ", changes)}", customer.Id);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct); // the unsubscribes and their audit entry
            await NoNumberToCall.SyncAsync(db, customer.Id, ct); // no number left to call: below the callable ones
            await tx.CommitAsync(ct);
            await live.PublishAsync(new LiveEvent(LiveEventKind.RecordChanged, record.DealershipId, recordId,
                AgentId: agent.UserId, AgentName: agent.DisplayName, Reason: "unsubscribed"), ct);
        }
        return changes.Count;
    }
}
