using KonnectLive.Core.Common;
using KonnectLive.Core.Reports;
using KonnectLive.Tests.Infrastructure;

namespace KonnectLive.Tests.Browser;

/// <summary>What the outcomes report says, read through the app's own ReportsService as a supervisor would see it.</summary>
internal static class Reports
{
    /// <summary>Yesterday to tomorrow on the contact centre's clock: one fixed range, whatever the time of day the test runs.</summary>
    public static ReportRange AroundToday()
    {
        var today = DateOnly.FromDateTime(ContactCentreTime.ToLocal(DateTime.UtcNow));
        return new ReportRange(today.AddDays(-1), today.AddDays(1));
    }

    public static async Task<int> CountAsync(AppFixture app, ReportRange range, string agentName, string outcome)
    {
        var report = await app.Service<ReportsService>().OutcomesAsync(await app.ScopeAsync("supervisor"), range);
        return report.Rows.Where(r => r.AgentName == agentName && r.Outcome == outcome).Sum(r => r.Count);
    }
}
