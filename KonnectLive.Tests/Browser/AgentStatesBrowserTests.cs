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

        // The reason is on Configuration → Telephony, and the day's time is on Reports → Agent states.
        await supervisor.GotoAsync("/configuration/telephony");
        await Expect(supervisor.Page.GetByTestId("not-ready-reasons-table")).ToContainTextAsync(reason);
        await supervisor.ScreenshotAsync("telephony-settings-agent-states");
        await supervisor.GotoAsync("/reports");
        await supervisor.Page.GetByRole(AriaRole.Tab, new() { Name = "Agent states" }).ClickAsync();
        await Expect(supervisor.Page.GetByTestId("agent-states-report")).ToContainTextAsync("Stella State");
        await supervisor.ScreenshotAsync("report-agent-states");
    }
}
