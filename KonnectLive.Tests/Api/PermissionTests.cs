using System.Net;
using KonnectLive.Tests.Infrastructure;

namespace KonnectLive.Tests.Api;

[Collection(AppCollection.Name)]
public sealed class PermissionTests(AppFixture app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/csi/chase-list")]
    [InlineData("/csi/call/1")]
    public async Task Get_SignedOut_RedirectsToLogin(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("agent.north1", "/csi/chase-list", HttpStatusCode.OK)]
    [InlineData("ho.agent", "/csi/chase-list", HttpStatusCode.OK)]
    [InlineData("supervisor", "/csi/chase-list", HttpStatusCode.OK)]
    [InlineData("agent.novoice", "/csi/chase-list", HttpStatusCode.Redirect)]
    [InlineData("agent.novoice", "/csi/call/1", HttpStatusCode.Redirect)]
    [InlineData("agent.novoice", "/", HttpStatusCode.OK)]
    public async Task Get_ChaseListPages_OnlyForCsiVoiceUsers(string user, string path, HttpStatusCode expected)
    {
        using var signedIn = await app.SignInAsync(user);
        var response = await signedIn.Client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Redirect)
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsClearErrorAndNoCookie()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = app.BaseAddress };
        var response = await AppFixture.PostLoginAsync(client, "agent.south", "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("User name or password is incorrect.", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("KonnectLive.Auth")));
    }

    [Fact]
    public async Task Login_FiveFailures_LocksTheAccount()
    {
        // ho.agent's own attempts only: lockout is per account.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        HttpResponseMessage response = null!;
        for (var i = 0; i < 5; i++) response = await AppFixture.PostLoginAsync(client, "agent.lockout-probe", "wrong");
        // An unknown user is never "locked": the message must not reveal whether an account exists.
        Assert.Contains("User name or password is incorrect.", await response.Content.ReadAsStringAsync());

        using var victim = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        for (var i = 0; i < 5; i++) response = await AppFixture.PostLoginAsync(victim, "admin", "wrong-password");
        var correct = await AppFixture.PostLoginAsync(victim, "admin", global::KonnectLive.Core.Data.DemoData.Password);
        Assert.Equal(HttpStatusCode.OK, correct.StatusCode);
        Assert.Contains("locked", await correct.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("//evil.example/steal")]
    [InlineData("%2F%E3%80%80%2Fevil.example")] // an ideographic space: not something a Location header can carry
    [InlineData("%2Fcsi%2Fchase-list%0D%0ASet-Cookie:%20x=1")] // a control character
    [InlineData("%2F%5Cevil.example")]
    public async Task Login_ExternalOrUnprintableReturnUrl_LandsOnTheHomePage(string returnUrl)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var page = await client.GetStringAsync($"/account/login?returnUrl={returnUrl}");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync($"/account/login?returnUrl={returnUrl}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = "agent.north2", ["Input.Password"] = global::KonnectLive.Core.Data.DemoData.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace(app.BaseAddress.ToString().TrimEnd('/'), ""));
    }

    [Fact]
    public async Task Get_UnknownPath_ShowsFriendlyNotFound()
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var response = await client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }
}
