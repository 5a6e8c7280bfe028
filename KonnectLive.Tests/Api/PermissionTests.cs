using System.Net;
using KonnectLive.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

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
        Assert.Contains(System.Net.WebUtility.HtmlEncode(global::KonnectLive.Desktop.Components.Pages.Account.Login.Refused), await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("KonnectLive.Auth")));
    }

    [Fact]
    public async Task Login_FiveFailuresFromOneAddress_PauseThatAccountThereWithTheSameMessageAndNoCookie()
    {
        // Its own account: the pause lasts 15 minutes for this address, and every test signs in from 127.0.0.1.
        var userName = await NewAccountAsync("pause");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        for (var i = 0; i < 5; i++) await AppFixture.PostLoginAsync(client, userName, "wrong-password");

        var correct = await AppFixture.PostLoginAsync(client, userName, global::KonnectLive.Core.Data.DemoData.Password);

        Assert.Equal(HttpStatusCode.OK, correct.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(global::KonnectLive.Desktop.Components.Pages.Account.Login.Refused), await correct.Content.ReadAsStringAsync());
        Assert.DoesNotContain(correct.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("KonnectLive.Auth")));
        // Identity's own lockout is only the backstop for guessing from many addresses: the account itself is not locked.
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<global::KonnectLive.Core.Users.AppUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByNameAsync(userName))!));
    }

    /// <summary>
    /// Unknown user, wrong password, locked account and disabled account: the same words, and about the same time (each spends
    /// one password hash). Prints the figure it proves.
    /// </summary>
    [Fact]
    public async Task Login_UnknownWrongLockedOrDisabled_SameMessageAndIndistinguishableTiming()
    {
        var wrong = await NewAccountAsync("wrong");
        var locked = await NewAccountAsync("locked");
        var disabled = await NewAccountAsync("disabled");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<global::KonnectLive.Core.Users.AppUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync(locked))!, DateTimeOffset.UtcNow.AddMinutes(15));
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync(disabled))!, DateTimeOffset.MaxValue);
        }
        var cases = new (string Kind, string UserName)[] { ("unknown", "nobody." + Guid.NewGuid().ToString("N")[..8]), ("wrong password", wrong), ("locked", locked), ("disabled", disabled) };
        var times = cases.ToDictionary(c => c.Kind, _ => new List<double>());
        var bodies = new HashSet<string>();
        // Four rounds each, interleaved so a busy moment hits every kind alike; under the per-account pause of five.
        for (var round = 0; round < 4; round++)
            foreach (var (kind, userName) in cases)
            {
                using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
                var page = await client.GetStringAsync("/account/login");
                var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
                var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Input.UserName"] = userName, ["Input.Password"] = "Not-the-password-1",
                });
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var response = await client.PostAsync("/account/login", form);
                watch.Stop();
                times[kind].Add(watch.Elapsed.TotalMilliseconds);
                var alert = System.Text.RegularExpressions.Regex.Match(await response.Content.ReadAsStringAsync(), "class=\"mud-alert-message\"[^>]*>([^<]*)<").Groups[1].Value.Trim();
                bodies.Add(alert);
            }

        var medians = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(t.Value.Count / 2));
        Console.WriteLine("sign-in enumeration: " + string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F0} ms")) +
                          $" (median of 4); {bodies.Count} distinct message(s)");
        Assert.Equal(System.Net.WebUtility.HtmlEncode(global::KonnectLive.Desktop.Components.Pages.Account.Login.Refused), Assert.Single(bodies));
        // Before, an unknown name answered in a tenth of the time a real one took; now each kind spends one hash. The bound
        // is for that tenfold leak; the suite's other thread (a browser, an app start) moves a median of four by up to 2.6×.
        Assert.True(medians.Values.Max() / medians.Values.Min() < 4,
            "Sign-in refusals differ in time by kind: " + string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F0} ms")));
    }

    private async Task<string> NewAccountAsync(string label)
    {
        var userName = $"signin.{label}.{Guid.NewGuid().ToString("N")[..6]}";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<global::KonnectLive.Core.Users.AppUser>>();
        var user = new global::KonnectLive.Core.Users.AppUser { UserName = userName, DisplayName = $"Probe {label}", LockoutEnabled = true };
        Assert.True((await users.CreateAsync(user, global::KonnectLive.Core.Data.DemoData.Password)).Succeeded);
        return userName;
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
