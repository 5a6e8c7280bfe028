using System.Net;
using System.Text.RegularExpressions;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Api;

/// <summary>Signing in and out through the real login form and log-out button leaves entries in the audit log.</summary>
[Collection(ConfigurationAppCollection.Name)]
public sealed class SignInAuditTests(AppFixture app)
{
    private async Task<List<AuditEntry>> EntriesAsync(string action)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    private async Task<AppUser> CreateUserAsync(string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = $"Probe {userName}", LockoutEnabled = true };
        Assert.True((await users.CreateAsync(user, DemoData.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Agent)).Succeeded);
        return user;
    }

    private HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    [Fact]
    public async Task SignIn_Succeeds_AuditsWhoSignedIn()
    {
        var user = await CreateUserAsync("audit.signin");

        using var signedIn = await app.SignInAsync("audit.signin");

        var entry = Assert.Single(await EntriesAsync(SignInAudit.SignedInAction), a => a.UserId == user.Id);
        Assert.Equal("Probe audit.signin", entry.UserName);
        Assert.StartsWith("Signed in as 'audit.signin' from 127.0.0.1", entry.Details);
    }

    [Fact]
    public async Task SignIn_WrongPassword_AuditsTheNameTriedButNeverThePassword()
    {
        var user = await CreateUserAsync("audit.wrong");
        using var client = NewClient();

        await AppFixture.PostLoginAsync(client, "audit.wrong", "Guess-Th1s-Secret!");

        var entry = Assert.Single(await EntriesAsync(SignInAudit.FailedAction), a => a.EntityId == user.Id);
        Assert.Null(entry.UserId); // nobody was signed in
        Assert.Equal("Failed sign-in as 'audit.wrong' from 127.0.0.1: wrong password.", entry.Details);
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Details != null && a.Details.Contains("Guess-Th1s-Secret!")));
    }

    [Fact]
    public async Task SignIn_UnknownUser_AuditsTheNameTried()
    {
        using var client = NewClient();

        await AppFixture.PostLoginAsync(client, "nobody.by.this.name", "whatever");

        var entry = Assert.Single(await EntriesAsync(SignInAudit.FailedAction), a => a.Details!.Contains("'nobody.by.this.name'"));
        Assert.Null(entry.EntityId);
        Assert.EndsWith(": no user has that name.", entry.Details);
    }

    [Fact]
    public async Task SignIn_FiveFailuresFromOneAddress_TheSixthIsRefusedUncheckedAndAuditedAsSuch()
    {
        var user = await CreateUserAsync("audit.lockout");
        using var client = NewClient();

        for (var i = 0; i < 5; i++) await AppFixture.PostLoginAsync(client, "audit.lockout", "wrong-password");
        await AppFixture.PostLoginAsync(client, "audit.lockout", DemoData.Password); // right password, but paused from here

        var details = (await EntriesAsync(SignInAudit.FailedAction)).Where(a => a.EntityId == user.Id).Select(a => a.Details!).ToList();
        Assert.Equal(6, details.Count);
        Assert.All(details.Take(5), d => Assert.EndsWith(": wrong password.", d));
        Assert.EndsWith(": refused without checking the password: 5 failed attempts at this account from this address in the last 15 minutes.", details[5]);
        Assert.DoesNotContain(await EntriesAsync(SignInAudit.SignedInAction), a => a.UserId == user.Id);
    }

    [Fact]
    public async Task SignOut_Posted_AuditsWhoSignedOut()
    {
        var user = await CreateUserAsync("audit.signout");
        using var signedIn = await app.SignInAsync("audit.signout");
        // Pages render in the circuit (no prerendering), so take an antiforgery token for this signed-in user from the static login page.
        var page = await signedIn.Client.GetStringAsync("/account/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);

        var response = await signedIn.Client.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var entry = Assert.Single(await EntriesAsync(SignInAudit.SignedOutAction), a => a.UserId == user.Id);
        Assert.Equal("Probe audit.signout", entry.UserName);
        Assert.StartsWith("Signed out as 'audit.signout'", entry.Details);
    }
}
