using System.Text.Encodings.Web;
using System.Text.Json;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Erasure;

/// <summary>The export as a file: its name and UTF-8 JSON.</summary>
public sealed record CustomerExportFile(string FileName, byte[] Json);

/// <summary>
/// "Everything held about this customer", for a subject-access request: the customer, numbers (with consent), vehicles,
/// custom fields, survey records and their status history, calls, requests with their fields, phone-system call legs (<see cref="CustomerPhoneCalls"/>), notes, messages (with what the outbox recorded) and the
/// audit entries about them, as one JSON document. Admins only (checked here, from the database scope); audited
/// (<c>customer.exported</c>). Raw FOCUS request bodies in the inbound log are not searched (they hold whole batches and
/// are emptied after the retention period).
/// </summary>
public sealed class CustomerDataExport(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public const string AuditAction = "customer.exported";
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file to read, never embedded in a page
    };

    /// <summary>The export, or null when the user is not an admin who may see this customer (the caller answers 403/404 alike).</summary>
    public async Task<CustomerExportFile?> ExportAsync(UserScope admin, int customerId, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.AsNoTracking().Include(c => c.Phones).Include(c => c.Vehicles).Include(c => c.Dealership)
            .AsSplitQuery().SingleOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null || !admin.CanSee(customer.DealershipId)) return null;

        var now = time.GetUtcNow().UtcDateTime;
        var surveys = await db.SurveyRecords.AsNoTracking().Include(r => r.History).Where(r => r.CustomerId == customerId)
            .OrderBy(r => r.Id).ToListAsync(ct);
        var calls = await db.CallAttempts.AsNoTracking().Where(a => a.CustomerId == customerId).OrderBy(a => a.Id)
            .Select(a => new
            {
                a.Id, a.SurveyRecordId, a.StartedAt, a.RecordedAt, a.DurationSeconds, a.AgentName, a.NumberDialled, Outcome = a.Outcome.Name,
                Behaviour = a.Behaviour.ToString(), DeclineReason = a.DeclineReason != null ? a.DeclineReason.Name : null, a.CallbackAt, a.Note,
                a.UndoneAt, a.UndoneBy,
            }).ToListAsync(ct);
        var phoneCalls = await CustomerPhoneCalls.IdsAsync(db, customerId, customer.DealershipId, ct);
        var legs = await db.CallLegs.AsNoTracking().Where(l => phoneCalls.Contains(l.TelephonyCallId))
            .OrderBy(l => l.StartedAt).ThenBy(l => l.Id)
            .Select(l => new
            {
                l.Id, l.Call.CallId, Type = l.Type.ToString(), Direction = l.Call.Direction.ToString(), l.Call.Ani, l.Call.Dnis,
                l.Call.CustomerNumber, l.Call.Queue, l.Call.Language, l.StartedAt, l.EndedAt, l.Connected, l.DurationSeconds, l.HoldSeconds,
                AgentName = l.User != null ? l.User.DisplayName : l.Agent, EndReason = l.Call.EndReason.ToString(), l.Call.RecordingUrl,
                l.CallAttemptId,
            }).ToListAsync(ct);
        var notes = await db.CustomerNotes.AsNoTracking().Where(n => n.CustomerId == customerId).OrderBy(n => n.Id)
            .Select(n => new { n.Id, n.AuthorName, n.Text, n.CreatedAt, n.EditedAt, n.CallAttemptId }).ToListAsync(ct);
        var fields = await db.CustomFieldValues.AsNoTracking().Where(v => v.CustomerId == customerId)
            .Select(v => new { Field = v.Definition.Name, v.Value, v.UpdatedAt, v.UpdatedBy }).ToListAsync(ct);
        var requests = (await Requests.RequestsQuery.LoadAsync(db,
                await db.CustomerRequests.AsNoTracking().Where(r => r.CustomerId == customerId).Select(r => r.Id).ToListAsync(ct), ct))
            .Select(r => new
            {
                r.Id, Type = r.TypeName, Status = r.Status.ToString(), r.RaisedAt, r.RaisedByName, r.UpdatedAt, r.CallAttemptId, r.CallLegId,
                Fields = r.Values.Where(v => v.Value is not null).Select(v => new { Field = v.Name, v.Value }),
            }).ToList();
        var messages = await db.ScheduledMessages.AsNoTracking().Where(m => m.CustomerId == customerId).OrderBy(m => m.Id)
            .Select(m => new
            {
                m.Id, m.SurveyRecordId, Channel = m.Channel.ToString(), State = m.State.ToString(), Template = m.Template != null ? m.Template.Name : null,
                m.CreatedAt, m.CreatedBy, m.DueAt, m.SentAt, m.Recipient, m.Subject, Body = m.Body ?? m.CustomBody, m.SkipReason, m.LastError,
                Outbox = db.OutboxMessages.Where(o => o.IdempotencyKey == m.IdempotencyKey)
                    .Select(o => new { o.Recipient, o.Subject, o.Body, o.SentAt }).FirstOrDefault(),
            }).ToListAsync(ct);
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.CustomerId == customerId).OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => new { a.At, a.UserName, a.Action, a.EntityType, a.EntityId, a.Details }).ToListAsync(ct);

        var document = new
        {
            ExportedAt = now, ExportedBy = admin.DisplayName,
            Customer = new
            {
                customer.Id, Dealership = customer.Dealership.Name, customer.Title, customer.FirstName, customer.LastName, customer.Email,
                customer.FocusCustomerId, customer.EmailUnsubscribedAt, customer.EmailUnsubscribedBy, customer.ErasedAt,
                Phones = customer.Phones.OrderBy(p => p.Position).Select(p => new
                {
                    p.Position, p.Number, Type = p.Type.ToString(), p.CallUnsubscribedAt, p.CallUnsubscribedBy, p.SmsUnsubscribedAt,
                    p.SmsUnsubscribedBy, p.WrongNumberAt, p.WrongNumberBy,
                }),
                Vehicles = customer.Vehicles.OrderBy(v => v.Id).Select(v => new { v.Registration, v.Vin, v.Make, v.Model }),
                CustomFields = fields,
            },
            Surveys = surveys.Select(r => new
            {
                r.Id, r.FocusRecordId, Status = r.Status.ToString(), r.StatusChangedAt, r.Score, EventType = r.EventType.ToString(), r.EventDate,
                r.ReceivedAt, r.AttemptCount, r.LastAttemptAt, r.CallbackDueAt, r.CallbackAgentName, r.ChaseEndedAt, r.ChaseEndedReason,
                History = r.History.OrderBy(h => h.ChangedAt).Select(h => new { Status = h.Status.ToString(), h.ChangedAt, h.ReceivedAt }),
            }),
            Calls = calls,
            CallLegs = legs,
            Notes = notes,
            Requests = requests,
            Messages = messages,
            AuditEntries = audit,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, Json);

        AuditLog.Add(db, now, admin, AuditAction, nameof(Customer), customerId.ToString(),
            $"Exported everything held about customer #{customerId} ({bytes.Length:N0} bytes).", customerId);
        await db.SaveChangesAsync(ct);
        return new CustomerExportFile($"customer-{customerId}-{now:yyyyMMdd-HHmmss}.json", bytes);
    }
}
