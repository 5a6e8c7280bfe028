using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>An agent changes their state from the app bar (keyboard and mouse); the supervisor's live board shows it, live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentStatesBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AgentChangesState_SupervisorBoardShowsItLive()
    {
        var shop = await fixture.App.NewDealershipAsync("States", customers: 1);
        var agent = await fixture.App.NewAgentAsync("Stella State", shop.Id);
        var reason = $"Coaching {Guid.NewGuid():N}"[..16];
        await using (var db = await fixture.App.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            var adminId = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync();
            var added = await fixture.App.Service<AgentStateService>().AddReasonAsync(new UserScope(adminId, "Ada Admin", null, false, [Roles.Admin]), reason);
            Assert.Equal(CommandOutcome.Done, added.Outcome);
        }

        await using var supervisor = await fixture.SignInAsync("admin");
        await supervisor.GotoAsync("/supervisor/live");
        var row = supervisor.Page.Locator($"[data-testid='agent-state-row'][data-user-id='{agent.UserId}']");
        await Expect(row.GetByTestId("agent-state-label")).ToContainTextAsync("No state yet");

        await using var session = await fixture.SignInAsync(agent.UserName);
        await session.GotoAsync("/csi/chase-list");
        var control = session.Page.GetByTestId("agent-state");
        await Expect(control).ToContainTextAsync("No state yet"); // as the supervisor's board says it

        // By keyboard: focus the state button, open the menu with Enter, choose the reason.
        await control.GetByRole(AriaRole.Button).FocusAsync();
        await session.Page.Keyboard.PressAsync("Enter");
        await session.Page.GetByRole(AriaRole.Menuitem, new() { Name = $"Not ready · {reason}" }).ClickAsync();
        await Expect(control).ToContainTextAsync($"Not ready · {reason}");
        await Expect(row.GetByTestId("agent-state-label")).ToContainTextAsync($"Not ready · {reason}");
        await Expect(row.GetByTestId("agent-state-time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0:0\d$"));
        await session.ScreenshotAsync("agent-state-app-bar");

        await control.GetByRole(AriaRole.Button).ClickAsync();
        await session.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Ready", Exact = true }).ClickAsync();
        await Expect(control).ToHaveAttributeAsync("data-state", "Ready");
        await Expect(row.GetByTestId("agent-state-label")).ToContainTextAsync("Ready");
        await Expect(row.GetByTestId("agent-state-label")).Not.ToContainTextAsync("Not ready");
        await supervisor.ScreenshotAsync("agent-states-board");

        await session.Page.SetViewportSizeAsync(390, 844);
        await session.ScreenshotAsync("agent-state-app-bar-390");
        // On a phone the button shows the state's word (not an icon alone), and its name, on the button itself, says it in full.
        var button = control.GetByRole(AriaRole.Button);
        await Expect(button).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex(@"^Your state: Ready · \d+:\d\d\. Change it$"));
        var shown = await button.EvaluateAsync<string>("b => getComputedStyle(b.querySelector('.mud-button-label'), '::after').content");
        Assert.Equal("\"Ready\"", shown);
        Assert.True((await button.BoundingBoxAsync())!.Width > 60, "the button has room for the word beside its icon");

        // The reason is on Configuration → Telephony, and the day's time is on Reports → Agent states.
        await supervisor.GotoAsync("/configuration/telephony");
        await Expect(supervisor.Page.GetByTestId("not-ready-reasons-table")).ToContainTextAsync(reason);
        await supervisor.ScreenshotAsync("telephony-settings-agent-states");
        await supervisor.GotoAsync("/reports");
        await supervisor.Page.GetByRole(AriaRole.Tab, new() { Name = "Agent states" }).ClickAsync();
        await Expect(supervisor.Page.GetByTestId("agent-states-report")).ToContainTextAsync("Stella State");
        await supervisor.ScreenshotAsync("report-agent-states");

        // Each state is shown to the second (h:mm:ss), so the four add up to Total as shown: she was in a state for
        // seconds only, which a h:mm column would show as 0:00 four times beside a 0:00 total.
        var cells = await supervisor.Page.GetByTestId("agent-states-report").Locator("tbody tr")
            .Filter(new() { HasText = "Stella State" }).First.Locator("td").AllInnerTextsAsync();
        var times = cells.Skip(3).Select(t => t.Trim()).ToList();
        Assert.Equal(5, times.Count);
        Assert.All(times, t => Assert.Matches(@"^\d+:\d\d:\d\d$", t));
        var seconds = times.Select(t => t.Split(':').Select(int.Parse).Aggregate(0, (total, part) => total * 60 + part)).ToList();
        Assert.Equal(seconds.Take(4).Sum(), seconds[4]);
        Assert.True(seconds[4] > 0, $"Stella's total is {times[4]}");
    }

    [Fact]
    public async Task StateMenu_Escape_ClosesItWithoutChangingState_AndALaterEnterDoesNotSetReady()
    {
        var shop = await fixture.App.NewDealershipAsync("Escape", customers: 1);
        var agent = await fixture.App.NewAgentAsync("Esme Escape", shop.Id);
        await using var session = await fixture.SignInAsync(agent.UserName);
        await session.GotoAsync("/csi/chase-list");
        var control = session.Page.GetByTestId("agent-state");
        await Expect(control).ToContainTextAsync("No state yet");
        var ready = session.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Ready", Exact = true });

        await control.GetByRole(AriaRole.Button).FocusAsync();
        await session.Page.Keyboard.PressAsync("Enter");
        await Expect(ready).ToBeVisibleAsync();
        await session.Page.Keyboard.PressAsync("ArrowDown"); // the way a keyboard user moves into the menu
        await session.Page.Keyboard.PressAsync("Escape");

        await Expect(ready).ToBeHiddenAsync();
        await session.Page.Keyboard.PressAsync("Enter"); // whatever has the focus now, it is not the hidden Ready
        await session.Page.WaitForTimeoutAsync(1000); // a state change would have reached the page by now
        await Expect(control).ToHaveAttributeAsync("data-state", AgentStateKind.NotReady.ToString());
        await Expect(control).ToContainTextAsync("No state yet");
        Assert.Equal(AgentStateKind.NotReady, (await fixture.App.Service<AgentStateService>().CurrentAsync(agent.UserId)).State);
        await session.Page.Keyboard.PressAsync("Escape"); // and if Enter opened the menu again, Esc closes it again
        await Expect(ready).ToBeHiddenAsync();
        await session.ScreenshotAsync("agent-state-menu-escaped");
    }
}
