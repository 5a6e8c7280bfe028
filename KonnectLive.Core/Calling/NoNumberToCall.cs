using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// Keeps customers with no number left to call below the callable ones on the chase list: their chased records' keys move
/// into the <see cref="SurveyRecord.NoNumberFloor"/> band (and back out when a number becomes callable again), so the list
/// is still read in (Status, ChaseKey, Id) index order. Called wherever a customer's numbers can change: recording a call
/// (wrong number), unsubscribing, editing the contact, ingest, merging.
/// </summary>
public static class NoNumberToCall
{
    /// <summary>Moves the chased records of <paramref name="customerIds"/> into or out of the no-number band. Returns how many moved.</summary>
    public static async Task<int> SyncAsync(KonnectDbContext db, IReadOnlyCollection<int> customerIds, CancellationToken ct = default)
    {
        if (customerIds.Count == 0) return 0;
        var chasedFrom = SurveyRecord.NeverAttemptedKey;
        var sunkFrom = SurveyRecord.NoNumberFloor;
        var endedFrom = SurveyRecord.ChaseEndedFloor;
        var records = db.SurveyRecords.Where(r => customerIds.Contains(r.CustomerId));

        var sunk = await records
            .Where(r => r.ChaseKey >= chasedFrom && r.ChaseKey < sunkFrom
                        && !r.Customer.Phones.Any(p => p.CallUnsubscribedAt == null && p.WrongNumberAt == null))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ChaseKey, r => r.ChaseKey.AddYears(SurveyRecord.NoNumberYears)), ct);
        var raised = await records
            .Where(r => r.ChaseKey >= sunkFrom && r.ChaseKey < endedFrom
                        && r.Customer.Phones.Any(p => p.CallUnsubscribedAt == null && p.WrongNumberAt == null))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ChaseKey, r => r.ChaseKey.AddYears(-SurveyRecord.NoNumberYears)), ct);
        return sunk + raised;
    }

    public static Task<int> SyncAsync(KonnectDbContext db, int customerId, CancellationToken ct = default) => SyncAsync(db, [customerId], ct);
}
