using KonnectLive.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Inbound;

public sealed record IssuedToken(string AccessToken, int ExpiresInSeconds, DateTime ExpiresAt, int ApiClientId, string ClientId);

/// <summary>The outcome of a token request: a token, or why not (said as OAuth's <c>invalid_client</c>).</summary>
public sealed record TokenRequestResult(IssuedToken? Token, string? Error, int? ApiClientId = null);

public enum TokenRejection { None, Missing, Malformed, UnknownOrRevoked, Expired, ClientDisabled }

/// <summary>Who a valid token belongs to, or why it was refused.</summary>
public sealed record TokenCheck(TokenRejection Rejection, int ApiClientId = 0, string ClientId = "", string ClientName = "", ApiScopes Scopes = ApiScopes.None)
{
    public bool IsValid => Rejection == TokenRejection.None;

    /// <summary>What the caller is told (RFC 6750 error_description and the problem's detail).</summary>
    public string Description => Rejection switch
    {
        TokenRejection.Missing => "No bearer token was sent. Request one from POST /api/v1/token.",
        TokenRejection.Malformed or TokenRejection.UnknownOrRevoked => "The access token is unknown, revoked or has been tampered with.",
        TokenRejection.Expired => "The access token has expired. Request a new one from POST /api/v1/token.",
        TokenRejection.ClientDisabled => "The API client this token was issued to is disabled.",
        _ => "",
    };
}

/// <summary>
/// OAuth2 client-credentials tokens. A token is 32 random bytes (base64url) stored only as its SHA-256; it is valid
/// while now &lt; ExpiresAt — exactly the configured lifetime, with no clock skew (at 20:00 it is already refused).
/// </summary>
public sealed class ApiTokenService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    IPasswordHasher<ApiClient> hasher,
    IOptions<InboundApiOptions> options,
    TimeProvider time)
{
    public const string InvalidClient = "invalid_client";

    // Verified against when the client id is unknown, so a wrong id takes as long as a wrong secret.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<ApiClient>().HashPassword(new ApiClient(), ApiSecrets.NewSecret()));

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<TokenRequestResult> IssueAsync(string? clientId, string? clientSecret, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(clientId) || string.IsNullOrEmpty(clientSecret) || clientId.Length > 64 || clientSecret.Length > 200)
            return new(null, "client_id and client_secret are required.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.SingleOrDefaultAsync(c => c.ClientId == clientId, ct);
        var verified = hasher.VerifyHashedPassword(client ?? new ApiClient(), client?.SecretHash ?? DummyHash.Value, clientSecret);
        if (client is null || verified == PasswordVerificationResult.Failed)
            return new(null, "The client id or secret is wrong.");
        // Only someone holding the secret learns that the client is disabled.
        if (!client.IsEnabled)
            return new(null, "This API client is disabled.", client.Id);

        var now = Now;
        if (verified == PasswordVerificationResult.SuccessRehashNeeded) client.SecretHash = hasher.HashPassword(client, clientSecret);
        client.LastUsedAt = now;
        var lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
        var token = ApiSecrets.NewToken();
        db.ApiTokens.Add(new ApiToken { ApiClientId = client.Id, TokenHash = ApiSecrets.HashToken(token), IssuedAt = now, ExpiresAt = now + lifetime });
        await db.SaveChangesAsync(ct);
        // Expired tokens are kept a day (so their callers hear "expired", not "unknown"), then removed.
        await db.ApiTokens.Where(t => t.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(ct);
        return new(new IssuedToken(token, (int)lifetime.TotalSeconds, now + lifetime, client.Id, client.ClientId), null, client.Id);
    }

    /// <summary>Checks a bearer token on every request: one indexed lookup, so disabling a client takes effect at once.</summary>
    public async Task<TokenCheck> ValidateAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token)) return new(TokenRejection.Missing);
        if (!ApiSecrets.LooksLikeToken(token)) return new(TokenRejection.Malformed);
        var hash = ApiSecrets.HashToken(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.ApiTokens.AsNoTracking().Where(t => t.TokenHash == hash)
            .Select(t => new { t.ExpiresAt, t.ApiClientId, t.ApiClient.ClientId, t.ApiClient.Name, t.ApiClient.IsEnabled, t.ApiClient.Scopes })
            .SingleOrDefaultAsync(ct);
        if (found is null) return new(TokenRejection.UnknownOrRevoked);
        var now = Now;
        if (now >= found.ExpiresAt) return new(TokenRejection.Expired, found.ApiClientId, found.ClientId, found.Name);
        if (!found.IsEnabled) return new(TokenRejection.ClientDisabled, found.ApiClientId, found.ClientId, found.Name);
        // "Last used" for the admin page; written at most once a minute per client so reads stay reads.
        var stale = now.AddMinutes(-1);
        await db.ApiClients.Where(c => c.Id == found.ApiClientId && (c.LastUsedAt == null || c.LastUsedAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, now), ct);
        return new(TokenRejection.None, found.ApiClientId, found.ClientId, found.Name, found.Scopes);
    }
}
