namespace KonnectLive.Core.Calling;

/// <summary>Settings of the call-lock lease (section <c>Locking</c> in appsettings.json).</summary>
public sealed class LockOptions
{
    public const string Section = "Locking";

    /// <summary>How long a lock lives without renewal. Also the grace period after an agent's browser disappears.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often an open calling page renews its lease.</summary>
    public int RenewEverySeconds { get; set; } = 15;

    /// <summary>How often expired leases are swept (and their release announced).</summary>
    public int SweepEverySeconds { get; set; } = 10;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
