using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Erasure;

/// <summary>
/// The phone-system calls held about a customer, for export and erasure: calls to or from one of their numbers
/// (<see cref="CustomerPhone.SearchDigits"/> or a number they were dialled on, matched as the interaction history does,
/// on <see cref="TelephonyCall.CustomerDigits"/>) taken by their dealership or by nobody's yet, and every call with a leg
/// whose wrap-up is one of their call attempts (<see cref="CallLeg.CallAttemptId"/>).
/// </summary>
internal static class CustomerPhoneCalls
{
    public static async Task<List<long>> IdsAsync(KonnectDbContext db, int customerId, int dealershipId, CancellationToken ct)
    {
        var digits = await db.CustomerPhones.Where(p => p.CustomerId == customerId && p.SearchDigits != null && p.SearchDigits != "")
            .Select(p => p.SearchDigits!).ToListAsync(ct);
        var dialled = await db.CallAttempts.Where(a => a.CustomerId == customerId && a.NumberDialled != null)
            .Select(a => a.NumberDialled!).Distinct().ToListAsync(ct);
        digits = digits.Concat(dialled.Select(SearchKeys.Digits)).Where(d => d != "").Distinct().ToList();
        var attempts = db.CallAttempts.Where(a => a.CustomerId == customerId).Select(a => (long?)a.Id);
        return await db.TelephonyCalls
            .Where(c => (digits.Contains(c.CustomerDigits!) && (c.DealershipId == dealershipId || c.DealershipId == null
                        || c.Legs.Any(l => l.DealershipId == dealershipId)))
                || c.Legs.Any(l => attempts.Contains(l.CallAttemptId)))
            .Select(c => c.Id).ToListAsync(ct);
    }
}
