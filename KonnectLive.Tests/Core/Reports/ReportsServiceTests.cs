using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Reports;

public sealed class ReportsServiceTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private ReportsDataset _data = null!;


    // Built here rather than resolved: AddKonnectLiveReports() is not yet part of AddKonnectLiveCore.
    private ReportsService Reports => new(_db.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>());

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _data = await ReportsDataset.SeedAsync(() => Task.FromResult(_db.NewDbContext()));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static UserScope User(string role, int? dealershipId) => new($"u-{role}-{dealershipId}", role, dealershipId, false, [role]);
    private static readonly UserScope HeadOffice = User(Roles.Supervisor, null);
    private UserScope LeedsSupervisor => User(Roles.Supervisor, _data.LeedsId);

    private static string[] Lines(OutcomesReport r) => [.. r.Rows.Select(x => $"{x.AgentName}|{x.Dealership}|{x.Outcome}|{x.Count}")];

    [Fact]
    public async Task Outcomes_HeadOffice_CountsOnlyAttemptsInTheRangeForEveryDealership()
    {
        var report = await Reports.OutcomesAsync(HeadOffice, ReportsDataset.Range);

        Assert.Equal(
        [
            $"Alice Agent|Leeds Motors|{ReportsDataset.WillComplete}|1",
            $"Alice Agent|Leeds Motors|{ReportsDataset.NoAnswer}|2",
            $"Bob Jones|Leeds Motors|{ReportsDataset.Voicemail}|1",
            $"Yasmin York|York Motors|{ReportsDataset.WillComplete}|1",
        ], Lines(report));
        Assert.Equal([("Alice Agent", 3), ("Bob Jones", 1), ("Yasmin York", 1)], report.ByAgent.Select(t => (t.Name, t.Count)));
        Assert.Equal([(ReportsDataset.WillComplete, 2), (ReportsDataset.NoAnswer, 2), (ReportsDataset.Voicemail, 1)],
            report.ByOutcome.Select(t => (t.Name, t.Count)));
        Assert.Equal(5, report.Total);
    }

    [Fact]
    public async Task Outcomes_DealershipSupervisor_SeesOnlyTheirDealershipWhateverTheFilter()
    {
        var report = await Reports.OutcomesAsync(LeedsSupervisor, ReportsDataset.Range, dealershipId: _data.YorkId);

        Assert.All(report.Rows, r => Assert.Equal("Leeds Motors", r.Dealership));
        Assert.DoesNotContain(report.ByAgent, t => t.Name == "Yasmin York");
        Assert.Equal(4, report.Total);
    }

    [Fact]
    public async Task Outcomes_HeadOfficeFilter_NarrowsToOneDealership()
    {
        var report = await Reports.OutcomesAsync(User(Roles.Admin, null), ReportsDataset.Range, dealershipId: _data.YorkId);

        Assert.Equal([$"Yasmin York|York Motors|{ReportsDataset.WillComplete}|1"], Lines(report));
    }

    [Fact]
    public async Task Reports_Agent_AreRefused()
    {
        var agent = User(Roles.Agent, _data.LeedsId);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Reports.OutcomesAsync(agent, ReportsDataset.Range));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Reports.FunnelAsync(agent, ReportsDataset.Range));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Reports.DealershipsAsync(agent));
    }

    [Fact]
    public async Task Funnel_HeadOffice_CountsEachReceivedRecordOncePerStage()
    {
        var report = await Reports.FunnelAsync(HeadOffice, ReportsDataset.Range);

        Assert.Equal(
        [
            (_data.LeedsId, 3, 2, 2, 1),
            (_data.YorkId, 1, 0, 1, 1),
        ], report.ByDealership.Select(r => (r.DealershipId!.Value, r.Received, r.Messaged, r.Called, r.Completed)));
        Assert.Equal((4, 2, 3, 2), (report.Total.Received, report.Total.Messaged, report.Total.Called, report.Total.Completed));
        Assert.Equal(0.5, report.Total.CompletionRate);
        Assert.Equal(1.0 / 3, report.ByDealership[0].CompletionRate, 6);
    }

    [Fact]
    public async Task Funnel_DealershipSupervisor_SeesOnlyTheirDealership()
    {
        var report = await Reports.FunnelAsync(LeedsSupervisor, ReportsDataset.Range, dealershipId: _data.YorkId);

        var row = Assert.Single(report.ByDealership);
        Assert.Equal(("Leeds Motors", 3, 2, 2, 1), (row.Dealership, row.Received, row.Messaged, row.Called, row.Completed));
        Assert.Equal(3, report.Total.Received);
    }

    [Fact]
    public async Task Funnel_RangeWithNothingReceived_IsZeroWithoutDividingByZero()
    {
        var report = await Reports.FunnelAsync(HeadOffice, new ReportRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 7)));

        Assert.Equal(0, report.Total.Received);
        Assert.Equal(0, report.Total.CompletionRate);
    }

    [Fact]
    public async Task Dealerships_DealershipSupervisor_OnlyTheirOwn()
    {
        Assert.Equal(["Leeds Motors"], (await Reports.DealershipsAsync(LeedsSupervisor)).Select(d => d.Name));
        Assert.Contains("York Motors", (await Reports.DealershipsAsync(HeadOffice)).Select(d => d.Name));
    }
}
