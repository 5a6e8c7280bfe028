namespace KonnectLive.Core.Reports;

public sealed record DealershipOption(int Id, string Name);

/// <summary>Attempts one agent recorded for one dealership with one outcome.</summary>
public sealed record OutcomeRow(string AgentId, string AgentName, int DealershipId, string Dealership, string Outcome, int Count);

public sealed record OutcomeTotal(string Name, int Count);

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
