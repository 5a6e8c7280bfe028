using System.Text.RegularExpressions;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>An admin ends a user's session while their page is open: the page closes onto the log-in page, which says why.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionEndBrowserTests(BrowserFixture fixture)
{
    private async Task<(UserScope Admin, string UserId, string UserName)> NewAgentAsync()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var adminUser = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("admin");
        var admin = (await fixture.App.Service<UserScopeLoader>().LoadAsync(adminUser!.Id))!;
        var userName = $"ended.{Guid.NewGuid():N}"[..18];
        var created = await fixture.App.Service<UserAdminService>().CreateAsync(new CreateUserCommand
        {
            UserName = userName, DisplayName = "Ended Agent", Password = DemoData.Password, Roles = [Roles.Agent], HeadOffice = true,
            CsiVoiceEnabled = true,
        }, admin);
        Assert.Equal(UserAdminOutcome.Done, created.Outcome);
        return (admin, created.UserId!, userName);
    }

    [Fact]
    public async Task Disable_WhileThePageIsOpen_LoginPageSaysTheAdministratorEndedIt()
    {
        var (admin, userId, userName) = await NewAgentAsync();
        await using var agent = await fixture.SignInAsync(userName);
        await agent.GotoAsync("/csi/chase-list");

        Assert.Equal(UserAdminOutcome.Done, (await fixture.App.Service<UserAdminService>().DisableAsync(userId, admin)).Outcome);

        await Expect(agent.Page).ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = AgentSession.NavigationTimeout });
        await Expect(agent.Page.GetByTestId("session-ended")).ToHaveTextAsync(SessionEndNotice.Message(SessionEndReason.Disabled));
        await agent.ScreenshotAsync("login-session-ended");

        // The notice belongs to that redirect: the log-in page on its own says nothing of it.
        await agent.Page.GotoAsync("/account/login");
        await Expect(agent.Page.GetByTestId("session-ended")).ToHaveCountAsync(0);
    }
}
