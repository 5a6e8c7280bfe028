using KonnectLive.Core.Calling;
using KonnectLive.Core.Users;

namespace KonnectLive.Bench.Hosting;

/// <summary>
/// The bench's one seam onto the lock API, so that its coming change (a page token on Acquire/Renew/Release, and
/// First/Previous/Next in a Core ChaseNavigator) is a one-line change here. Everything else calls these.
/// </summary>
public sealed class LockPath(CallLockService locks, ChaseListQuery chaseList)
{
    /// <summary>The bench's "page": one token per claimer once the lock API takes one.</summary>
    public sealed record Holder(UserScope Agent);

    public static Holder For(UserScope agent) => new(agent);

    public async Task<bool> OpenAsync(Holder holder, int recordId) => (await locks.AcquireAsync(holder.Agent, recordId)).Succeeded;

    public Task<bool> ReleaseAsync(Holder holder, int recordId) => locks.ReleaseAsync(holder.Agent, recordId);

    /// <summary>
    /// Next as the calling page does it today (CallingPage.MoveAsync): find the neighbour, give the current one back, open
    /// the neighbour (one try here). Returns the record now held, or null.
    /// </summary>
    public async Task<int?> NextAsync(Holder holder, int current)
    {
        var candidate = await chaseList.FindNeighbourAsync(holder.Agent, current, ChaseDirection.Next);
        if (candidate is not { } id || id == current) return null;
        await locks.ReleaseAsync(holder.Agent, current);
        return (await locks.AcquireAsync(holder.Agent, id)).Succeeded ? id : null;
    }
}
