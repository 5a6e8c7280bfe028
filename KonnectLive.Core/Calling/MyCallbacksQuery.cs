using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>Where a booked call-back stands at a moment.</summary>
public enum CallbackStatus
{
    /// <summary>Its time has not come: the customer is off the chase list until then.</summary>
    NotYetDue,
    /// <summary>Due now: back at the top of the chase list (and, if reserved, still kept for the agent).</summary>
    Due,
    /// <summary>Due a while ago and still not called: the reservation has lapsed, or it is <see cref="MyCallbacksQuery.OverdueAfter"/> past due.</summary>
    Overdue,
}

/// <summary>
/// One call-back the agent booked. <paramref name="LockHolderName"/>: who has the customer open now, if anyone (after a
/// reservation lapses another agent may take it). <paramref name="Note"/>: the note written with the booking call.
/// </summary>
public sealed record MyCallbackRow(
    int RecordId,
    int CustomerId,
    string CustomerName,
    int DealershipId,
    string DealershipName,
    string? Registration,
    DateTime DueAt,
    DateTime? ReservedUntil,
    DateTime BookedAt,
    string? Note,
    string? LockHolderId,
    string? LockHolderName)
{
    /// <summary>Where the call-back stands at <paramref name="nowUtc"/> (the page asks again as time passes, without reloading).</summary>
    public CallbackStatus StatusAt(DateTime nowUtc) =>
        nowUtc < DueAt ? CallbackStatus.NotYetDue
        : (ReservedUntil is { } until ? nowUtc >= until : nowUtc >= DueAt + MyCallbacksQuery.OverdueAfter) ? CallbackStatus.Overdue
        : CallbackStatus.Due;

    /// <summary>Whether <paramref name="nowUtc"/> is still inside the reservation (only the booking agent may open it).</summary>
    public bool IsReservedAt(DateTime nowUtc) => ReservedUntil > nowUtc;
}

/// <summary>
/// My call-backs: the call-backs the agent booked that are still pending — the customer still Awaiting, the chase not ended,
/// no later outcome recorded — earliest due first, within what the agent may see. A call-back is the agent's when the
/// record's latest call is theirs and booked it (an unreserved call-back keeps no agent id on the record, only the name),
/// or the record reserves it for them.
/// </summary>
public sealed class MyCallbacksQuery(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    /// <summary>An unreserved call-back this long past its time, still not called, is overdue.</summary>
    public static readonly TimeSpan OverdueAfter = TimeSpan.FromMinutes(30);

    public const int MaxRows = 500;

    public async Task<IReadOnlyList<MyCallbackRow>> ListAsync(UserScope user, CancellationToken ct = default)
    {
        if (!user.CanCall) return [];
        var me = user.UserId;
        var own = user.DealershipId;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Read from the CallbackDueAt index: only records with a pending call-back are looked at.
        var rows = await (
                from r in db.SurveyRecords.AsNoTracking()
                where r.CallbackDueAt != null && r.Status == SurveyStatus.Awaiting && r.ChaseEndedAt == null
                      && (own == null || r.DealershipId == own)
                let booking = db.CallAttempts.Where(a => a.SurveyRecordId == r.Id && a.UndoneAt == null)
                    .OrderByDescending(a => a.RecordedAt).ThenByDescending(a => a.Id).FirstOrDefault()
                where booking != null && booking.Behaviour == OutcomeBehaviour.CallBackLater
                      && (booking.AgentId == me || r.CallbackAgentId == me)
                orderby r.CallbackDueAt, r.Id
                select new
                {
                    r.Id, r.CustomerId, r.Customer.Title, r.Customer.FirstName, r.Customer.LastName, r.DealershipId, Dealership = r.Dealership.Name,
                    Registration = r.Vehicle == null ? null : r.Vehicle.Registration, DueAt = r.CallbackDueAt!.Value, r.ReservedUntil,
                    BookedAt = booking.RecordedAt, booking.Note, r.LockHolderId, r.LockHolderName, r.LockExpiresAt,
                })
            .Take(MaxRows)
            .ToListAsync(ct);
        return [.. rows.Select(r => new MyCallbackRow(r.Id, r.CustomerId,
            string.Join(' ', new[] { r.Title, r.FirstName, r.LastName }.Where(s => !string.IsNullOrWhiteSpace(s))),
            r.DealershipId, r.Dealership, r.Registration, r.DueAt, r.ReservedUntil, r.BookedAt, r.Note,
            r.LockExpiresAt > now ? r.LockHolderId : null, r.LockExpiresAt > now ? r.LockHolderName : null))];
    }
}
