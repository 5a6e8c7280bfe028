namespace KonnectLive.Core.Calling;

public enum LockOutcome
{
    /// <summary>The agent now holds the lease.</summary>
    Acquired,
    /// <summary>Another agent holds an unexpired lease.</summary>
    HeldByOther,
    /// <summary>The agent already holds another customer and must finish or re-list it first.</summary>
    AlreadyHoldingAnother,
    /// <summary>A call-back on the record is reserved for another agent until its reservation lapses.</summary>
    ReservedForOther,
    /// <summary>The record is closed, not Awaiting, or unknown to this agent.</summary>
    NotAvailable,
    /// <summary>The agent may not lock customers at all.</summary>
    NotPermitted,
}

public sealed record LockResult(LockOutcome Outcome, string Message, string? CustomerName = null, string? HolderName = null, int? OtherRecordId = null)
{
    public bool Succeeded => Outcome == LockOutcome.Acquired;
}
