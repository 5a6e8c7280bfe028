using KonnectLive.Core.Calling;
using KonnectLive.Core.Users;

namespace KonnectLive.Bench.Hosting;

/// <summary>
/// The bench's one seam onto the lock API: the calling page's own calls (CallLockService with the page's token, and
/// First/Previous/Next through the Core ChaseNavigator), so the bench measures exactly what an agent's page does.
/// </summary>
public sealed class LockPath(CallLockService locks, ChaseNavigator navigator)
{
    /// <summary>The bench's "page": an agent and the token of the calling page that holds the lease.</summary>
    public sealed record Holder(UserScope Agent, string PageToken);

    public static Holder For(UserScope agent) => new(agent, Guid.NewGuid().ToString("N"));

    public async Task<bool> OpenAsync(Holder holder, int recordId) =>
        (await locks.AcquireAsync(holder.Agent, recordId, holder.PageToken)).Succeeded;

    public Task<bool> ReleaseAsync(Holder holder, int recordId) => locks.ReleaseAsync(holder.Agent, recordId, holder.PageToken);

    /// <summary>Next as the calling page does it: the navigator releases, finds the neighbour and opens it. Returns the record now held, or null.</summary>
    public async Task<int?> NextAsync(Holder holder, int current)
    {
        var move = await navigator.MoveAsync(holder.Agent, current, holder.PageToken, ChaseDirection.Next);
        return move.Outcome == ChaseMoveOutcome.Opened ? move.RecordId : null;
    }
}
