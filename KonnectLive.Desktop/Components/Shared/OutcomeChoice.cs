namespace KonnectLive.Desktop.Components.Shared;

/// <summary>What the agent confirmed on the outcome panel.</summary>
/// <param name="CallbackAt">Call back later: when, in UTC.</param>
/// <param name="DeclineReasonId">Customer declined: the reason chosen.</param>
/// <param name="AndNext">Confirm &amp; next: open the next free customer once recorded.</param>
/// <param name="ReserveCallback">Call back later: keep the due call-back for this agent (only when the outcome reserves).</param>
public sealed record OutcomeChoice(int OutcomeId, string OutcomeName, string? NumberDialled, string? Note,
    DateTime? CallbackAt = null, int? DeclineReasonId = null, bool ReserveCallback = false, bool AndNext = false);
