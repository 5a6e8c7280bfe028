using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// Issue 10's loop in a real browser: Confirm &amp; next, the keys, Undo from the snackbar, and the layout at 1366×768 and
/// 390 px. Each test makes its own dealership, customers and agents (TestData).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkingTheListBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    private async Task<CallAttempt[]> AttemptsAsync(int recordId)
    {
        await using var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.CallAttempts.AsNoTracking().Where(a => a.SurveyRecordId == recordId).OrderBy(a => a.Id).ToArrayAsync();
    }

    private static async Task OpenFromListAsync(AgentSession agent, TestCustomer customer)
    {
        await agent.GotoAsync("/csi/chase-list");
        await agent.Row(customer.RecordId).GetByRole(AriaRole.Button, new() { Name = $"Open {customer.Name}" }).ClickAsync();
        await agent.WaitForUrlOrScreenshotAsync($"/csi/call/{customer.RecordId}", "failure-loop-open");
        await Expect(agent.Page.GetByTestId("calling-customer")).ToHaveTextAsync(customer.Name);
        await Expect(agent.Page.GetByTestId("relist-button")).ToBeEnabledAsync();
        await KeysReadyAsync(agent);
    }

    /// <summary>The calling page's keys listen once its module has loaded (keys.js counts the pages listening).</summary>
    private static Task KeysReadyAsync(AgentSession agent) =>
        agent.Page.WaitForFunctionAsync("() => Number(document.body.dataset.pageKeys || 0) === 1");

    [Fact]
    public async Task ConfirmAndNext_RecordsTheFirstAndOpensTheNext_UndoFromTheSnackbarPutsTheFirstBack()
    {
        var shop = await App.NewDealershipAsync("Loopnext", customers: 3);
        var (first, second) = (shop.Customers[0], shop.Customers[1]);
        var agent = await App.NewAgentAsync("Lola Loop", shop.Id);
        await using var session = await fixture.SignInAsync(agent.UserName);
        var page = session.Page;
        await page.SetViewportSizeAsync(1366, 768);
        await OpenFromListAsync(session, first);

        await page.GetByRole(AriaRole.Button, new() { Name = DatabaseInitializer.NoAnswerOutcome }).ClickAsync();
        await page.Locator("textarea[data-testid=outcome-note], [data-testid=outcome-note] textarea").First.FillAsync("Rang out, try after lunch");
        await page.GetByTestId("confirm-next-button").ClickAsync();

        // One step: the first is recorded and given back, the next is open and held by this page.
        await session.WaitForUrlOrScreenshotAsync($"/csi/call/{second.RecordId}", "failure-confirm-and-next");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(second.Name);
        await Expect(page.GetByTestId("lock-chip")).ToContainTextAsync("Locked to you");
        var recorded = await App.RecordAsync(first.RecordId);
        Assert.Equal((1, null), (recorded.AttemptCount, recorded.LockHolderId));
        Assert.Equal(agent.UserId, (await App.RecordAsync(second.RecordId)).LockHolderId);
        var attempt = Assert.Single(await AttemptsAsync(first.RecordId));
        Assert.Equal("Rang out, try after lunch", attempt.Note);

        // The snackbar says what was recorded, away from the page's actions, and offers Undo.
        var snackbar = page.Locator(".mud-snackbar", new() { HasText = $"{first.Name}: No answer recorded" });
        await Expect(snackbar).ToBeVisibleAsync();
        var bar = await snackbar.BoundingBoxAsync();
        var next = await page.GetByTestId("next-button").BoundingBoxAsync();
        var confirmArea = await page.GetByTestId("outcome-button").First.BoundingBoxAsync();
        Assert.False(Overlaps(bar!, next!), "The snackbar covers Next");
        Assert.False(Overlaps(bar!, confirmArea!), "The snackbar covers the outcome buttons");
        await session.ScreenshotAsync("confirm-and-next-undo-snackbar");

        await snackbar.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "No answer for " + first.Name + " undone" })).ToBeVisibleAsync();
        var undone = await App.RecordAsync(first.RecordId);
        Assert.Equal((0, null), (undone.AttemptCount, undone.LastAttemptAt));
        var kept = Assert.Single(await AttemptsAsync(first.RecordId)); // kept for the audit, marked undone
        Assert.NotNull(kept.UndoneAt);
        // The page the agent is on is untouched by the undo: they still hold the second customer.
        Assert.Equal(agent.UserId, (await App.RecordAsync(second.RecordId)).LockHolderId);
    }

    private static bool Overlaps(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    [Fact]
    public async Task Keys_PickConfirmMoveAndLeave_ButNotWhileTypingOrWithTheLegendOpen()
    {
        var shop = await App.NewDealershipAsync("Loopkeys", customers: 4);
        var c = shop.Customers;
        await using (var db = await App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            // A second number, so "Number dialled" has a choice to lose.
            db.Add(new CustomerPhone { CustomerId = c[0].CustomerId, Position = 2, Number = "+447700900" + c[0].Phone[^3..], Type = PhoneType.Mobile });
            await db.SaveChangesAsync();
        }
        var agent = await App.NewAgentAsync("Kit Keys", shop.Id);
        await using var session = await fixture.SignInAsync(agent.UserName);
        var page = session.Page;
        await page.SetViewportSizeAsync(1366, 768);
        await OpenFromListAsync(session, c[0]);

        // The outcome buttons show their keys; ? opens the legend, and keys do nothing while it is open.
        await Expect(page.GetByTestId("outcome-key").First).ToHaveAttributeAsync("data-key", "1");
        await session.ScreenshotAsync("calling-page-keys");
        await page.Keyboard.PressAsync("?");
        var legend = page.GetByRole(AriaRole.Dialog);
        await Expect(legend).ToContainTextAsync("Confirm the chosen outcome");
        await page.WaitForTimeoutAsync(300);
        await session.ScreenshotAsync("keys-legend");
        await page.Keyboard.PressAsync("3");
        await page.Keyboard.PressAsync("Escape"); // closes the legend only
        await Expect(legend).ToHaveCountAsync(0);
        Assert.EndsWith($"/csi/call/{c[0].RecordId}", page.Url);
        await Expect(page.GetByTestId("go-back-button")).ToHaveCountAsync(0); // the 3 pressed under the legend chose nothing

        // 3 = No answer (the third button). Typing "1" in the note types a 1; it does not choose outcome 1.
        await page.Keyboard.PressAsync("3");
        await Expect(page.GetByTestId("outcome-behaviour")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Confirm {DatabaseInitializer.NoAnswerOutcome}" })).ToHaveCountAsync(1);
        var note = page.Locator("textarea[data-testid=outcome-note], [data-testid=outcome-note] textarea").First;
        await note.ClickAsync();
        await page.Keyboard.TypeAsync("1 ring");
        await Expect(note).ToHaveValueAsync("1 ring");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Confirm {DatabaseInitializer.NoAnswerOutcome}" })).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Enter"); // a new line in the note, not Confirm
        Assert.Empty(await AttemptsAsync(c[0].RecordId));

        // A focused drop-down keeps its value: ? or a digit there neither opens the legend, nor chooses an outcome, nor
        // swaps the number (MudSelect takes a character matching no item as "choose the first item").
        var dialled = page.GetByRole(AriaRole.Combobox, new() { Name = "Number dialled" });
        var dialledControl = dialled.Locator("xpath=ancestor::div[contains(@class,'mud-input-control')][1]");
        await Expect(dialledControl).ToContainTextAsync("(Home)"); // the first number, preselected
        await dialled.ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "(Mobile)" }).ClickAsync();
        await Expect(dialledControl).ToContainTextAsync("(Mobile)");
        var mobile = await dialledControl.InnerTextAsync();
        await dialledControl.Locator("input").First.FocusAsync(); // where Tab lands on a MudSelect
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.closest('.mud-select') != null"), "the drop-down has the focus");
        await page.Keyboard.PressAsync("?");
        await page.Keyboard.PressAsync("1");
        await page.WaitForTimeoutAsync(300); // what a stray key would do happens within a round trip
        Assert.Equal(mobile, await dialledControl.InnerTextAsync());
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Confirm {DatabaseInitializer.NoAnswerOutcome}" })).ToHaveCountAsync(1);

        // Esc from a chosen outcome steps back to the outcomes (the note stays); it does not leave the customer.
        await page.GetByTestId("calling-customer").ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("go-back-button")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("outcome-button").First).ToBeVisibleAsync();
        Assert.EndsWith($"/csi/call/{c[0].RecordId}", page.Url);
        Assert.NotNull((await App.RecordAsync(c[0].RecordId)).LockHolderId);
        await page.Keyboard.PressAsync("3");
        await Expect(note).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^1 ring\s*$"));

        // Out of the field, Enter confirms.
        await page.GetByTestId("calling-customer").ClickAsync();
        await page.Keyboard.PressAsync("Enter");
        await session.WaitForUrlOrScreenshotAsync("/csi/chase-list", "failure-keys-enter");
        var attempt = Assert.Single(await AttemptsAsync(c[0].RecordId));
        Assert.Equal("1 ring", attempt.Note);

        // N moves to the next free customer, Esc goes back to the list and gives them back.
        await OpenFromListAsync(session, c[1]);
        await page.Keyboard.PressAsync("n");
        await session.WaitForUrlOrScreenshotAsync($"/csi/call/{c[2].RecordId}", "failure-keys-next");
        await Expect(page.GetByTestId("calling-customer")).ToHaveTextAsync(c[2].Name);
        await Expect(page.GetByTestId("relist-button")).ToBeEnabledAsync();
        await KeysReadyAsync(session);
        await page.Keyboard.PressAsync("Escape");
        await session.WaitForUrlOrScreenshotAsync("/csi/chase-list", "failure-keys-escape");
        await Expect(session.Row(c[2].RecordId)).ToContainTextAsync("Free");
        Assert.Null((await App.RecordAsync(c[2].RecordId)).LockHolderId);

        // / focuses the app bar's search, on any page.
        await page.Keyboard.PressAsync("/");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.closest('.app-bar-search') != null"));
        await page.Keyboard.TypeAsync(c[3].Name.Split(' ')[^1]);
        await Expect(page.Locator(".app-bar-search input")).ToHaveValueAsync(c[3].Name.Split(' ')[^1]);
    }

    private const string FullyVisibleRows =
        "() => [...document.querySelectorAll('tbody tr.chase-row')].filter(r => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }).length";

    private const string ColumnLayout =
        "() => [...document.querySelectorAll('.chase-grid thead th')].map(th => Math.round(th.getBoundingClientRect().width))" +
        ".concat([...document.querySelectorAll('tbody tr.chase-row')].map(r => Math.round(r.getBoundingClientRect().top))).join(',')";

    [Fact]
    public async Task ChaseList_At1366x768_ShowsTenRowsForADealershipAgentAndEightForHeadOffice_ALockDoesNotReflow()
    {
        var shop = await App.NewDealershipAsync("Layoutrows", customers: 10);
        var agent = await App.NewAgentAsync("Rita Rows", shop.Id);
        var other = await App.NewAgentAsync("Otto Rows", shop.Id);
        var headOffice = await App.NewAgentAsync("Hugo Office", null);

        await using (var session = await fixture.SignInAsync(agent.UserName))
        {
            await session.Page.SetViewportSizeAsync(1366, 768);
            await session.GotoAsync("/csi/chase-list");
            await Expect(session.Page.Locator("tbody tr.chase-row")).ToHaveCountAsync(10);
            var visible = await session.Page.EvaluateAsync<int>(FullyVisibleRows);
            Assert.True(visible >= 10, $"A dealership agent sees {visible} whole rows at 1366×768");
            await session.ScreenshotAsync("chase-list-1366");

            // Another agent takes the fifth customer: the lock shows, and no column or row moves.
            var before = await session.Page.EvaluateAsync<string>(ColumnLayout);
            var otherScope = await App.ScopeAsync(other.UserName);
            Assert.True((await App.Service<CallLockService>().AcquireAsync(otherScope, shop.Customers[4].RecordId, "otto-page")).Succeeded);
            await Expect(session.Row(shop.Customers[4].RecordId)).ToContainTextAsync("Being called by Otto Rows");
            Assert.Equal(before, await session.Page.EvaluateAsync<string>(ColumnLayout));
            await session.ScreenshotAsync("chase-list-1366-locked");
            await App.Service<CallLockService>().ReleaseAsync(otherScope, shop.Customers[4].RecordId, "otto-page");
        }

        await using (var session = await fixture.SignInAsync(headOffice.UserName))
        {
            await session.Page.SetViewportSizeAsync(1366, 768);
            await session.GotoAsync("/csi/chase-list");
            await Expect(session.Page.Locator("tbody tr.chase-row").Nth(9)).ToBeAttachedAsync();
            var visible = await session.Page.EvaluateAsync<int>(FullyVisibleRows);
            Assert.True(visible >= 8, $"Head office sees {visible} whole rows at 1366×768");
            await session.ScreenshotAsync("chase-list-1366-head-office");
        }
    }

    [Fact]
    public async Task At390Px_LogOutIsReachableAndNoMainPageScrollsSideways()
    {
        var shop = await App.NewDealershipAsync("Narrow", customers: 2);
        var customer = shop.Customers[0];
        var agent = await App.NewAgentAsync("Nina Narrow", shop.Id);
        string[] agentPages = ["/", "/csi/chase-list", "/csi/my-callbacks", $"/customers/{customer.CustomerId}", $"/csi/call/{customer.RecordId}"];
        string[] adminPages =
        [
            "/supervisor/live", "/messages", "/reports", "/customers/duplicates", "/configuration/csi-settings", "/configuration/outcomes",
            "/configuration/decline-reasons", "/configuration/templates", "/configuration/customer-fields", "/configuration/import-customers",
            "/configuration/api-clients", "/configuration/inbound-log", "/configuration/users", "/configuration/dealerships", "/configuration/audit-log",
        ];
        var wide = new List<string>();

        async Task CheckAsync(AgentSession session, string path)
        {
            await session.GotoAsync(path);
            await session.Page.WaitForTimeoutAsync(600); // the page's data and MudBlazor's breakpoint re-render
            var logOut = session.Page.GetByTestId("log-out");
            await Expect(logOut).ToBeVisibleAsync();
            var box = await logOut.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390, $"{path}: Log out is outside the screen");
            var (scrollWidth, innerWidth) = (await session.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth"),
                await session.Page.EvaluateAsync<int>("() => innerWidth"));
            if (scrollWidth > innerWidth)
            {
                var culprits = await session.Page.EvaluateAsync<string>(
                    "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)" +
                    ".slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')).join(' ')");
                wide.Add($"{path} ({scrollWidth} px: {culprits})");
                await session.Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"failure-390{path.Replace('/', '-')}.png") });
            }
        }

        await using (var session = await fixture.SignInAsync(agent.UserName))
        {
            await session.Page.SetViewportSizeAsync(390, 844);
            foreach (var path in agentPages) await CheckAsync(session, path);
            await session.GotoAsync("/csi/chase-list");
            await session.Page.WaitForTimeoutAsync(500);
            await session.ScreenshotAsync("chase-list-390");
            await session.GotoAsync($"/csi/call/{customer.RecordId}");
            await session.Page.WaitForTimeoutAsync(500);
            await session.ScreenshotAsync("calling-page-390");
        }
        await using (var admin = await fixture.SignInAsync("admin"))
        {
            await admin.Page.SetViewportSizeAsync(390, 844);
            foreach (var path in adminPages) await CheckAsync(admin, path);
        }
        Assert.True(wide.Count == 0, "Pages wider than the screen at 390 px: " + string.Join(", ", wide));
    }
}
