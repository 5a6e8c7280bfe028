using System.Security.Claims;
using System.Text;
using Bunit;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Pages.Reports;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Components.Pages.Csi;
using KonnectLive.Tests.Core.Reports;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Reports;

/// <summary>The reports page on the real services and <see cref="ReportsDataset"/>, signed in as a head-office admin.</summary>
public sealed class ReportsPageTests : CsiPageTest
{
    public ReportsPageTests() => Ctx.Services.AddKonnectLiveReports();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await ReportsDataset.SeedAsync(CreateDbAsync);
        Time.SetUtcNow(ReportsDataset.Now); // so the default "last 7 days" is the dataset's range
        await using var scope = Ctx.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "hannah", DisplayName = "Hannah Admin", DealershipId = null };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Admin)).Succeeded);
        Auth.SetAuthorized(user.DisplayName);
        Auth.SetRoles(Roles.Admin); // before the claims: setting roles rebuilds the principal
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        Auth.SetPolicies(Policies.Supervision);
    }

    [Fact]
    public void Render_KnownDataset_ShowsTheFiguresAndCsvLinks()
    {
        Ctx.Render<MudPopoverProvider>();
        var cut = Ctx.Render<Desktop.Components.Pages.Reports.Reports>();

        cut.WaitForAssertion(() => Assert.Contains("5 attempts", cut.Find("[data-testid=outcomes-summary]").TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=reports-loading]"));
        Assert.Equal(["1", "2", "1", "1"], cut.FindAll("[data-testid=outcome-count]").Select(c => c.TextContent.Trim()));
        Assert.Contains("Alice Agent", cut.Find("[data-testid=outcomes-by-agent]").TextContent);
        Assert.Contains("4 received", cut.Find("[data-testid=funnel-summary]").TextContent);
        Assert.Contains("50.0%", cut.Find("[data-testid=funnel-summary]").TextContent);

        var link = cut.Find("a[data-testid=outcomes-csv]");
        Assert.Equal("outcomes-2026-02-24-to-2026-03-02.csv", link.GetAttribute("download"));
        var href = link.GetAttribute("href")!;
        const string prefix = "data:text/csv;charset=utf-8;base64,";
        Assert.StartsWith(prefix, href);
        var csv = Encoding.UTF8.GetString(Convert.FromBase64String(href[prefix.Length..]));
        Assert.Contains("Yasmin York,York Motors,", csv);
    }

    [Fact]
    public async Task Render_DeclineRecorded_ShowsItInTheDeclinedTabWithItsCsv()
    {
        await using (var db = await CreateDbAsync())
        {
            var attempt = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.CallAttempts);
            var reason = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.DeclineReasons, r => r.Name == "No time");
            db.CallAttempts.Add(new global::KonnectLive.Core.Calling.CallAttempt
            {
                SurveyRecordId = attempt.SurveyRecordId, CustomerId = attempt.CustomerId, DealershipId = attempt.DealershipId,
                AgentId = "alice", AgentName = "Alice Agent", OutcomeId = attempt.OutcomeId, StartedAt = attempt.StartedAt,
                RecordedAt = attempt.RecordedAt, Behaviour = global::KonnectLive.Core.Calling.OutcomeBehaviour.CustomerDeclined,
                DeclineReasonId = reason.Id,
            });
            await db.SaveChangesAsync();
        }
        Ctx.Render<MudPopoverProvider>();
        var cut = Ctx.Render<Desktop.Components.Pages.Reports.Reports>();

        cut.WaitForAssertion(() => Assert.Contains("1 decline recorded", cut.Find("[data-testid=declined-summary]").TextContent), Patience);
        Assert.Contains("No time", cut.Find("[data-testid=declined-by-reason]").TextContent);
        Assert.Contains("100.0%", cut.Find("[data-testid=declined-by-reason]").TextContent);
        var href = cut.Find("a[data-testid=declined-csv]").GetAttribute("href")!;
        var csv = Encoding.UTF8.GetString(Convert.FromBase64String(href[(href.IndexOf(',') + 1)..]));
        Assert.Contains("Leeds Motors,No time,1", csv);
    }
}
