using System.Net;
using System.Text.RegularExpressions;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Security;

/// <summary>Logging out ends that sign-in on the server: a copy of its cookie is worth nothing afterwards.</summary>
[Collection(AppCollection.Name)]
public sealed class LogoutTests(AppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Logout_CopiedCookieReplayed_IsRefusedEverywhere_OtherSignInKeepsWorking()
    {
        var agent = await app.NewAgentAsync("Logout Lou", dealershipId: null);
        using var session = await app.SignInAsync(agent.UserName);
        using var otherBrowser = await app.SignInAsync(agent.UserName); // the same user, signed in separately
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/csi/chase-list")).StatusCode);
        await using var openHub = Connect(session.Cookies);
        await openHub.StartAsync();
        var hubClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        openHub.Closed += _ => { hubClosed.TrySetResult(); return Task.CompletedTask; };

        // What an attacker would keep: the cookie as it stood before logout.
        var copied = new CookieContainer();
        copied.Add(session.Cookies.GetAllCookies());
        using var replay = new HttpClient(new HttpClientHandler { CookieContainer = copied, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        Assert.Equal(HttpStatusCode.Redirect, (await LogOutAsync(session.Client)).StatusCode);

        var pages = new[] { "/csi/chase-list", "/", "/csi/my-callbacks", "/customers/search" };
        var refused = 0;
        foreach (var path in pages)
        {
            var response = await replay.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login")) refused++;
            else output.WriteLine($"{path}: {(int)response.StatusCode} {response.Headers.Location}");
        }
        var negotiate = await replay.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null);
        if (negotiate.StatusCode == HttpStatusCode.Unauthorized) refused++;
        var total = pages.Length + 1;
        Console.WriteLine($"logout: copied cookie refused on {refused}/{total} routes after logout");
        Assert.Equal(total, refused);

        // The hub connection that sign-in had open is closed at once, not left receiving events.
        await hubClosed.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // The user's other sign-in is a different session: still in.
        Assert.Equal(HttpStatusCode.OK, (await otherBrowser.Client.GetAsync("/csi/chase-list")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherBrowser.Client.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null)).StatusCode);

        // Recorded in the database, so every instance refuses it.
        await using var db = await app.Service<IDbContextFactory<global::KonnectLive.Core.Data.KonnectDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.RevokedSessions.CountAsync(s => s.UserId == agent.UserId));
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_IsRefused_SessionStays()
    {
        var agent = await app.NewAgentAsync("Forgery Fran", dealershipId: null);
        using var session = await app.SignInAsync(agent.UserName);

        var forged = await session.Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/csi/chase-list")).StatusCode);
    }

    [Fact]
    public async Task SessionId_SurvivesTheSecurityStampRefresh()
    {
        // Each sign-in carries its own session id; two sign-ins of one user never share one.
        var agent = await app.NewAgentAsync("Stamp Sid", dealershipId: null);
        using var a = await app.SignInAsync(agent.UserName);
        using var b = await app.SignInAsync(agent.UserName);
        var cookieA = a.Cookies.GetAllCookies().Single(c => c.Name == "KonnectLive.Auth").Value;
        var cookieB = b.Cookies.GetAllCookies().Single(c => c.Name == "KonnectLive.Auth").Value;
        Assert.NotEqual(cookieA, cookieB);
        await Task.Delay(TimeSpan.FromSeconds(11)); // past the 10 s stamp check, which rebuilds the principal
        Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync("/csi/chase-list")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync("/csi/chase-list")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await LogOutAsync(a.Client)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.Client.GetAsync("/csi/chase-list")).StatusCode);
    }

    private HubConnection Connect(CookieContainer cookies) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/live"), o =>
            {
                o.Cookies = cookies;
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();

    /// <summary>The layout's Log out form posts with an antiforgery token; the static login page hands one out to a signed-in client.</summary>
    internal static async Task<HttpResponseMessage> LogOutAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/account/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        return await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }
}
