using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KonnectLive.Core.Inbound;

namespace KonnectLive.Desktop.Api;

/// <summary>A token request, as JSON or as an OAuth2 form (grant_type=client_credentials).</summary>
public sealed class TokenRequest
{
    /// <example>client_credentials</example>
    [JsonPropertyName("grant_type")] public string? GrantType { get; set; }
    /// <example>focus-demo</example>
    [JsonPropertyName("client_id")] public string? ClientId { get; set; }
    /// <example>focus-demo-secret</example>
    [JsonPropertyName("client_secret")] public string? ClientSecret { get; set; }
}

public sealed class TokenResponse
{
    [JsonPropertyName("access_token")] public string AccessToken { get; set; } = "";
    /// <example>Bearer</example>
    [JsonPropertyName("token_type")] public string TokenType { get; set; } = "Bearer";
    /// <summary>Seconds the token is valid for (1200: 20 minutes).</summary>
    /// <example>1200</example>
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
}

/// <summary>POST /api/v1/token: OAuth2 client credentials (RFC 6749 §4.4) — JSON, form or HTTP Basic.</summary>
public static class TokenApi
{
    public const string Path = "/api/v1/token";
    public const string RateLimitPolicy = "inbound-token";

    public static RouteHandlerBuilder MapTokenApi(this IEndpointRouteBuilder group) =>
        group.MapPost("/token", IssueAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("IssueToken")
            .WithSummary("Get a bearer token (client credentials)")
            .WithDescription("Send client_id and client_secret as JSON, as an application/x-www-form-urlencoded form with " +
                             "grant_type=client_credentials, or as HTTP Basic. The token is valid for expires_in seconds (20 minutes), " +
                             "exactly: request a new one when it expires. Limited per IP address (429 past the limit).")
            .Produces<TokenResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> IssueAsync(HttpContext http, ApiTokenService tokens, InboundRequestLog requestLog, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (request, readError) = await ReadAsync(http.Request, ct);
        // The secret is never stored: the log keeps who asked and what they were told.
        async Task<IResult> Refuse(int status, string error, string description, int? apiClientId = null)
        {
            await requestLog.RecordAsync(new InboundCaller(apiClientId, request?.ClientId), $"POST {Path}", status, "", $"{error}: {description}",
                (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, CancellationToken.None);
            if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Basic realm=\"KonnectLive\"";
            return TypedResults.Problem(description, statusCode: status, title: status == 401 ? "Client authentication failed" : "Bad token request",
                extensions: new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });
        }

        if (request is null) return await Refuse(StatusCodes.Status400BadRequest, "invalid_request", readError!);
        if (request.GrantType is { } grant && grant != "client_credentials")
            return await Refuse(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");

        var result = await tokens.IssueAsync(request.ClientId, request.ClientSecret, ct);
        if (result.Token is not { } token)
            return await Refuse(StatusCodes.Status401Unauthorized, ApiTokenService.InvalidClient, result.Error!, result.ApiClientId);

        await requestLog.RecordAsync(new InboundCaller(token.ApiClientId, token.ClientId), $"POST {Path}", StatusCodes.Status200OK, "", null,
            (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, CancellationToken.None);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(new TokenResponse { AccessToken = token.AccessToken, ExpiresIn = token.ExpiresInSeconds });
    }

    private static async Task<(TokenRequest?, string?)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        TokenRequest body;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (InvalidDataException)
            {
                return (null, "The form could not be read.");
            }
            body = new TokenRequest { GrantType = form["grant_type"], ClientId = form["client_id"], ClientSecret = form["client_secret"] };
        }
        else if (request.HasJsonContentType())
        {
            try
            {
                body = await request.ReadFromJsonAsync<TokenRequest>(ct) ?? new TokenRequest();
            }
            catch (JsonException)
            {
                return (null, "The body is not valid JSON: send {\"client_id\": \"…\", \"client_secret\": \"…\"}.");
            }
        }
        else if (request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType))
        {
            body = new TokenRequest();
        }
        else
        {
            return (null, "Send the credentials as application/json or application/x-www-form-urlencoded.");
        }

        // HTTP Basic (RFC 6749 §2.3.1) when the body has no credentials.
        if (body.ClientId is null && AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var auth)
            && auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && auth.Parameter is { } p)
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(p));
                var colon = pair.IndexOf(':');
                if (colon > 0)
                {
                    body.ClientId = Uri.UnescapeDataString(pair[..colon]);
                    body.ClientSecret = Uri.UnescapeDataString(pair[(colon + 1)..]);
                }
            }
            catch (FormatException) { }
        }
        return (body, null);
    }
}
