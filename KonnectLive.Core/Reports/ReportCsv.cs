using CsvHelper;

namespace KonnectLive.Core.Reports;

/// <summary>
/// The reports as CSV files: UTF-8 with a byte order mark (so Excel reads names correctly), a header row, invariant
/// numbers. Text cells a spreadsheet would run as a formula (=, +, -, @) are escaped: agent and dealership names
/// come from users.
/// </summary>
public static class ReportCsv
{
    public static readonly string[] OutcomeColumns = ["Agent", "Dealership", "Outcome", "Count"];
    public static readonly string[] DeclinedColumns = ["Dealership", "Reason", "Count"];
    public static readonly string[] FunnelColumns = ["Dealership", "Received", "Messaged", "Called", "Completed", "CompletionRate"];

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Injection = CsvInjection.Escape,
        WriteByteOrderMark = true,
    };

    public static byte[] Outcomes(OutcomesReport report) => Write(OutcomeColumns, csv =>
    {
        foreach (var row in report.Rows)
        {
            csv.WriteField(row.AgentName);
            csv.WriteField(row.Dealership);
            csv.WriteField(row.Outcome);
            csv.WriteField(row.Count, default);
            csv.EndRecord();
        }
    });

    public static byte[] Declined(DeclinedReport report) => Write(DeclinedColumns, csv =>
    {
        foreach (var row in report.Rows)
        {
            csv.WriteField(row.Dealership);
            csv.WriteField(row.Reason);
            csv.WriteField(row.Count, default);
            csv.EndRecord();
        }
    });

    /// <summary>One line per dealership, then the total line (dealership "All").</summary>
    public static byte[] Funnel(FunnelReport report) => Write(FunnelColumns, csv =>
    {
        foreach (var row in report.ByDealership.Append(report.Total))
        {
            csv.WriteField(row.Dealership);
            csv.WriteField(row.Received, default);
            csv.WriteField(row.Messaged, default);
            csv.WriteField(row.Called, default);
            csv.WriteField(row.Completed, default);
            csv.WriteField(Math.Round(row.CompletionRate, 4), default);
            csv.EndRecord();
        }
    });

    public static readonly string[] AgentStateColumns = ["Day", "Agent", "Dealership", "ReadySeconds", "NotReadySeconds", "OnCallSeconds", "WrapUpSeconds", "TotalSeconds"];

    /// <summary>Time per state per agent per day (<see cref="Telephony.AgentStates.AgentStateReport"/>), in seconds.</summary>
    public static byte[] AgentStates(IEnumerable<Telephony.AgentStates.AgentStateDayRow> rows) => Write(AgentStateColumns, csv =>
    {
        foreach (var row in rows)
        {
            csv.WriteField(row.Day.ToString("yyyy-MM-dd"));
            csv.WriteField(row.AgentName);
            csv.WriteField(row.Dealership ?? "");
            csv.WriteField(row.ReadySeconds, default);
            csv.WriteField(row.NotReadySeconds, default);
            csv.WriteField(row.OnCallSeconds, default);
            csv.WriteField(row.WrapUpSeconds, default);
            csv.WriteField(row.TotalSeconds, default);
            csv.EndRecord();
        }
    });

    public static readonly string[] RequestsByTypeColumns = ["Dealership", "RequestType", "Saved", "Drafts", "Count"];

    /// <summary>Requests per type per dealership (<see cref="Requests.RequestsQuery.ByTypeAsync"/>).</summary>
    public static byte[] RequestsByType(IEnumerable<Requests.RequestsByTypeRow> rows) => Write(RequestsByTypeColumns, csv =>
    {
        foreach (var row in rows)
        {
            csv.WriteField(row.Dealership);
            csv.WriteField(row.Type);
            csv.WriteField(row.Saved, default);
            csv.WriteField(row.Drafts, default);
            csv.WriteField(row.Count, default);
            csv.EndRecord();
        }
    });

    private static byte[] Write(string[] columns, Action<CsvWriter> writeRows)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            csv.WriteHeader(columns);
            writeRows(csv);
        }
        return stream.ToArray();
    }
}
