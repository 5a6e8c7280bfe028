using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Duplicates;

/// <summary>
/// Merging one customer into another, in one transaction, audited on both:
/// <list type="bullet">
/// <item>Survey records (with their status history), calls, notes and messages move to the survivor.</item>
/// <item>Vehicles move; the same car (VIN, else registration) is kept once, its records pointed at the survivor's copy.</item>
/// <item>Numbers move into free positions; a number both have is kept once with the stricter consent (an unsubscribe or a
/// wrong number on either copy wins). Email: the survivor's, or the merged one's if it had none; unsubscribed wins.</item>
/// <item>Custom fields move; where both have a value the survivor's wins. "Different people" answers move too.</item>
/// <item>The merged customer is then deleted (not kept as a tombstone every query would have to skip); the audit entry
/// keeps who they were.</item>
/// </list>
/// Refused while an agent has a survey record of either customer open: one conditional UPDATE claims every record of
/// both that nobody holds, and if any is held the transaction rolls back. Refused too when FOCUS knows them under two
/// different customer ids (FOCUS would keep sending both), or when they have more than five numbers between them.
/// </summary>
internal static class CustomerMerge
{
    public static async Task<(CommandResult Result, List<LiveEvent> Events)> RunAsync(KonnectDbContext db, UserScope admin, int survivorId, int mergedId,
        DateTime now, CancellationToken ct)
    {
        var both = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles)
            .Where(c => c.Id == survivorId || c.Id == mergedId).AsSplitQuery().ToListAsync(ct);
        var survivor = both.SingleOrDefault(c => c.Id == survivorId);
        var merged = both.SingleOrDefault(c => c.Id == mergedId);
        if (survivor is null || merged is null || !admin.CanSee(survivor.DealershipId) || !admin.CanSee(merged.DealershipId))
            return (CommandResult.NotFound("One of these customers no longer exists (merged already?). Reload the page."), []);
        if (Refusal(survivor, merged) is { } refusal) return (CommandResult.Refused(refusal), []);

        var before = Describe(merged);
        var records = await db.SurveyRecords.AsNoTracking().Where(r => r.CustomerId == mergedId)
            .Select(r => new { r.Id, r.DealershipId, r.Status }).ToListAsync(ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Every record of both that nobody holds is claimed (and the merged customer's moved) by one UPDATE; a held one stays
        // out of it, and is found below. From this UPDATE on no agent can take either customer until we commit or roll back.
        await db.SurveyRecords.Where(r => (r.CustomerId == survivorId || r.CustomerId == mergedId) && r.LockHolderId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CustomerId, survivorId), ct);
        var held = await db.SurveyRecords.AsNoTracking()
            .Where(r => (r.CustomerId == survivorId || r.CustomerId == mergedId) && r.LockHolderId != null)
            .Select(r => new { r.CustomerId, r.LockHolderName }).FirstOrDefaultAsync(ct);
        if (held is not null)
        {
            await tx.RollbackAsync(ct);
            var name = held.CustomerId == survivorId ? survivor.FullName : merged.FullName;
            return (CommandResult.Refused($"{name} is being called by {held.LockHolderName}. Merge once the call is over; nothing was changed."), []);
        }

        var (carsMoved, carsSame) = await MoveVehiclesAsync(db, survivor, merged, ct);
        var (numbersMoved, numbersShared) = MovePhones(db, survivor, merged);
        survivor.TakeEmailFrom(merged);
        if (string.IsNullOrWhiteSpace(survivor.Title)) survivor.Title = merged.Title;
        var focusCustomerId = survivor.FocusCustomerId ?? merged.FocusCustomerId;
        merged.FocusCustomerId = null; // unique per dealership: freed before the survivor takes it
        await db.SaveChangesAsync(ct);

        var notes = await db.CustomerNotes.Where(n => n.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(n => n.CustomerId, survivorId), ct);
        var calls = await db.CallAttempts.Where(a => a.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(a => a.CustomerId, survivorId), ct);
        var messages = await db.ScheduledMessages.Where(m => m.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(m => m.CustomerId, survivorId), ct);
        await db.CaseRecords.Where(c => c.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, survivorId), ct); // the same person's cases
        var survivorFields = db.CustomFieldValues.Where(v => v.CustomerId == survivorId).Select(v => v.DefinitionId);
        var fieldsKept = await db.CustomFieldValues.Where(v => v.CustomerId == mergedId && survivorFields.Contains(v.DefinitionId)).ExecuteDeleteAsync(ct);
        var fieldsMoved = await db.CustomFieldValues.Where(v => v.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(v => v.CustomerId, survivorId), ct);
        await MoveDifferentPeopleAsync(db, survivorId, mergedId, ct);

        db.Customers.Remove(merged);
        await db.SaveChangesAsync(ct);
        await Calling.NoNumberToCall.SyncAsync(db, survivorId, ct); // the merged numbers may make the survivor callable
        survivor.FocusCustomerId = focusCustomerId;
        var emailNote = merged.Email is { } e && !string.Equals(e, survivor.Email, StringComparison.OrdinalIgnoreCase)
            ? $" The email {e} was not kept (the survivor has {survivor.Email})." : "";
        var details = $"Merged #{mergedId} {before} into #{survivorId} {survivor.FullName}: {records.Count} survey record(s), {calls} call(s), " +
                      $"{notes} note(s), {messages} message(s) moved; vehicles {carsMoved} moved, {carsSame} the same car; numbers {numbersMoved} added, " +
                      $"{numbersShared} shared (the stricter consent kept); custom fields {fieldsMoved} moved, {fieldsKept} kept the survivor's value." +
                      emailNote + $" #{mergedId} was deleted.";
        AuditLog.Add(db, now, admin, PossibleDuplicatesService.MergedAction, nameof(Customer), survivorId.ToString(), details, survivorId);
        AuditLog.Add(db, now, admin, PossibleDuplicatesService.MergedAction, nameof(Customer), mergedId.ToString(), details, mergedId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var events = records.Where(r => r.Status == SurveyStatus.Awaiting)
            .Select(r => new LiveEvent(LiveEventKind.RecordChanged, r.DealershipId, r.Id, survivor.FullName)).ToList();
        return (CommandResult.Done($"Merged into {survivor.FullName}: {records.Count} survey record(s), {calls} call(s) and {notes} note(s) moved."), events);
    }

    private static string? Refusal(Customer survivor, Customer merged)
    {
        if (survivor.DealershipId != merged.DealershipId) return "These customers are in different dealerships; only one dealership's customers can be merged.";
        if (survivor.FocusCustomerId is { } a && merged.FocusCustomerId is { } b && a != b)
            return $"FOCUS knows these as two customers (ids {a} and {b}) and would keep sending both, so a merge would not last. " +
                   "If they are one person, FOCUS has to merge them first.";
        var numbers = survivor.Phones.Select(p => p.Number).Union(merged.Phones.Select(p => p.Number)).Count();
        if (numbers > Customer.MaxPhones)
            return $"Together they have {numbers} different numbers and a customer has at most {Customer.MaxPhones}. " +
                   "Remove the numbers that are not theirs (Edit contact) and merge again.";
        return null;
    }

    private static async Task<(int Moved, int Same)> MoveVehiclesAsync(KonnectDbContext db, Customer survivor, Customer merged, CancellationToken ct)
    {
        int moved = 0, same = 0;
        foreach (var vehicle in merged.Vehicles.ToList())
        {
            var keep = (vehicle.Vin is null ? null : survivor.Vehicles.FirstOrDefault(s => s.Vin == vehicle.Vin))
                       ?? survivor.Vehicles.FirstOrDefault(s => CsiFormats.RegistrationKey(s.Registration) == CsiFormats.RegistrationKey(vehicle.Registration));
            if (keep is null)
            {
                vehicle.CustomerId = survivor.Id;
                moved++;
                continue;
            }
            keep.Vin ??= vehicle.Vin;
            keep.Make ??= vehicle.Make;
            keep.Model ??= vehicle.Model;
            await db.SurveyRecords.Where(r => r.VehicleId == vehicle.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.VehicleId, keep.Id), ct);
            db.Vehicles.Remove(vehicle);
            same++;
        }
        return (moved, same);
    }

    private static (int Moved, int Shared) MovePhones(KonnectDbContext db, Customer survivor, Customer merged)
    {
        int moved = 0, shared = 0;
        var used = survivor.Phones.Select(p => p.Position).ToHashSet();
        foreach (var phone in merged.Phones.OrderBy(p => p.Position).ToList())
        {
            if (survivor.Phones.FirstOrDefault(s => s.Number == phone.Number) is { } kept)
            {
                kept.TakeStricterConsentFrom(phone);
                db.CustomerPhones.Remove(phone);
                shared++;
                continue;
            }
            phone.Position = Enumerable.Range(1, Customer.MaxPhones).First(n => !used.Contains(n));
            used.Add(phone.Position);
            phone.CustomerId = survivor.Id;
            moved++;
        }
        return (moved, shared);
    }

    /// <summary>An admin said the merged customer is not X: nor is the survivor, now that they are one.</summary>
    private static async Task MoveDifferentPeopleAsync(KonnectDbContext db, int survivorId, int mergedId, CancellationToken ct)
    {
        var answers = await db.DifferentPeople.Where(d => d.LowerCustomerId == mergedId || d.HigherCustomerId == mergedId).ToListAsync(ct);
        if (answers.Count == 0) return;
        var known = (await db.DifferentPeople.AsNoTracking().Where(d => d.LowerCustomerId == survivorId || d.HigherCustomerId == survivorId)
            .Select(d => d.LowerCustomerId == survivorId ? d.HigherCustomerId : d.LowerCustomerId).ToListAsync(ct)).ToHashSet();
        foreach (var answer in answers)
        {
            db.DifferentPeople.Remove(answer);
            var other = answer.LowerCustomerId == mergedId ? answer.HigherCustomerId : answer.LowerCustomerId;
            if (other != survivorId && known.Add(other))
                db.DifferentPeople.Add(DifferentPeople.Of(answer.DealershipId, survivorId, other, answer.DecidedById, answer.DecidedByName, answer.DecidedAt));
        }
    }

    private static string Describe(Customer c) =>
        $"{c.FullName} ({c.Email ?? "no email"}; numbers {(c.Phones.Count == 0 ? "none" : string.Join(", ", c.Phones.OrderBy(p => p.Position).Select(p => p.Number)))}" +
        (c.FocusCustomerId is null ? "" : $"; FOCUS customer id {c.FocusCustomerId}") + ")";
}
