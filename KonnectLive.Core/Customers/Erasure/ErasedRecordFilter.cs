using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Inbound.Ingest;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Erasure;

/// <summary>
/// Ingest's guard for erased customers (one call from <see cref="CsiIngestService"/>): a FOCUS record is not applied — nothing is
/// created or filled in again — when it is a survey record of an erased customer, or when it carries the erased person's FOCUS
/// customer id with an event no newer than the newest we held when they were erased. A newer event is a new record: it creates
/// a new customer as usual. Costs one tiny query per batch while nobody was ever erased.
/// </summary>
internal static class ErasedRecordFilter
{
    public static async Task<List<IngestRecord>> DropErasedAsync(KonnectDbContext db, List<IngestRecord> valid, CancellationToken ct)
    {
        if (valid.Count == 0 || !await db.CustomerErasures.AnyAsync(ct)) return valid;

        var ids = valid.Select(v => v.FocusRecordId).Distinct().ToList();
        var erasedRecords = (await db.SurveyRecords.AsNoTracking()
            .Where(r => ids.Contains(r.FocusRecordId) && db.Customers.Any(c => c.Id == r.CustomerId && c.ErasedAt != null))
            .Select(r => r.FocusRecordId).ToListAsync(ct)).ToHashSet();

        var hashes = valid.Where(v => v.FocusCustomerId is not null).Select(v => CustomerEraser.Hash(v.FocusCustomerId!)).Distinct().ToList();
        var tombstones = hashes.Count == 0 ? [] : await db.CustomerErasures.AsNoTracking()
            .Where(e => e.FocusCustomerIdHash != null && hashes.Contains(e.FocusCustomerIdHash))
            .Select(e => new { e.DealershipId, e.FocusCustomerIdHash, e.LatestEventDate }).ToListAsync(ct);

        var kept = new List<IngestRecord>(valid.Count);
        foreach (var v in valid)
        {
            var hash = v.FocusCustomerId is { } f ? CustomerEraser.Hash(f) : null;
            var erased = erasedRecords.Contains(v.FocusRecordId)
                || tombstones.Any(t => t.DealershipId == v.DealershipId && t.FocusCustomerIdHash == hash && (t.LatestEventDate is null || v.EventDate <= t.LatestEventDate));
            if (!erased)
            {
                kept.Add(v);
                continue;
            }
            v.Result.Result = CsiRecordOutcome.IgnoredClosed;
            v.Result.Detail = "This customer was erased on request; the record is not stored again. Only a newer event creates a new record.";
        }
        return kept;
    }
}
