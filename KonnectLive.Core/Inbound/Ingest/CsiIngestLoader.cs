using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// Step 2 of a batch: loads what its records refer to — the survey records FOCUS already sent, with their customers, and
/// the customers a new record may turn out to be — a few queries per 500 records, never one per record.
/// </summary>
internal static class CsiIngestLoader
{
    private const int ChunkSize = 500;

    public static async Task<IngestWorkingSet> LoadAsync(KonnectDbContext db, List<IngestRecord> valid, CancellationToken ct)
    {
        var focusIds = valid.Select(v => v.FocusRecordId).Distinct().ToList();
        var tracked = new Dictionary<string, TrackedRecord>(StringComparer.Ordinal);
        foreach (var chunk in focusIds.Chunk(ChunkSize))
        {
            var existing = await db.SurveyRecords
                .Include(r => r.Customer).ThenInclude(c => c.Phones)
                .Include(r => r.Customer).ThenInclude(c => c.Vehicles)
                .Where(r => chunk.Contains(r.FocusRecordId))
                .AsSplitQuery().ToListAsync(ct);
            foreach (var r in existing) tracked[r.FocusRecordId] = new TrackedRecord(r, r.Status);
        }

        var customers = new CustomerMatcher();
        foreach (var t in tracked.Values) customers.Add(t.Record.Customer);
        await LoadCandidatesAsync(db, valid, valid.Where(v => !tracked.ContainsKey(v.FocusRecordId)).ToList(), customers, ct);
        return new IngestWorkingSet(tracked, customers);
    }

    /// <summary>
    /// Customers of the batch's dealerships, with their phones and vehicles, whom FOCUS knows by a customer id of the batch
    /// (a record already held may not give its customer an id someone else has), or who share a number or email with a new
    /// record.
    /// </summary>
    private static async Task LoadCandidatesAsync(KonnectDbContext db, List<IngestRecord> all, List<IngestRecord> newRecords, CustomerMatcher index,
        CancellationToken ct)
    {
        var focusCustomerIds = all.Where(v => v.FocusCustomerId is not null).Select(v => v.FocusCustomerId!).Distinct().ToList();
        var numbers = newRecords.SelectMany(v => v.Phones.Select(p => p.Number)).Distinct().ToList();
        var emails = newRecords.Where(v => v.Email is not null).Select(v => v.Email!).Distinct().ToList();
        var dealershipIds = all.Select(v => v.DealershipId).Distinct().ToList();
        var ids = new HashSet<int>();
        foreach (var chunk in focusCustomerIds.Chunk(ChunkSize))
            ids.UnionWith(await db.Customers.Where(c => dealershipIds.Contains(c.DealershipId) && chunk.Contains(c.FocusCustomerId!))
                .Select(c => c.Id).ToListAsync(ct));
        foreach (var chunk in numbers.Chunk(ChunkSize))
            ids.UnionWith(await db.CustomerPhones.Where(p => chunk.Contains(p.Number)).Select(p => p.CustomerId).ToListAsync(ct));
        foreach (var chunk in emails.Chunk(ChunkSize))
            ids.UnionWith(await db.Customers.Where(c => c.Email != null && chunk.Contains(c.Email)).Select(c => c.Id).ToListAsync(ct));
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var found = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles)
                .Where(c => chunk.Contains(c.Id) && dealershipIds.Contains(c.DealershipId))
                .AsSplitQuery().ToListAsync(ct);
            foreach (var c in found) index.Add(c);
        }
    }
}
