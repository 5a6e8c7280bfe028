namespace KonnectLive.Core.Cluster;

/// <summary>
/// Which instance runs a cluster-wide periodic job (the lease sweep and call-back announcements) this time round.
/// With one instance (the embedded default) it always does; with Redis one instance holds a renewable lease per job,
/// and another takes over within a few intervals of it dying.
/// </summary>
public interface IClusterLeadership
{
    /// <summary>Whether this instance should run <paramref name="job"/> now; called once per tick of a job that runs every <paramref name="every"/>.</summary>
    Task<bool> TryLeadAsync(string job, TimeSpan every, CancellationToken ct = default);
}

/// <summary>One process: it leads every job.</summary>
public sealed class SingleInstanceLeadership : IClusterLeadership
{
    public Task<bool> TryLeadAsync(string job, TimeSpan every, CancellationToken ct = default) => Task.FromResult(true);
}
