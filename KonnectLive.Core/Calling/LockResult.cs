using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Calling;

public enum LockOutcome
{
    /// <summary>The page now holds the lease.</summary>
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
    /// <summary>
    /// The same agent holds the record on another calling page (a second tab, a bookmark). Nothing changed: the page
    /// may offer "Continue here" (<see cref="CallLockService.TakeOverAsync"/>).
    /// </summary>
    HeldByYouElsewhere,
}

/// <param name="HolderId">Who holds the record when another agent does (<see cref="LockOutcome.HeldByOther"/>): the chase list
/// shows it on the row from the refusal itself.</param>
public sealed record LockResult(LockOutcome Outcome, string Message, string? CustomerName = null, string? HolderName = null, int? OtherRecordId = null,
    string? HolderId = null)
{
    public bool Succeeded => Outcome == LockOutcome.Acquired;
}

/// <summary>Who holds a record's lease, as seen from one calling page.</summary>
public enum LeaseHolder
{
    /// <summary>This page (its token), lease live.</summary>
    ThisPage,
    /// <summary>The same agent on another page (another token), lease live.</summary>
    YourOtherPage,
    /// <summary>Another agent, lease live.</summary>
    OtherAgent,
    /// <summary>Nobody: never taken, released, or the lease ran out.</summary>
    Nobody,
}

/// <summary>A cheap read of a record's lease for a calling page that heard something happen to it.</summary>
public sealed record LeaseCheck(LeaseHolder Holder, SurveyStatus Status, string CustomerName, string? HolderName = null);
