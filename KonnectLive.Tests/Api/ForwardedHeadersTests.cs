using System.Net;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace KonnectLive.Tests.Api;

/// <summary>The app behind a proxy at 127.0.0.1 (ForwardedHeaders:KnownProxies), as nginx runs it in front of a cluster.</summary>
public sealed class ProxiedAppFixture : AppFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.1");
        builder.UseSetting("InboundApi:TokenRequestsPerMinute", "2");
    }
}

public sealed class ForwardedHeadersTests(ProxiedAppFixture app) : IClassFixture<ProxiedAppFixture>
{
    private HttpClient ClientFrom(string address, string scheme = "http")
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", scheme);
        return client;
    }

    private static Task<HttpResponseMessage> AskForTokenAsync(HttpClient client) =>
        client.PostAsync("/api/v1/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));

    [Fact]
    public async Task TokenRateLimit_BehindTheProxy_CountsEachClientNotTheProxy()
    {
        using var first = ClientFrom("203.0.113.10");
        using var second = ClientFrom("203.0.113.20");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await AskForTokenAsync(first)).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await AskForTokenAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AskForTokenAsync(first)).StatusCode);

        // Every request came from the proxy's address; the second client still has its own allowance.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await AskForTokenAsync(second)).StatusCode);
    }

    [Fact]
    public async Task SignIn_BrowserUsedHttpsAtTheProxy_CookieIsSecure()
    {
        using var https = ClientFrom("203.0.113.30", "https");
        var response = await AppFixture.PostLoginAsync(https, "admin", DemoData.Password);

        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("KonnectLive.Auth="));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_PlainHttp_CookieIsNotSecure()
    {
        using var http = ClientFrom("203.0.113.40");
        var response = await AppFixture.PostLoginAsync(http, "admin", DemoData.Password);

        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("KonnectLive.Auth="));
        Assert.DoesNotContain("secure", auth, StringComparison.OrdinalIgnoreCase);
    }
}
