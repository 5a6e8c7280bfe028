using System.Security.Claims;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Identity;

/// <summary>
/// Signs a circuit out the moment <see cref="SessionRevocations"/> names its user, and re-checks each open circuit's user every <see cref="SessionRevalidation.Interval"/>: a user who has been disabled,
/// deleted, or whose security stamp changed (disabled, password reset, new rights) becomes anonymous, and
/// <c>AuthorizeRouteView</c> sends them to the log-in page. The cookie is checked on the same interval by Identity's
/// <see cref="SecurityStampValidator"/>, so a disabled user's next request is signed out too.
/// </summary>
public sealed class RevalidatingIdentityAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory scopeFactory;
    private readonly IOptions<IdentityOptions> identityOptions;
    private readonly IOptions<SecurityStampValidatorOptions> stampOptions;
    private readonly TimeProvider time;
    private readonly IDisposable _revocations;
    private readonly IDisposable _sessionRevocations;
    private readonly IRevokedSessions revokedSessions;
    private readonly KonnectLive.Core.Settings.SecuritySettingsService security;

    public RevalidatingIdentityAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> identityOptions, IOptions<SecurityStampValidatorOptions> stampOptions, TimeProvider time,
        SessionRevocations revocations, IRevokedSessions revokedSessions, KonnectLive.Core.Settings.SecuritySettingsService security)
        : base(loggerFactory)
    {
        this.security = security;
        this.revokedSessions = revokedSessions;
        this.scopeFactory = scopeFactory;
        this.identityOptions = identityOptions;
        this.stampOptions = stampOptions;
        this.time = time;
        // "At once": an admin's disable (or reset, or new rights) signs this circuit out now, not at the next check.
        _revocations = revocations.Subscribe(userId => _ = SignOutIfAsync(ClaimTypes.NameIdentifier, userId, null));
        // A logout ends this circuit only when it belongs to the sign-in that logged out.
        _sessionRevocations = revocations.SubscribeSessions(sessionId => _ = SignOutIfAsync(KonnectClaims.SessionId, sessionId,
            SessionEndReason.LoggedOutElsewhere));
    }

    /// <summary>Why this circuit's user was signed out while it was open (for the log-in page), or null.</summary>
    public SessionEndReason? EndReason { get; private set; }

    protected override TimeSpan RevalidationInterval => SessionRevalidation.CircuitInterval(stampOptions.Value.ValidationInterval);

    private async Task SignOutIfAsync(string claimType, string revokedId, SessionEndReason? reason)
    {
        var state = await GetAuthenticationStateAsync();
        if (state.User.FindFirstValue(claimType) != revokedId) return;
        try
        {
            // An admin's revocation says only "this user": the account as it is now says which change it was.
            EndReason = reason ?? await ReasonAsync(state.User, CancellationToken.None) ?? SessionEndReason.ChangedByAdministrator;
        }
        catch (Exception)
        {
            EndReason = SessionEndReason.ChangedByAdministrator; // the sign-out matters more than its wording
        }
        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _revocations.Dispose();
            _sessionRevocations.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.FindFirstValue(ClaimTypes.NameIdentifier) is null) return false;
        var reason = await ReasonAsync(authenticationState.User, cancellationToken);
        if (reason is not null) EndReason = reason;
        return reason is null;
    }

    /// <summary>Why this principal's session may not go on, or null when it may.</summary>
    private async Task<SessionEndReason?> ReasonAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return SessionEndReason.Removed;
        // Logged out on another instance without Redis to tell this one: caught here within the interval. (A circuit's
        // principal came from a cookie, and a cookie without a session id never gets that far: SessionCookies.)
        if (principal.FindFirstValue(KonnectClaims.SessionId) is { Length: > 0 } sessionId
            && await revokedSessions.IsRevokedAsync(sessionId, cancellationToken)) return SessionEndReason.LoggedOutElsewhere;

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return SessionEndReason.Removed;
        if (UserScopeLoader.IsDisabled(user.LockoutEnd)) return SessionEndReason.Disabled; // a temporary lockout only refuses new sign-ins
        // Two-factor now required for this admin or supervisor: the circuit ends, and the reload lands on the enrolment page
        // (TwoFactorRequirement), so an open page cannot be used to go on without it.
        if (await security.MustEnrolAsync(principal.IsInRole, user.TwoFactorEnabled, cancellationToken)) return SessionEndReason.TwoFactorRequired;
        if (!users.SupportsUserSecurityStamp) return null;
        var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user) ? null : SessionEndReason.ChangedByAdministrator;
    }
}

/// <summary>How soon a disabled user's sessions end: cookie and circuits are re-checked this often (default 10 s).</summary>
public static class SessionRevalidation
{
    /// <summary>Configuration key (seconds). Tests set 0: the cookie is then checked on every request.</summary>
    public const string IntervalSecondsKey = "Identity:SessionRevalidationSeconds";
    public const int DefaultSeconds = 10;

    /// <summary>A circuit re-checks at the cookie's interval, but not in a tight loop when that is zero.</summary>
    public static TimeSpan CircuitInterval(TimeSpan cookieInterval) => cookieInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : cookieInterval;

    public static IServiceCollection AddKonnectLiveSessionRevalidation(this IServiceCollection services)
    {
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            o.ValidationInterval = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue(IntervalSecondsKey, DefaultSeconds)));
            // The stamp check rebuilds the principal from the database; the sign-in's own claims (its session id, how it
            // signed in) are carried over, or the renewed cookie would belong to no session.
            o.OnRefreshingPrincipal = ctx =>
            {
                if (ctx.NewPrincipal?.Identity is ClaimsIdentity renewed && ctx.CurrentPrincipal is { } current)
                    foreach (var claim in current.Claims.Where(c => c.Type is KonnectClaims.SessionId or "amr"))
                        if (!renewed.HasClaim(c => c.Type == claim.Type)) renewed.AddClaim(new Claim(claim.Type, claim.Value));
                return Task.CompletedTask;
            };
        });
        // Before AddRazorComponents' TryAdd of the default provider, so this one is used by every circuit.
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        return services;
    }
}
