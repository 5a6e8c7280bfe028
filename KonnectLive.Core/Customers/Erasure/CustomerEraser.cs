using System.Security.Cryptography;
using System.Text;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Erasure;

/// <summary>
/// Erases a customer on request, in one transaction, keeping the rows that reports count:
/// <list type="bullet">
/// <item>the customer keeps its row with names, title, email and FOCUS id emptied (so the search columns are emptied too,
/// <see cref="SearchKeys"/>) and <see cref="Customer.ErasedAt"/> set; their numbers are deleted; vehicles keep only their rows;</item>
/// <item>notes and custom field values are deleted; calls keep outcome, time, agent and duration but lose the note and number;</item>
/// <item>messages still scheduled are cancelled; every message and outbox row loses recipient, subject and text;</item>
/// <item>phone-system calls to or from their numbers, or wrapped up as one of their calls (<see cref="CustomerPhoneCalls"/>), lose
/// ANI, DNIS and recording URL in the call and in every raw event of it; their legs stay as they are for the reports;</item>
/// <item>survey records stay (status, score, attempt count) with their chase ended; audit entries about them lose their details;</item>
/// <item>a <see cref="CustomerErasure"/> is kept so that FOCUS re-sending them creates nothing (<see cref="ErasedRecordFilter"/>),
/// and the erasure is audited (<c>customer.erased</c>).</item>
/// </list>
/// Admins only, checked here. Refused while an agent has the customer open (the call's outcome would write after us).
/// </summary>
public sealed class CustomerEraser(IDbContextFactory<KonnectDbContext> dbFactory, ILiveEventPublisher live, TimeProvider time)
{
    public const string AuditAction = "customer.erased";
    public const string ErasedDetails = "[erased on request]";
    public const string ErasedCaseTitle = "Case of a customer erased on request";

    public async Task<CommandResult> EraseAsync(UserScope admin, int customerId, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden("Only administrators can erase a customer.");
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var customer = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles).AsSplitQuery()
            .SingleOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null || !admin.CanSee(customer.DealershipId)) return CommandResult.NotFound("That customer does not exist or is not in your dealership.");
        if (customer.ErasedAt is not null) return CommandResult.Unchanged("This customer was already erased.");
        var holder = await db.SurveyRecords.Where(r => r.CustomerId == customerId && r.LockHolderId != null && r.LockExpiresAt > now)
            .Select(r => r.LockHolderName).FirstOrDefaultAsync(ct);
        if (holder is not null) return CommandResult.Refused($"{holder} has this customer open. Erase them once the call is recorded.");

        var records = await db.SurveyRecords.Where(r => r.CustomerId == customerId)
            .Select(r => new { r.Id, r.EventDate, r.ChaseEndedAt, r.DealershipId }).ToListAsync(ct);
        db.CustomerErasures.Add(new CustomerErasure
        {
            DealershipId = customer.DealershipId, CustomerId = customerId, ErasedAt = now, ErasedBy = Cut(admin.DisplayName, 100),
            FocusCustomerIdHash = customer.FocusCustomerId is { } focusId ? Hash(focusId) : null,
            LatestEventDate = records.Count == 0 ? null : records.Max(r => r.EventDate),
        });

        // Before their numbers go: the phone-system calls held about them (matched on those numbers and on wrap-ups).
        var phoneCalls = await CustomerPhoneCalls.IdsAsync(db, customerId, customer.DealershipId, ct);

        customer.Title = null;
        customer.FirstName = "";
        customer.LastName = "";
        customer.Email = null;
        customer.FocusCustomerId = null;
        customer.ErasedAt = now;
        db.CustomerPhones.RemoveRange(customer.Phones);
        foreach (var v in customer.Vehicles)
        {
            v.Registration = "";
            v.Vin = null;
            v.Make = null;
            v.Model = null;
        }
        await db.SaveChangesAsync(ct); // the search columns follow the emptied fields here

        var notes = await db.CustomerNotes.Where(n => n.CustomerId == customerId).ExecuteDeleteAsync(ct);
        await db.CustomFieldValues.Where(v => v.CustomerId == customerId).ExecuteDeleteAsync(ct);
        // A request's values are what the customer said; its type, dealership and date stay for the "Requests by type" report.
        await db.CustomerRequestValues.Where(v => db.CustomerRequests.Any(r => r.Id == v.CustomerRequestId && r.CustomerId == customerId)).ExecuteDeleteAsync(ct);
        await db.CustomerRequests.Where(r => r.CustomerId == customerId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ErasedAt, now), ct);
        var calls = await db.CallAttempts.Where(a => a.CustomerId == customerId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Note, (string?)null).SetProperty(a => a.NumberDialled, (string?)null).SetProperty(a => a.UndoState, (string?)null), ct);
        var cancelled = await db.ScheduledMessages.Where(m => m.CustomerId == customerId && m.State == MessageState.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MessageState.Cancelled).SetProperty(m => m.CompletedAt, now)
                .SetProperty(m => m.SkipReason, "The customer was erased on request."), ct);
        var keys = db.ScheduledMessages.Where(m => m.CustomerId == customerId).Select(m => m.IdempotencyKey);
        await db.OutboxMessages.Where(o => keys.Contains(o.IdempotencyKey))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Recipient, "").SetProperty(o => o.Subject, (string?)null).SetProperty(o => o.Body, ""), ct);
        await db.ScheduledMessages.Where(m => m.CustomerId == customerId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Recipient, (string?)null).SetProperty(m => m.Subject, (string?)null).SetProperty(m => m.Body, (string?)null)
            .SetProperty(m => m.CustomBody, (string?)null).SetProperty(m => m.CustomSubject, (string?)null), ct);
        // Phone-system calls: numbers and recording gone from the events and the call; the legs (type, times, agent,
        // dealership, queue, wrap-up link) stay for the reports.
        var callKeys = db.TelephonyCalls.Where(c => phoneCalls.Contains(c.Id));
        await db.TelephonyEvents.Where(e => callKeys.Any(c => c.ApiClientId == e.ApiClientId && c.CallId == e.CallId))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Ani, (string?)null).SetProperty(e => e.Dnis, (string?)null)
                .SetProperty(e => e.RecordingUrl, (string?)null), ct);
        await db.TelephonyCalls.Where(c => phoneCalls.Contains(c.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Ani, (string?)null).SetProperty(c => c.Dnis, (string?)null).SetProperty(c => c.CustomerNumber, (string?)null)
            .SetProperty(c => c.CustomerDigits, (string?)null).SetProperty(c => c.RecordingUrl, (string?)null), ct);
        var legs = await db.CallLegs.CountAsync(l => phoneCalls.Contains(l.TelephonyCallId), ct);
        // Case records: the title (its template may hold the name or number) and the number go; the case, its queue, tags,
        // dates and sessions stay for the Cases list and reports. A case kept by number is cleared when it holds their calls.
        var cases = await db.CaseRecords
            .Where(c => c.CustomerId == customerId || (c.CustomerId == null && c.Sessions.Any(s => phoneCalls.Contains(s.TelephonyCallId))))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Title, ErasedCaseTitle).SetProperty(c => c.PhoneNumber, (string?)null)
                .SetProperty(c => c.CustomerDigits, (string?)null), ct);
        var ended = AttemptEffect.EndsChase(now, "Customer erased on request");
        var chased = records.Where(r => r.ChaseEndedAt is null).Select(r => r.Id).ToList();
        await db.SurveyRecords.Where(r => chased.Contains(r.Id)).ExecuteUpdateAsync(ended.Apply, ct);
        await db.AuditEntries.Where(a => a.CustomerId == customerId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, ErasedDetails), ct);

        AuditLog.Add(db, now, admin, AuditAction, nameof(Customer), customerId.ToString(),
            $"Customer #{customerId} erased on request: {Wording.Plural(records.Count, "survey record")} and {Wording.Plural(calls, "call")} kept for " +
            $"reports without personal data; " +
            $"{Wording.Plural(legs, "phone-system call leg")} kept without numbers or recording; {Wording.Plural(cases, "case")} kept without title or number; {Wording.Plural(notes, "note")} deleted; {Wording.Plural(cancelled, "scheduled message")} stopped.", customerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        foreach (var id in chased)
            await live.PublishAsync(new LiveEvent(LiveEventKind.RecordRemoved, customer.DealershipId, id, Reason: "Customer erased"), CancellationToken.None);
        return CommandResult.Done($"Customer erased. {Wording.Plural(records.Count, "survey record")} and {Wording.Plural(calls, "call")} stay in the reports without personal data.");
    }

    /// <summary>SHA-256 of FOCUS's customer id (trimmed), hex: recognises a re-send without keeping the id.</summary>
    public static string Hash(string focusCustomerId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(focusCustomerId.Trim())));

    private static string Cut(string s, int max) => s.Length > max ? s[..max] : s;
}
