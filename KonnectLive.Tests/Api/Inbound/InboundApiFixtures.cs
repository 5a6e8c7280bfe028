using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using KonnectLive.Core.Inbound;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KonnectLive.Tests.Api.Inbound;

/// <summary>
/// The real app with its own database and a <see cref="FakeTimeProvider"/>, so token expiry can be walked to the
/// second. Its own instance: advancing its clock or disabling its clients cannot disturb the shared app's tests.
/// </summary>
public class InboundApiFixture : AppFixture
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    protected virtual int TokenRequestsPerMinute => 10_000;
    protected virtual int RecordRequestsPerMinute => 100_000;
    protected virtual bool UseFakeTime => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("InboundApi:TokenRequestsPerMinute", TokenRequestsPerMinute.ToString());
        builder.UseSetting("InboundApi:RecordRequestsPerMinute", RecordRequestsPerMinute.ToString());
        if (UseFakeTime) builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    public HttpClient NewClient() => new() { BaseAddress = BaseAddress };

    /// <summary>A fresh enabled client of the test's own, with its secret.</summary>
    public async Task<ApiClientWithSecret> NewApiClientAsync(string prefix = "test") =>
        await Service<ApiClientService>().CreateAsync(new CreateApiClientCommand { Name = $"{prefix} client", ClientId = $"{prefix}-{Guid.NewGuid():N}" }, await AdminAsync());

    /// <summary>The demo admin, as the API client operations (admins only) require.</summary>
    public Task<global::KonnectLive.Core.Users.UserScope> AdminAsync() => this.ScopeAsync("admin");

    public async Task<string> TokenAsync(string clientId, string secret)
    {
        using var http = NewClient();
        var response = await http.PostAsJsonAsync("/api/v1/token", new { client_id = clientId, client_secret = secret });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> PostRecordsAsync(string? token, string body, string contentType = "application/json") =>
        PostRecordsAsync(token, new StringContent(body, Encoding.UTF8), contentType);

    /// <summary>The body exactly as these bytes, whatever they are.</summary>
    public Task<HttpResponseMessage> PostRecordBytesAsync(string? token, byte[] body) =>
        PostRecordsAsync(token, new ByteArrayContent(body), "application/json");

    private async Task<HttpResponseMessage> PostRecordsAsync(string? token, HttpContent content, string contentType)
    {
        using var http = NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/csi/records") { Content = content };
        request.Content.Headers.ContentType = contentType.Length == 0 ? null : MediaTypeHeaderValue.Parse(contentType);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}

[CollectionDefinition(Name)]
public sealed class InboundApiCollection : ICollectionFixture<InboundApiFixture>
{
    public const string Name = "inbound-api";
}

/// <summary>A small token limit on the real clock, in an app of its own.</summary>
public sealed class RateLimitedApiFixture : InboundApiFixture
{
    public const int Limit = 3;
    protected override int TokenRequestsPerMinute => Limit;
    protected override bool UseFakeTime => false;
}

/// <summary>A small per-client limit on record batches, on the real clock, in an app of its own.</summary>
public sealed class RecordsRateLimitedApiFixture : InboundApiFixture
{
    public const int Limit = 3;
    protected override int RecordRequestsPerMinute => Limit;
    protected override bool UseFakeTime => false;
}
