using FluentValidation;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
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
            .Select(o => new OutcomeView(o.Id, o.Name, o.Colour)).ToListAsync(ct);

        return new CallingView(r.Id, r.FocusRecordId, r.CustomerId, r.Customer.FullName, r.DealershipId, r.Dealership.Name,
            r.Vehicle?.Registration, r.Vehicle?.Description, r.Vehicle?.Vin, r.Status, r.Score, r.EventType, r.EventDate,
            r.AttemptCount, r.LastAttemptAt, r.Customer.Email, r.Customer.EmailUnsubscribed,
            r.Customer.Phones.OrderBy(p => p.Position)
                .Select(p => new PhoneView(p.Id, p.Position, p.Number, p.Type.ToString(), p.CallUnsubscribed, p.SmsUnsubscribed)).ToList(),
            outcomes);
    }

    /// <summary>
    /// Records the call, moves the record to the bottom of the list and releases the lock — in one transaction.
    /// Refused when another agent holds the record: their call is the one in progress.
    /// </summary>
    public async Task<AttemptResult> RecordAttemptAsync(UserScope agent, RecordAttemptCommand command, CancellationToken ct = default)
    {
        if (!agent.CanCall) throw new DomainException("You are not enabled for CSI Voice, so you cannot record calls.");
        await validator.ValidateAndThrowAsync(command, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.Id == command.RecordId)
            .Select(r => new { r.Id, r.DealershipId, r.CustomerId, Phones = r.Customer.Phones.Select(p => new { p.Number, p.CallUnsubscribedAt }).ToList() })
            .SingleOrDefaultAsync(ct);
        if (record is null || !agent.CanSee(record.DealershipId))
            throw new DomainException("That customer does not exist or is not in your dealership.");
        var outcome = await db.CallOutcomes.AsNoTracking().SingleOrDefaultAsync(o => o.Id == command.OutcomeId && o.IsActive, ct)
                      ?? throw new DomainException("That outcome is no longer available. Choose another.");
        if (command.NumberDialled is { } dialled)
        {
            var phone = record.Phones.FirstOrDefault(p => p.Number == dialled)
                        ?? throw new DomainException("The number dialled is not one of this customer's numbers.");
            if (phone.CallUnsubscribedAt is not null)
                throw new DomainException($"{dialled} is unsubscribed from calls.");
        }

        var now = Now;
        // A call starts when the page opened or a number was clicked; a start more than a shift ago is not a real call.
        if (command.StartedAt < now.AddHours(-12))
            throw new DomainException("The call's start time is not plausible; reopen the customer and record the call again.");
        var started = command.StartedAt > now ? now : command.StartedAt;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.SurveyRecords
            .Where(r => r.Id == command.RecordId
                        && (r.LockHolderId == null || r.LockHolderId == agent.UserId || r.LockExpiresAt <= now))
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(r => r.AttemptCount, r => r.AttemptCount + 1)
                 .SetProperty(r => r.LastAttemptAt, now)
                 .SetProperty(r => r.ChaseKey, now);
                CallLockService.ClearLock(s);
            }, ct);
        if (rows == 0)
            throw new DomainException("Another agent has this customer open now, so your outcome was not recorded.");

        db.CallAttempts.Add(new CallAttempt
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId,
            AgentId = agent.UserId, AgentName = agent.DisplayName, NumberDialled = command.NumberDialled,
            StartedAt = started, DurationSeconds = (int)Math.Max(0, (now - started).TotalSeconds),
            OutcomeId = outcome.Id, Note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim(), RecordedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        await live.PublishAsync(new LiveEvent(LiveEventKind.AttemptRecorded, record.DealershipId, record.Id,
            AgentId: agent.UserId, AgentName: agent.DisplayName, Reason: outcome.Name), ct);
        return new AttemptResult($"{outcome.Name} recorded.", outcome.Behaviour != OutcomeBehaviour.KeepOnList);
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
        var changes = 0;
        foreach (var phone in customer.Phones)
        {
            if (request.CallPhoneIds.Contains(phone.Id) && phone.Unsubscribe(Customers.ContactChannel.Call, agent.DisplayName, now)) changes++;
            if (request.SmsPhoneIds.Contains(phone.Id) && phone.Unsubscribe(Customers.ContactChannel.Sms, agent.DisplayName, now)) changes++;
        }
        if (request.Email && customer.UnsubscribeEmail(agent.DisplayName, now)) changes++;
        if (changes > 0)
        {
            await db.SaveChangesAsync(ct);
            await live.PublishAsync(new LiveEvent(LiveEventKind.RecordChanged, record.DealershipId, recordId,
                AgentId: agent.UserId, AgentName: agent.DisplayName, Reason: "unsubscribed"), ct);
        }
        return changes;
    }
}
