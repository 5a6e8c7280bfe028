using KonnectLive.Desktop.Security;
using KonnectLive.Tests.Infrastructure;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// The security headers on every kind of response. That every page works under the Content-Security-Policy (0 violations
/// in Chromium, every page of the route table in every role) is checked by the same visit that runs axe:
/// <see cref="Figures.AccessibilityFigureTests"/>, which prints the <c>csp:</c> line.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityHeadersBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/api/v1/csi/records")]
    [InlineData("/no-such-page")]
    [InlineData("/app.css")]
    public async Task AnyResponse_CarriesTheHeaders_AndNoServerBanner(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        var response = await client.GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // plain HTTP here; HTTPS adds it
    }
}
