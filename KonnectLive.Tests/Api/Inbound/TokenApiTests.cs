using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Tests.Core.Inbound;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Api.Inbound;

[Collection(InboundApiCollection.Name)]
public sealed class TokenApiTests(InboundApiFixture app)
{
    private const string Empty = """{"records":[]}""";

    private async Task<string> ValidBatchAsync() =>
        CsiPayloads.Batch(CsiPayloads.Record($"TOK-{Guid.NewGuid():N}"[..20], "NGM", "Awaiting", app.Time.GetUtcNow().UtcDateTime.AddMinutes(-1)));

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string reasonFragment)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        Assert.Contains(reasonFragment, challenge.Parameter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reasonFragment, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Token_JsonCredentials_ReturnsBearerFor1200Seconds()
    {
        var client = await app.NewApiClientAsync();
        using var http = app.NewClient();

        var response = await http.PostAsJsonAsync("/api/v1/token", new { client_id = client.Client.ClientId, client_secret = client.Secret });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(1200, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(43, body.GetProperty("access_token").GetString()!.Length);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Token_FormEncodedClientCredentials_ReturnsToken()
    {
        using var http = app.NewClient();

        var response = await http.PostAsync("/api/v1/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = DatabaseInitializer.DemoApiClientId,
            ["client_secret"] = DatabaseInitializer.DemoApiClientSecret,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1200, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expires_in").GetInt32());
    }

    [Theory]
    [InlineData("focus-demo", "wrong-secret")]
    [InlineData("no-such-client", "focus-demo-secret")]
    [InlineData("focus-demo", "")]
    public async Task Token_BadCredentials_Returns401InvalidClient(string clientId, string secret)
    {
        using var http = app.NewClient();

        var response = await http.PostAsJsonAsync("/api/v1/token", new { client_id = clientId, client_secret = secret });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_client", problem.GetProperty("error").GetString());
        Assert.DoesNotContain("access_token", problem.ToString());
    }

    [Fact]
    public async Task Token_WrongGrantType_Returns400()
    {
        using var http = app.NewClient();

        var response = await http.PostAsync("/api/v1/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "focus-demo", ["client_secret"] = "focus-demo-secret",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Records_TokenAt19Minutes59_AcceptedAndAt20Minutes_Expired()
    {
        var client = await app.NewApiClientAsync();
        var token = await app.TokenAsync(client.Client.ClientId, client.Secret);

        app.Time.Advance(TimeSpan.FromMinutes(19) + TimeSpan.FromSeconds(59));
        var before = await app.PostRecordsAsync(token, await ValidBatchAsync());
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var at = await app.PostRecordsAsync(token, await ValidBatchAsync());

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await AssertUnauthorizedAsync(at, "expired");
    }

    [Fact]
    public async Task Records_TamperedToken_401UnknownOrTampered()
    {
        var client = await app.NewApiClientAsync();
        var token = await app.TokenAsync(client.Client.ClientId, client.Secret);
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];

        await AssertUnauthorizedAsync(await app.PostRecordsAsync(tampered, await ValidBatchAsync()), "tampered");
        await AssertUnauthorizedAsync(await app.PostRecordsAsync(token + "x", await ValidBatchAsync()), "tampered");
    }

    [Fact]
    public async Task Records_UnknownToken_401()
    {
        await AssertUnauthorizedAsync(await app.PostRecordsAsync(ApiSecrets.NewToken(), await ValidBatchAsync()), "unknown");
    }

    [Fact]
    public async Task Records_NoToken_401BareChallengeAndLogged()
    {
        var response = await app.PostRecordsAsync(null, Empty);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("realm=\"KonnectLive\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
        Assert.Contains("No bearer token", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Records_ClientDisabledAfterIssue_401AtOnceAndNoNewTokens()
    {
        var client = await app.NewApiClientAsync();
        var token = await app.TokenAsync(client.Client.ClientId, client.Secret);
        Assert.Equal(HttpStatusCode.OK, (await app.PostRecordsAsync(token, await ValidBatchAsync())).StatusCode);

        await app.Service<ApiClientService>().DisableAsync(client.Client.Id, await app.AdminAsync());

        await AssertUnauthorizedAsync(await app.PostRecordsAsync(token, await ValidBatchAsync()), "disabled");
        using var http = app.NewClient();
        var again = await http.PostAsJsonAsync("/api/v1/token", new { client_id = client.Client.ClientId, client_secret = client.Secret });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("disabled", await again.Content.ReadAsStringAsync());

        // Enabling lets it ask again, but the token it held before stays dead.
        await app.Service<ApiClientService>().EnableAsync(client.Client.Id, await app.AdminAsync());
        await AssertUnauthorizedAsync(await app.PostRecordsAsync(token, await ValidBatchAsync()), "unknown");
        Assert.Equal(HttpStatusCode.OK, (await app.PostRecordsAsync(await app.TokenAsync(client.Client.ClientId, client.Secret), await ValidBatchAsync())).StatusCode);
    }

    [Fact]
    public async Task Rotate_OldSecretRefusedAndOldTokenRevoked_NewSecretWorks()
    {
        var client = await app.NewApiClientAsync();
        var oldToken = await app.TokenAsync(client.Client.ClientId, client.Secret);

        var rotated = await app.Service<ApiClientService>().RotateSecretAsync(client.Client.Id, await app.AdminAsync());

        using var http = app.NewClient();
        var withOld = await http.PostAsJsonAsync("/api/v1/token", new { client_id = client.Client.ClientId, client_secret = client.Secret });
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        await AssertUnauthorizedAsync(await app.PostRecordsAsync(oldToken, await ValidBatchAsync()), "revoked");
        var newToken = await app.TokenAsync(client.Client.ClientId, rotated.Secret);
        Assert.Equal(HttpStatusCode.OK, (await app.PostRecordsAsync(newToken, await ValidBatchAsync())).StatusCode);
    }

    [Fact]
    public async Task ClientActions_AreAudited()
    {
        var client = await app.NewApiClientAsync("audit");
        var service = app.Service<ApiClientService>();
        await service.DisableAsync(client.Client.Id, await app.AdminAsync());
        await service.EnableAsync(client.Client.Id, await app.AdminAsync());
        await service.RotateSecretAsync(client.Client.Id, await app.AdminAsync());

        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var actions = await db.AuditEntries.Where(a => a.EntityId == client.Client.ClientId).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["apiclient.created", "apiclient.disabled", "apiclient.enabled", "apiclient.rotated"], actions);
        var stored = await db.ApiClients.SingleAsync(c => c.Id == client.Client.Id);
        Assert.DoesNotContain(client.Secret, stored.SecretHash);
    }

    [Fact]
    public async Task Swagger_DocumentsBothEndpointsWithBearerScheme()
    {
        using var http = app.NewClient();

        var json = await http.GetStringAsync("/swagger/v1/swagger.json");
        var ui = await http.GetAsync("/swagger/index.html");

        Assert.Contains("/api/v1/token", json);
        Assert.Contains("/api/v1/csi/records", json);
        Assert.Contains("\"bearer\"", json);
        Assert.Contains("FOCUS-000123", json);
        // The optional customer id: in the schema, with its example and what it decides.
        Assert.Contains("\"focusCustomerId\"", json);
        Assert.Contains("FC-88412", json);
        Assert.Contains("never merged", json);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("supervisor", HttpStatusCode.Redirect)]
    public async Task ApiClientsPage_OnlyForAdmins(string user, HttpStatusCode expected)
    {
        using var signedIn = await app.SignInAsync(user);

        var response = await signedIn.Client.GetAsync("/configuration/api-clients");

        Assert.Equal(expected, response.StatusCode);
    }
}

[CollectionDefinition(Name)]
public sealed class RateLimitCollection : ICollectionFixture<RateLimitedApiFixture>
{
    public const string Name = "inbound-rate-limit";
}

[Collection(RateLimitCollection.Name)]
public sealed class TokenRateLimitTests(RateLimitedApiFixture app)
{
    [Fact]
    public async Task Token_PastThePerIpLimit_Returns429WithMessage()
    {
        using var http = app.NewClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < RateLimitedApiFixture.Limit + 1; i++)
        {
            last = await http.PostAsJsonAsync("/api/v1/token", new { client_id = "focus-demo", client_secret = "focus-demo-secret" });
            statuses.Add(last.StatusCode);
        }

        Assert.All(statuses.Take(RateLimitedApiFixture.Limit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Contains("Too many token requests", await last.Content.ReadAsStringAsync());
        Assert.NotNull(last.Headers.RetryAfter);
    }
}

[CollectionDefinition(Name)]
public sealed class RecordsRateLimitCollection : ICollectionFixture<RecordsRateLimitedApiFixture>
{
    public const string Name = "inbound-records-rate-limit";
}

[Collection(RecordsRateLimitCollection.Name)]
public sealed class RecordsRateLimitTests(RecordsRateLimitedApiFixture app)
{
    [Fact]
    public async Task Records_PastThePerClientLimit_429WithRetryAfter_LoggedAndOtherClientsUnaffected()
    {
        var greedy = await app.NewApiClientAsync("greedy");
        var other = await app.NewApiClientAsync("other");
        var greedyToken = await app.TokenAsync(greedy.Client.ClientId, greedy.Secret);
        var otherToken = await app.TokenAsync(other.Client.ClientId, other.Secret);
        const string batch = """{"records":[]}""";

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < RecordsRateLimitedApiFixture.Limit + 1; i++)
        {
            last = await app.PostRecordsAsync(greedyToken, batch);
            statuses.Add(last.StatusCode);
        }

        Assert.All(statuses.Take(RecordsRateLimitedApiFixture.Limit), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Contains("Too many record batches from this API client", await last.Content.ReadAsStringAsync());
        Assert.InRange(last.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        // Another client, from the same address, has its own allowance.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await app.PostRecordsAsync(otherToken, batch)).StatusCode);
        // The refused request is in the inbound log with its real status.
        await using var db = await app.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<global::KonnectLive.Core.Data.KonnectDbContext>>().CreateDbContextAsync();
        Assert.Single(Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.InboundRequests)
            .Where(r => r.StatusCode == 429 && r.ClientId == greedy.Client.ClientId).ToList());
    }
}
