using System.Net;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Api;

/// <summary>The app as <see cref="AppFixture"/> starts it, but checking the cookie's security stamp on every request.</summary>
public sealed class UserSessionAppFixture : AppFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(SessionRevalidation.IntervalSecondsKey, "0");
    }
}

/// <summary>Its own app, so disabling users here never touches the demo users other HTTP tests share.</summary>
public sealed class UserSessionTests(UserSessionAppFixture app) : IClassFixture<UserSessionAppFixture>
{
    private const string Password = "Session-pass-42";

    private UserAdminService Admin => app.Service<UserAdminService>();

    private async Task<UserScope> AdminScopeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("admin");
        return (await app.Service<UserScopeLoader>().LoadAsync(admin!.Id))!;
    }

    private async Task<(UserScope Admin, string UserId, string UserName)> NewAgentAsync()
    {
        var admin = await AdminScopeAsync();
        var userName = $"session.{Guid.NewGuid():N}"[..20];
        var created = await Admin.CreateAsync(new CreateUserCommand
        {
            UserName = userName, DisplayName = "Session Agent", Password = Password, Roles = [Roles.Agent], HeadOffice = true, CsiVoiceEnabled = true,
        }, admin);
        Assert.Equal(UserAdminOutcome.Done, created.Outcome);
        return (admin, created.UserId!, userName);
    }

    private static void AssertRedirectsToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Disable_SignedInUser_NextRequestIsSentToLogIn()
    {
        var (admin, userId, userName) = await NewAgentAsync();
        using var session = await app.SignInAsync(userName, Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/csi/chase-list")).StatusCode);

        Assert.Equal(UserAdminOutcome.Done, (await Admin.DisableAsync(userId, admin)).Outcome);

        AssertRedirectsToLogin(await session.Client.GetAsync("/csi/chase-list"));
        // The cookie was removed, not just refused once.
        AssertRedirectsToLogin(await session.Client.GetAsync("/"));
    }

    [Fact]
    public async Task Disable_OtherUser_LeavesThisSessionAlone()
    {
        var (admin, _, userName) = await NewAgentAsync();
        var (_, otherId, _) = await NewAgentAsync();
        using var session = await app.SignInAsync(userName, Password);

        Assert.Equal(UserAdminOutcome.Done, (await Admin.DisableAsync(otherId, admin)).Outcome);

        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/csi/chase-list")).StatusCode);
    }

    [Fact]
    public async Task SignIn_DisabledUser_IsRefusedUntilEnabled()
    {
        var (admin, userId, userName) = await NewAgentAsync();
        await Admin.DisableAsync(userId, admin);

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await AppFixture.PostLoginAsync(client, userName, Password)).StatusCode); // the form again, not a redirect

        await Admin.EnableAsync(userId, admin);
        using var session = await app.SignInAsync(userName, Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/csi/chase-list")).StatusCode);
    }

    [Fact]
    public async Task ResetPassword_SignedInUser_NextRequestIsSentToLogIn()
    {
        var (admin, userId, userName) = await NewAgentAsync();
        using var session = await app.SignInAsync(userName, Password);

        await Admin.ResetPasswordAsync(new ResetPasswordCommand { UserId = userId, GeneratePassword = true }, admin);

        AssertRedirectsToLogin(await session.Client.GetAsync("/csi/chase-list"));
    }

    [Fact]
    public async Task Disable_OpenCircuit_IsSignedOutAtOnce()
    {
        var (admin, userId, _) = await NewAgentAsync();
        await using var circuit = app.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.IsType<RevalidatingIdentityAuthenticationStateProvider>(provider);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The principal a sign-in cookie carries, security stamp included; Blazor hands it to the circuit's provider.
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
            var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(userId))!);
            ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // one revalidation of a valid user: still signed in
        Assert.True((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);

        await Admin.DisableAsync(userId, admin);

        // No waiting for the next revalidation: the disable itself signs the circuit out.
        Assert.False((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task Disable_OtherUsersCircuit_StaysSignedIn()
    {
        var (admin, userId, _) = await NewAgentAsync();
        var (_, otherId, _) = await NewAgentAsync();
        await using var circuit = app.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
            var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(otherId))!);
            ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        }

        await Admin.DisableAsync(userId, admin);

        Assert.True((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task Disable_OpenLiveHubConnection_IsClosedAtOnce()
    {
        var (admin, userId, userName) = await NewAgentAsync();
        using var session = await app.SignInAsync(userName, Password);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/live"), o => { o.Cookies = session.Cookies; o.Transports = HttpTransportType.WebSockets; })
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();
        Assert.Equal(HubConnectionState.Connected, hub.State);

        await Admin.DisableAsync(userId, admin);

        // Without the revocation the connection would stay open (and keep receiving events) until the browser reconnects.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task FailedSignIns_LockTheAccount_ButDoNotEndTheOpenSession()
    {
        var (_, userId, userName) = await NewAgentAsync();
        using var session = await app.SignInAsync(userName, Password);
        await using var circuit = app.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
            var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(userId))!);
            ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        }

        // Someone else types wrong passwords for this user name: the account locks for new sign-ins…
        using var stranger = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        for (var i = 0; i < 5; i++) await AppFixture.PostLoginAsync(stranger, userName, "not-the-password");
        var again = await AppFixture.PostLoginAsync(stranger, userName, Password);
        Assert.Contains("locked", await again.Content.ReadAsStringAsync());

        // …but the agent already at work is not thrown out: not by the cookie check, the circuit or the services.
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past one circuit revalidation
        Assert.True((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/csi/chase-list")).StatusCode);
        Assert.NotNull(await app.Service<UserScopeLoader>().LoadAsync(userId));
    }
}
