using KonnectLive.Core.Audit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// The identity changes records proposed but could not make (<see cref="CsiCustomerData"/>), into the audit log in the
/// batch's transaction, each once: FOCUS resending a record does not repeat its proposal.
/// </summary>
internal static class CsiProposedChanges
{
    public const string AuditAction = "customer.change-proposed";
    private const int ChunkSize = 500;

    /// <summary>Call after the batch's customers are saved (a customer created earlier in the batch needs its id).</summary>
    public static async Task AuditAsync(KonnectDbContext db, IReadOnlyList<ProposedIdentityChange> proposals, DateTime now, CancellationToken ct)
    {
        if (proposals.Count == 0) return;
        var recorded = new Dictionary<int, List<string>>();
        foreach (var chunk in proposals.Select(p => (int?)p.Customer.Id).Distinct().Chunk(ChunkSize))
        {
            var rows = await db.AuditEntries.AsNoTracking()
                .Where(a => a.Action == AuditAction && chunk.Contains(a.CustomerId))
                .Select(a => new { a.CustomerId, a.Details }).ToListAsync(ct);
            foreach (var r in rows)
                (recorded.TryGetValue(r.CustomerId!.Value, out var list) ? list : recorded[r.CustomerId.Value] = []).Add(r.Details ?? "");
        }
        foreach (var p in proposals)
        {
            // The same record proposing the same change again (a resend, or the next status) is not news.
            var what = What(p);
            var known = recorded.TryGetValue(p.Customer.Id, out var list) ? list : recorded[p.Customer.Id] = [];
            if (known.Any(d => d.StartsWith(what, StringComparison.Ordinal))) continue;
            var details = $"{what} Matched on {p.MatchedOn}; the stored values were kept, as only FOCUS's customer id may change who a customer is.";
            known.Add(details);
            AuditLog.Add(db, now, null, AuditAction, nameof(Customer), p.Customer.Id.ToString(), details, p.Customer.Id);
        }
    }

    private static string What(ProposedIdentityChange p) => $"FOCUS record {p.FocusRecordId} proposes {string.Join("; ", p.Changes)}.";
}
