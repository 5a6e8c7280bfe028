using System.Security.Claims;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Identity;

/// <summary>
/// Identity's sign-in, with one addition: every sign-in gets its own session id (<see cref="KonnectClaims.SessionId"/>) in
/// its cookie, so that logging out can end exactly that sign-in on the server (<see cref="IRevokedSessions"/>) and
/// leave the same user's other browsers signed in. Every path that issues a cookie — password, two-factor, recovery
/// code — goes through <see cref="SignInWithClaimsAsync"/>; a refresh keeps the id it had.
/// </summary>
public sealed class KonnectSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private string? _refreshingSessionId;

    public override async Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.Where(c => c.Type != KonnectClaims.SessionId).ToList();
        claims.Add(new Claim(KonnectClaims.SessionId, _refreshingSessionId ?? NewSessionId()));
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    public override async Task RefreshSignInAsync(AppUser user)
    {
        var current = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        _refreshingSessionId = current.Principal?.FindFirstValue(KonnectClaims.SessionId);
        try { await base.RefreshSignInAsync(user); }
        finally { _refreshingSessionId = null; }
    }

    public static string NewSessionId() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
