using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using System.Globalization;
using System.Text;
using CsvHelper;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Reports;

public sealed class ReportCsvTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private static readonly UserScope HeadOffice = new("ho", "Head Office", null, false, [Roles.Supervisor]);

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        await ReportsDataset.SeedAsync(() => Task.FromResult(_db.NewDbContext()));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    // Built here rather than resolved: AddKonnectLiveReports() is not yet part of AddKonnectLiveCore.
    private ReportsService Reports => new(_db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>());

    /// <summary>Reads a CSV back with CsvHelper: its header row, then each record as header → value.</summary>
    private static (IReadOnlyList<string> Header, List<Dictionary<string, string>> Rows) Parse(byte[] bytes)
    {
        using var text = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var reader = CsvReader.Create(text, CsvReaderOptions.Default);
        var header = reader.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
            rows.Add(header.Select((h, i) => (h, v: reader.GetString(i) ?? "")).ToDictionary(x => x.h, x => x.v));
        return (header, rows);
    }

    [Fact]
    public async Task Outcomes_Csv_ParsesBackToTheSameFigures()
    {
        var report = await Reports.OutcomesAsync(HeadOffice, ReportsDataset.Range);

        var (header, rows) = Parse(ReportCsv.Outcomes(report));

        Assert.Equal(ReportCsv.OutcomeColumns, header);
        Assert.Equal(
            report.Rows.Select(r => $"{r.AgentName}|{r.Dealership}|{r.Outcome}|{r.Count}"),
            rows.Select(r => $"{r["Agent"]}|{r["Dealership"]}|{r["Outcome"]}|{int.Parse(r["Count"], CultureInfo.InvariantCulture)}"));
        Assert.Equal(5, rows.Sum(r => int.Parse(r["Count"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Funnel_Csv_ParsesBackToTheSameFiguresWithATotalLine()
    {
        var report = await Reports.FunnelAsync(HeadOffice, ReportsDataset.Range);

        var (header, rows) = Parse(ReportCsv.Funnel(report));

        Assert.Equal(ReportCsv.FunnelColumns, header);
        Assert.Equal(["Leeds Motors,3,2,2,1,0.3333", "York Motors,1,0,1,1,1", "All,4,2,3,2,0.5"],
            rows.Select(r => string.Join(",", ReportCsv.FunnelColumns.Select(c => r[c]))));
        var total = rows[^1];
        Assert.Equal(report.Total.CompletionRate, double.Parse(total["CompletionRate"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Outcomes_Csv_StartsWithAByteOrderMarkAndEscapesFormulas()
    {
        var report = new OutcomesReport(ReportsDataset.Range,
            [new OutcomeRow("x", "=HYPERLINK(\"http://evil\")", 1, "Leeds, \"North\"", "No answer", 2)], [], []);

        var bytes = ReportCsv.Outcomes(report);
        var (_, rows) = Parse(bytes);

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.False(rows[0]["Agent"].StartsWith('='), "a formula must not reach the spreadsheet as a formula");
        Assert.Equal("Leeds, \"North\"", rows[0]["Dealership"]);
    }
}
