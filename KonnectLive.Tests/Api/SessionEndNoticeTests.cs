using System.Net;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Infrastructure;

namespace KonnectLive.Tests.Api;

/// <summary>
/// The log-in page says why a session was ended only for a token the app made (the closed page's redirect, see
/// SessionEndBrowserTests); an anonymous visitor who types or edits <c>?ended=</c> sees the plain log-in page.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SessionEndNoticeTests(AppFixture app)
{
    private static readonly string Disabled = WebUtility.HtmlEncode(SessionEndNotice.Message(SessionEndReason.Disabled));

    private async Task<string> LoginPageAsync(string query)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var response = await client.GetAsync("/account/login" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task LoginPage_TokenTheAppMade_SaysWhyTheSessionEnded()
    {
        var token = app.Service<SessionEndNotice>().Protect(SessionEndReason.Disabled);

        var html = await LoginPageAsync("?ended=" + Uri.EscapeDataString(token));

        Assert.Contains(Disabled, html);
        Assert.Contains("data-testid=\"session-ended\"", html);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?ended=1")]
    [InlineData("?ended=Disabled")]
    [InlineData("?ended=CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task LoginPage_NoOrForgedToken_SaysNothingAboutASession(string query)
    {
        var html = await LoginPageAsync(query);

        Assert.DoesNotContain("session-ended", html);
        Assert.DoesNotContain("ended by an administrator", html);
    }
}
