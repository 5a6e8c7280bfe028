using System.Security.Claims;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Identity;

/// <summary>
/// Logging out ends the sign-in on the server: its session id is recorded as revoked (<see cref="IRevokedSessions"/>),
/// so a copy of the cookie taken before is refused afterwards — the log-in page for pages, 401 on the hub — and that
/// browser's open pages and hub connections close at once (<see cref="SessionRevocations.RevokeSession"/>). The user's
/// other sign-ins carry other session ids and stay.
/// </summary>
public static class SessionCookies
{
    /// <summary>How long after a logout that session's other open pages and hub connections are closed.</summary>
    public static readonly TimeSpan TabGrace = TimeSpan.FromSeconds(2);

    /// <summary>A cookie without a session id predates them (or was not made by sign-in): it is refused, and its holder signs in again.</summary>
    public static async Task<bool> IsEndedAsync(CookieValidatePrincipalContext ctx)
    {
        if (ctx.Principal?.Identity?.IsAuthenticated != true) return false;
        var sessionId = ctx.Principal.FindFirstValue(KonnectClaims.SessionId);
        if (string.IsNullOrEmpty(sessionId)) return true;
        return await ctx.HttpContext.RequestServices.GetRequiredService<IRevokedSessions>().IsRevokedAsync(sessionId, ctx.HttpContext.RequestAborted);
    }

    /// <summary>Revokes the session of <paramref name="principal"/> here and on every instance; nothing when it has none.</summary>
    public static async Task EndAsync(ClaimsPrincipal principal, HttpContext http)
    {
        var sessionId = principal.FindFirstValue(KonnectClaims.SessionId);
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(sessionId) || userId is null) return;
        var services = http.RequestServices;
        var cookie = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        // The copied cookie cannot outlive its own expiry, which sliding renewal can push at most one lifetime past now.
        var keepUntil = services.GetRequiredService<TimeProvider>().GetUtcNow() + cookie.ExpireTimeSpan;
        await services.GetRequiredService<IRevokedSessions>().RevokeAsync(sessionId, userId, keepUntil);
        // The tab that logged out is already following the redirect to "You have logged out"; told at once, its own circuit
        // would race it to the log-in page and the message would be lost. Its other tabs close a moment later instead.
        var revocations = services.GetRequiredService<SessionRevocations>();
        _ = Task.Delay(TabGrace).ContinueWith(_ => revocations.RevokeSession(sessionId), TaskScheduler.Default);
    }
}
