using System.Text;
using CsvHelper;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Reports;

/// <summary>
/// The declined report against a known dataset (range 24 Feb – 2 Mar 2026, GMT):
/// <code>
/// Leeds  "No time" ×2 (1 Mar), "Unhappy with the dealership" ×1 (28 Feb), one legacy decline with no reason (1 Mar),
///        "No time" 23 Feb 23:59Z (before the range), one "No answer" (not a decline)
/// York   "No time" ×1 (2 Mar 23:30Z, the last half hour of the range)
/// </code>
/// </summary>
public sealed class DeclinedReportTests : IAsyncLifetime
{
    private const string NoTime = "No time";
    private const string Unhappy = "Unhappy with the dealership";
    private static readonly ReportRange Range = new(new DateOnly(2026, 2, 24), new DateOnly(2026, 3, 2));
    private static readonly UserScope HeadOffice = new("ho", "Head Office", null, false, [Roles.Supervisor]);

    private CoreTestDatabase _db = null!;
    private int _leedsId;
    private int _yorkId;

    private ReportsService Reports => new(_db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>());

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        await using var db = _db.NewDbContext();
        var reasons = await db.DeclineReasons.ToDictionaryAsync(r => r.Name, r => r.Id);
        var outcomes = await db.CallOutcomes.ToDictionaryAsync(o => o.Name, o => o.Id);
        var leeds = new Dealership { Code = "DEC-LEEDS", Name = "Leeds Motors" };
        var york = new Dealership { Code = "DEC-YORK", Name = "York Motors" };
        db.Dealerships.AddRange(leeds, york);
        await db.SaveChangesAsync();
        (_leedsId, _yorkId) = (leeds.Id, york.Id);

        var l = Record(db, leeds.Id, "L");
        var y = Record(db, york.Id, "Y");
        await db.SaveChangesAsync();

        var declined = outcomes[DatabaseInitializer.DeclinedOutcome];
        Attempt(db, l, declined, reasons[NoTime], Utc(3, 1, 10));
        Attempt(db, l, declined, reasons[NoTime], Utc(3, 1, 11));
        Attempt(db, l, declined, reasons[Unhappy], Utc(2, 28, 15));
        Attempt(db, l, declined, null, Utc(3, 1, 12));
        Attempt(db, l, declined, reasons[NoTime], Utc(2, 23, 23, 59));
        Attempt(db, l, outcomes[DatabaseInitializer.NoAnswerOutcome], null, Utc(3, 1, 13), OutcomeBehaviour.KeepOnList);
        Attempt(db, y, declined, reasons[NoTime], Utc(3, 2, 23, 30));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static SurveyRecord Record(KonnectDbContext db, int dealershipId, string name)
    {
        var customer = new Customer { DealershipId = dealershipId, FirstName = name, LastName = "Decliner" };
        var record = SurveyRecord.Create($"DEC-{name}", dealershipId, customer, null, SurveyStatus.Awaiting, Utc(2, 20, 9), null,
            EventType.Sales, Utc(2, 18, 9), Utc(2, 20, 9));
        db.SurveyRecords.Add(record);
        return record;
    }

    private static void Attempt(KonnectDbContext db, SurveyRecord record, int outcomeId, int? reasonId, DateTime at,
        OutcomeBehaviour behaviour = OutcomeBehaviour.CustomerDeclined) =>
        db.CallAttempts.Add(new CallAttempt
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId,
            AgentId = "alice", AgentName = "Alice Agent", OutcomeId = outcomeId, StartedAt = at.AddMinutes(-3), RecordedAt = at,
            Behaviour = behaviour, DeclineReasonId = reasonId,
        });

    private static string[] Lines(DeclinedReport r) => [.. r.Rows.Select(x => $"{x.Dealership}|{x.Reason}|{x.Count}")];

    [Fact]
    public async Task Declined_HeadOffice_CountsDeclinesInTheRangeByDealershipAndReason()
    {
        var report = await Reports.DeclinedAsync(HeadOffice, Range);

        // Leeds in the reasons' configured order (Unhappy … before No time), the reasonless legacy decline last.
        Assert.Equal(
        [
            $"Leeds Motors|{Unhappy}|1",
            $"Leeds Motors|{NoTime}|2",
            $"Leeds Motors|{DeclinedReport.NoReason}|1",
            $"York Motors|{NoTime}|1",
        ], Lines(report));
        Assert.Equal([(NoTime, 3), (DeclinedReport.NoReason, 1), (Unhappy, 1)], report.ByReason.Select(t => (t.Name, t.Count)));
        Assert.Equal(5, report.Total);
        Assert.Equal(0.6, report.Share(report.ByReason[0]), 3);
    }

    [Fact]
    public async Task Declined_DealershipSupervisor_SeesOnlyTheirDealershipWhateverTheFilter()
    {
        var yorkSupervisor = new UserScope("ys", "York Supervisor", _yorkId, false, [Roles.Supervisor]);

        var report = await Reports.DeclinedAsync(yorkSupervisor, Range, dealershipId: _leedsId);

        Assert.Equal([$"York Motors|{NoTime}|1"], Lines(report));
    }

    [Fact]
    public async Task Declined_Agent_IsRefused()
    {
        var agent = new UserScope("a", "Agent", _leedsId, true, [Roles.Agent]);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Reports.DeclinedAsync(agent, Range));
    }

    [Fact]
    public async Task Declined_Csv_ParsesBackToTheSameFigures()
    {
        var report = await Reports.DeclinedAsync(HeadOffice, Range);

        var bytes = ReportCsv.Declined(report);
        using var text = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var reader = CsvReader.Create(text, CsvReaderOptions.Default);
        Assert.Equal(ReportCsv.DeclinedColumns, reader.Headers.ToArray());
        var parsed = new List<string>();
        while (reader.Read()) parsed.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{int.Parse(reader.GetString(2)!)}");

        Assert.Equal(Lines(report), parsed);
        Assert.Equal(report.Total, parsed.Sum(p => int.Parse(p.Split('|')[2])));
    }
}
