using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Supervision;

/// <summary>One call happening now: a held, unexpired lock.</summary>
public sealed record CallInProgress(
    int RecordId,
    int DealershipId,
    string DealershipName,
    string CustomerName,
    string AgentId,
    string AgentName,
    DateTime StartedAt,
    DateTime ExpiresAt);

/// <summary>Every call in progress the supervisor may see, longest-running first.</summary>
public sealed class CallsInProgressQuery(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
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
        // A handful of rows (one per agent at most): sorting here keeps SQLite's DateTime ordering out of the question.
        return rows
            .Select(r => new CallInProgress(r.Id, r.DealershipId, r.Dealership, r.Customer, r.LockHolderId!,
                r.LockHolderName ?? r.LockHolderId!, r.LockAcquiredAt ?? now, r.LockExpiresAt!.Value))
            .OrderBy(c => c.StartedAt).ThenBy(c => c.AgentName)
            .ToList();
    }
}
