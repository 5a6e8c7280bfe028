using Bunit;
using KonnectLive.Core.Audit;
using AuditLogPage = KonnectLive.Desktop.Components.Pages.Configuration.AuditLog;
using MudBlazor;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class AuditLogPageTests : ConfigurationPageTest
{
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    private async Task AddAsync(int minutesAgo, string action, string details, int? customerId = null, bool system = false)
    {
        await using var db = await CreateDbAsync();
        AuditLog.Add(db, Now.AddMinutes(-minutesAgo), system ? null : Admin, action, "Thing", "1", details, customerId);
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<AuditLogPage> RenderPage(int expectedRows)
    {
        _popovers = Ctx.Render<MudPopoverProvider>();
        Ctx.Render<MudSnackbarProvider>();
        Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=action]").Count), Patience);
        return cut;
    }

    private static List<string> Column(IRenderedComponent<AuditLogPage> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public async Task Render_Entries_NewestFirstWithUserAndDetails()
    {
        await AddAsync(120, "inbound.csi.received", "3 records: 3 created.", system: true);
        await AddAsync(10, "user.created", "Created user 'nadia'.");
        await AddAsync(60, "note.added", "Added a note.", customerId: 42);

        var cut = RenderPage(expectedRows: 3);

        Assert.Equal(["user.created", "note.added", "inbound.csi.received"], Column(cut, "action"));
        Assert.Equal(["02 Jun 2025 09:50", "02 Jun 2025 09:00", "02 Jun 2025 08:00"], Column(cut, "at")); // Europe/London (BST)
        Assert.Equal(["Ada Admin", "Ada Admin", "system"], Column(cut, "user"));
        Assert.Equal(["Created user 'nadia'.", "Added a note.", "3 records: 3 created."], Column(cut, "details"));
        Assert.Equal(["#42"], Column(cut, "customer"));
        Assert.DoesNotContain("Delete", cut.Markup);
    }

    [Fact]
    public async Task FilterByAction_Chosen_ShowsOnlyThatAction()
    {
        await AddAsync(30, "note.added", "First note.");
        await AddAsync(20, "user.created", "Created user 'nadia'.");
        await AddAsync(10, "note.added", "Second note.");
        var cut = RenderPage(expectedRows: 3);

        // MudSelect opens on mouse down; its items render in the popover provider.
        cut.Find("[data-testid=action-filter]").Closest(".mud-input-control")!.MouseDown();
        _popovers.WaitForAssertion(() => Assert.Contains("user.created", _popovers.Markup), Patience);
        Assert.Equal(["All actions", "note.added", "user.created"], _popovers.FindAll(".mud-list-item").Select(e => e.TextContent.Trim()));
        _popovers.FindAll(".mud-list-item").First(e => e.TextContent.Trim() == "note.added").Click();

        cut.WaitForAssertion(() => Assert.Equal(["note.added", "note.added"], Column(cut, "action")), Patience);
        Assert.Equal(["Second note.", "First note."], Column(cut, "details"));
    }

    [Fact]
    public async Task Render_NoEntries_SaysSo()
    {
        var cut = RenderPage(expectedRows: 0);

        cut.WaitForAssertion(() => Assert.Contains("No audit entries yet", cut.Markup), Patience);
        await Task.CompletedTask;
    }
}
