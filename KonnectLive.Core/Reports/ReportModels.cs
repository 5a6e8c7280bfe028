namespace KonnectLive.Core.Reports;

public sealed record DealershipOption(int Id, string Name);

/// <summary>Attempts one agent recorded for one dealership with one outcome.</summary>
public sealed record OutcomeRow(string AgentId, string AgentName, int DealershipId, string Dealership, string Outcome, int Count);

/// <param name="Colour">An outcome's colour name (as Configuration → Outcomes stores it), for charts; null for other totals.</param>
public sealed record OutcomeTotal(string Name, int Count, string? Colour = null);

public sealed record OutcomesReport(
    ReportRange Range,
    IReadOnlyList<OutcomeRow> Rows,
    IReadOnlyList<OutcomeTotal> ByAgent,
    IReadOnlyList<OutcomeTotal> ByOutcome)
{
    public int Total => Rows.Sum(r => r.Count);
}

/// <summary>
/// Of the records a dealership received in the range: how many were messaged (at least one message sent),
/// called (at least one attempt), and completed (their status now).
/// </summary>
public sealed record FunnelRow(int? DealershipId, string Dealership, int Received, int Messaged, int Called, int Completed)
{
    /// <summary>Completed ÷ received, 0 when nothing was received.</summary>
    public double CompletionRate => Received == 0 ? 0 : (double)Completed / Received;
}

public sealed record FunnelReport(ReportRange Range, IReadOnlyList<FunnelRow> ByDealership, FunnelRow Total);

/// <summary>Customers one dealership recorded as declining for one reason.</summary>
public sealed record DeclinedRow(int DealershipId, string Dealership, string Reason, int Count);

/// <summary>
/// The declined report: calls recorded with a "Customer declined" outcome in the range, by reason (the telephone
/// rejection report of a dealership's follow-up process).
/// </summary>
public sealed record DeclinedReport(ReportRange Range, IReadOnlyList<DeclinedRow> Rows, IReadOnlyList<OutcomeTotal> ByReason)
{
    /// <summary>The reason shown for declines recorded before reasons existed, or whose outcome asked for none.</summary>
    public const string NoReason = "(no reason recorded)";

    /// <summary>After the name of a reason an agent proposed and no admin has approved yet.</summary>
    public const string ProposedSuffix = " (proposed)";

    public int Total => Rows.Sum(r => r.Count);

    /// <summary>A reason's share of all declines, 0 when there are none.</summary>
    public double Share(OutcomeTotal reason) => Total == 0 ? 0 : (double)reason.Count / Total;
}
