using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// Tells open chase lists about changes that happen by the clock alone, with nobody acting: a call-back falling due
/// (the record comes back, at the top) and a call-back reservation lapsing (any agent may now take it).
/// <para>
/// No schema is needed: both moments are already stored (<see cref="SurveyRecord.CallbackDueAt"/>, indexed, and
/// <see cref="SurveyRecord.ReservedUntil"/>), and the list itself always reads the truth from the database by the
/// clock. The caller only keeps, in memory, the time it last asked up to. An announcement lost to a restart costs an
/// open list one refresh at most (it is correct again on its next reload), and two app instances announcing the same
/// moment make lists reload twice — so neither needs a stored "announced" flag.
/// </para>
/// </summary>
public sealed class CallbackAnnouncer(IDbContextFactory<KonnectDbContext> dbFactory, ILiveEventPublisher live)
{
    public const string DueReason = "call back due";
    public const string LapsedReason = "call back reservation lapsed";

    /// <summary>Announces the call-backs that fell due, and the reservations that lapsed, in (<paramref name="after"/>, <paramref name="upTo"/>]. Returns how many.</summary>
    public async Task<int> AnnounceAsync(DateTime after, DateTime upTo, CancellationToken ct = default)
    {
        if (upTo <= after) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var chased = db.SurveyRecords.AsNoTracking().Where(r => r.Status == SurveyStatus.Awaiting && r.ChaseEndedAt == null);
        var due = await chased
            .Where(r => r.CallbackDueAt > after && r.CallbackDueAt <= upTo)
            .OrderBy(r => r.CallbackDueAt)
            .Select(r => new { r.Id, r.DealershipId, Customer = r.Customer.FirstName + " " + r.Customer.LastName })
            .ToListAsync(ct);
        // A reservation ends after its call-back is due, so "due by now" keeps this on the CallbackDueAt index too.
        var lapsed = await chased
            .Where(r => r.CallbackDueAt <= upTo && r.ReservedUntil > after && r.ReservedUntil <= upTo)
            .OrderBy(r => r.ReservedUntil)
            .Select(r => new { r.Id, r.DealershipId, Customer = r.Customer.FirstName + " " + r.Customer.LastName, r.CallbackAgentId, r.CallbackAgentName })
            .ToListAsync(ct);

        foreach (var r in due)
            await live.PublishAsync(new LiveEvent(LiveEventKind.RecordAdded, r.DealershipId, r.Id, r.Customer, Reason: DueReason), ct);
        foreach (var r in lapsed)
            await live.PublishAsync(new LiveEvent(LiveEventKind.RecordChanged, r.DealershipId, r.Id, r.Customer, r.CallbackAgentId,
                r.CallbackAgentName, LapsedReason), ct);
        return due.Count + lapsed.Count;
    }
}
