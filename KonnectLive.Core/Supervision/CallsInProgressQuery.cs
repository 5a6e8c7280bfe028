using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Supervision;

/// <summary>
/// One call happening now: a held, unexpired KonnectLive lock (<see cref="RecordId"/> set), or a phone-system call leg
/// that is connected and has not ended (<see cref="CallId"/> set, <see cref="RecordId"/> 0). For a phone-system call
/// <see cref="CustomerName"/> is the customer when exactly one customer of the agent's dealership has the number, else
/// the number itself (<see cref="Number"/>).
/// </summary>
public sealed record CallInProgress(
    int RecordId,
    int DealershipId,
    string DealershipName,
    string CustomerName,
    string AgentId,
    string AgentName,
    DateTime StartedAt,
    DateTime ExpiresAt,
    string? CallId = null,
    string? Number = null)
{
    /// <summary>A call the phone system reported, not a lock taken in KonnectLive: nothing to force-release.</summary>
    public bool FromPhoneSystem => CallId is not null;
}

/// <summary>
/// Every call in progress the supervisor may see, longest-running first: KonnectLive's call locks merged with the phone
/// system's connected call legs (the same legs that put an agent On call). An agent who holds a lock is shown once, by
/// the lock (a click-to-dial call from the calling page is both); an agent on a phone call without a lock is shown by
/// the call. Everything is read from the shared database, so every instance of a cluster shows the same calls.
/// </summary>
public sealed class CallsInProgressQuery(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time, IOptions<AgentStateOptions> agentStates)
{
    public async Task<IReadOnlyList<CallInProgress>> GetAsync(UserScope supervisor, CancellationToken ct = default)
    {
        SupervisorAccess.Demand(supervisor);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.LockHolderId != null && r.LockExpiresAt > now
                        && (supervisor.DealershipId == null || r.DealershipId == supervisor.DealershipId))
            .Select(r => new
            {
                r.Id, r.DealershipId, Dealership = r.Dealership.Name,
                Customer = (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName,
                r.LockHolderId, r.LockHolderName, r.LockAcquiredAt, r.LockExpiresAt,
            })
            .ToListAsync(ct);
        var locks = rows
            .Select(r => new CallInProgress(r.Id, r.DealershipId, r.Dealership, r.Customer, r.LockHolderId!,
                r.LockHolderName ?? r.LockHolderId!, r.LockAcquiredAt ?? now, r.LockExpiresAt!.Value))
            .ToList();
        var phoneCalls = await PhoneCallsAsync(db, supervisor, now, locks.Select(l => l.AgentId).ToHashSet(), ct);
        // A handful of rows (one per agent at most): sorting here keeps SQLite's DateTime ordering out of the question.
        return [.. locks.Concat(phoneCalls).OrderBy(c => c.StartedAt).ThenBy(c => c.AgentName)];
    }

    /// <summary>
    /// The phone system's calls in progress: connected legs of KonnectLive users with no end yet, younger than the maximum
    /// call time (an older one lost its end event: <see cref="AgentStateService.ApplyMaxCallTimeAsync"/>), one per agent
    /// (their latest), for agents not already shown by a lock.
    /// </summary>
    private async Task<List<CallInProgress>> PhoneCallsAsync(KonnectDbContext db, UserScope supervisor, DateTime now,
        HashSet<string> lockHolders, CancellationToken ct)
    {
        var maxMinutes = agentStates.Value.MaxCallMinutes;
        DateTime? staleBefore = maxMinutes > 0 ? now.AddMinutes(-maxMinutes) : null;
        var own = supervisor.DealershipId;
        var legs = await (from l in db.CallLegs.AsNoTracking()
                          join u in db.Users on l.UserId equals u.Id
                          where l.UserId != null && l.Connected && l.EndedAt == null && l.Call.EndedAt == null
                                && (staleBefore == null || l.StartedAt > staleBefore)
                                && (own == null || l.DealershipId == own)
                          select new
                          {
                              l.UserId, u.DisplayName, u.UserName, l.DealershipId,
                              Dealership = l.DealershipId == null ? null : db.Dealerships.Where(d => d.Id == l.DealershipId).Select(d => d.Name).FirstOrDefault(),
                              l.StartedAt, l.Call.CallId, l.Call.CustomerNumber, l.Call.CustomerDigits,
                          }).ToListAsync(ct);
        var latest = legs.Where(l => !lockHolders.Contains(l.UserId!))
            .GroupBy(l => l.UserId!).Select(g => g.OrderByDescending(l => l.StartedAt).First()).ToList();
        if (latest.Count == 0) return [];

        // Who is on the other end: the one customer (of the agent's dealership, or any for head office) with that number.
        var digits = latest.Select(l => l.CustomerDigits).Where(d => !string.IsNullOrEmpty(d)).Select(d => d!).Distinct().ToList();
        var owners = digits.Count == 0 ? [] : await db.Customers.AsNoTracking()
            .Where(c => c.ErasedAt == null && c.Phones.Any(p => digits.Contains(p.SearchDigits!)))
            .Select(c => new
            {
                c.DealershipId,
                Name = (c.Title == null ? "" : c.Title + " ") + c.FirstName + " " + c.LastName,
                Digits = c.Phones.Where(p => digits.Contains(p.SearchDigits!)).Select(p => p.SearchDigits!).ToList(),
            })
            .ToListAsync(ct);
        return [.. latest.Select(l =>
        {
            var matches = owners.Where(o => l.CustomerDigits is { } d && o.Digits.Contains(d) && (l.DealershipId == null || o.DealershipId == l.DealershipId))
                .Select(o => o.Name).Distinct().Take(2).ToList();
            var shown = l.CustomerNumber is { } n ? PhoneNormaliser.Display(n) : null; // as the agent reads it
            var number = shown ?? "an unknown number";
            return new CallInProgress(0, l.DealershipId ?? 0, l.Dealership ?? "Head office", matches.Count == 1 ? matches[0] : number,
                l.UserId!, string.IsNullOrEmpty(l.DisplayName) ? l.UserName ?? l.UserId! : l.DisplayName, l.StartedAt,
                staleBefore is null ? DateTime.MaxValue : l.StartedAt.AddMinutes(maxMinutes), l.CallId, shown);
        })];
    }
}
