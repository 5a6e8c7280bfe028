using System.Collections.Concurrent;
using KonnectLive.Core.Data;
using KonnectLive.Desktop.Security;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// Every page of the app works under its Content-Security-Policy: loaded in Chromium with the policy enforced, none
/// reports a violation and each becomes interactive. The pages come from the app's own route table, so a new page is
/// covered without anyone remembering to add it here.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityHeadersBrowserTests(BrowserFixture fixture)
{
    private AppFixture App => fixture.App;

    private IReadOnlyList<string> PageRoutes() =>
        [.. App.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct().Order()];

    [Fact]
    public async Task EveryPage_UnderTheContentSecurityPolicy_ZeroViolations()
    {
        var shop = await App.NewDealershipAsync("Csp", customers: 1);
        var agent = await App.NewAgentAsync("Cora Policy", shop.Id);
        var record = shop.Customers[0];
        var routes = PageRoutes();
        Assert.Contains("/csi/chase-list", routes);

        await using var admin = await fixture.SignInAsync("admin");
        await using var caller = await fixture.SignInAsync(agent.UserName);
        var violations = new ConcurrentQueue<string>();
        foreach (var session in new[] { admin, caller })
        {
            session.Page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy")) violations.Enqueue($"{session.Page.Url}: {m.Text}"); };
            await session.Page.AddInitScriptAsync(
                "document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));");
        }

        var visited = new List<string>();
        foreach (var route in routes)
        {
            var (session, path) = route switch
            {
                "/csi/call/{RecordId:int}" => (caller, $"/csi/call/{record.RecordId}"),
                "/customers/{Id:int}" => (admin, $"/customers/{record.CustomerId}"),
                "/account/login" => (admin, "/account/login"),
                _ when route.Contains('{') => throw new InvalidOperationException($"A page with a route parameter needs a value here: {route}"),
                _ => (admin, route),
            };
            var response = await session.Page.GotoAsync(path);
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, await response!.HeaderValueAsync("content-security-policy"));
            if (path is not ("/account/login" or "/account/denied" or "/account/two-factor" or "/account/login-2fa" or "/error" or "/not-found"))
            {
                try { await session.WaitInteractiveAsync(); }
                catch (TimeoutException ex)
                {
                    await session.ScreenshotAsync("failure-csp-" + path.Trim('/').Replace('/', '-'));
                    throw new TimeoutException($"{path} never became interactive (now at {session.Page.Url}; visited before: {string.Join(", ", visited)})", ex);
                }
            }
            await session.Page.WaitForTimeoutAsync(200); // late styles and sockets report too
            visited.Add(path);
        }
        // Give the caller's lock back.
        await caller.Page.GotoAsync("/csi/chase-list");

        Console.WriteLine($"csp: {visited.Count} pages, {violations.Count} violations");
        Assert.True(violations.IsEmpty, string.Join("\n", violations));
        Assert.True(visited.Count >= 20, $"only {visited.Count} pages: " + string.Join(", ", visited));
    }

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
