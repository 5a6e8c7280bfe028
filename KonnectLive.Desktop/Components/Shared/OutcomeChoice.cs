namespace KonnectLive.Desktop.Components.Shared;

public sealed record OutcomeChoice(int OutcomeId, string OutcomeName, string? NumberDialled, string? Note);
