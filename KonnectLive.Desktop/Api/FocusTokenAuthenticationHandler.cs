using System.Security.Claims;
using System.Text.Encodings.Web;
using KonnectLive.Core.Inbound;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Api;

/// <summary>
/// The "FocusToken" scheme: bearer tokens from POST /api/v1/token, checked against the database on every request
/// (so expiry is exact and a disabled client is refused at once). Used only by the inbound API's policy; the Blazor
/// app's default scheme stays the Identity cookie.
/// </summary>
public sealed class FocusTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    InboundRequestLog requestLog) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FocusToken";
    public const string ClientIdClaim = "client_id";
    /// <summary>One claim per scope the client holds (<see cref="ApiScopes"/>), checked by each endpoint's policy.</summary>
    public const string ScopeClaim = "scope";
    private const string CheckKey = "FocusToken.Check";

    /// <summary>The API client a bearer principal stands for, as the inbound log records it.</summary>
    public static InboundCaller CallerOf(ClaimsPrincipal user) =>
        new(int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null, user.FindFirstValue(ClientIdClaim));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
        {
            Context.Items[CheckKey] = new TokenCheck(TokenRejection.Missing);
            return AuthenticateResult.NoResult();
        }
        var check = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted)
            : new TokenCheck(TokenRejection.Malformed);
        Context.Items[CheckKey] = check;
        if (!check.IsValid) return AuthenticateResult.Fail(check.Description);

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, check.ApiClientId.ToString()),
            new Claim(ClaimTypes.Name, check.ClientName),
            new Claim(ClientIdClaim, check.ClientId),
            .. Enum.GetValues<ApiScopes>().Where(s => s != ApiScopes.None && check.Scopes.HasFlag(s)).Select(s => new Claim(ScopeClaim, s.ToString())),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>401 with RFC 6750's WWW-Authenticate (error="invalid_token" and why) and the same reason as a problem.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var check = Context.Items[CheckKey] as TokenCheck ?? new TokenCheck(TokenRejection.Missing);
        // RFC 6750 §3.1: a request without credentials gets the bare challenge, no error code.
        Response.Headers.WWWAuthenticate = check.Rejection == TokenRejection.Missing
            ? "Bearer realm=\"KonnectLive\""
            : $"Bearer realm=\"KonnectLive\", error=\"invalid_token\", error_description=\"{check.Description}\"";
        var error = check.Rejection == TokenRejection.Missing ? "missing_token" : "invalid_token";

        // Refused calls are logged too (without their body: an unauthenticated caller does not get to store data).
        var caller = check.ApiClientId == 0 ? InboundCaller.Anonymous : new InboundCaller(check.ApiClientId, check.ClientId);
        await requestLog.RecordAsync(caller, $"{Request.Method} {Request.Path}", StatusCodes.Status401Unauthorized, "",
            $"{error}: {check.Description}", 0, CancellationToken.None);

        await TypedResults.Problem(check.Description, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            extensions: new Dictionary<string, object?> { ["error"] = error, ["error_description"] = check.Description }).ExecuteAsync(Context);
    }

    /// <summary>
    /// 403 with a problem that says which scope the endpoint needs: a valid token of a client that may not call it (a
    /// telephony client posting FOCUS records, or FOCUS posting call events). Logged like every refusal.
    /// </summary>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var telephony = Request.Path.StartsWithSegments("/api/v1/telephony");
        var needed = telephony ? ApiScopes.Telephony : ApiScopes.CsiIngest;
        var detail = $"This API client may not call {Request.Path}: it needs the {needed} scope. An admin creates a client with that scope on Configuration → API Clients.";
        var caller = CallerOf(Context.User);
        await requestLog.RecordAsync(caller, $"{Request.Method} {Request.Path}", StatusCodes.Status403Forbidden, "", detail, 0, CancellationToken.None);
        await TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            extensions: new Dictionary<string, object?> { ["error"] = "insufficient_scope" }).ExecuteAsync(Context);
    }
}
