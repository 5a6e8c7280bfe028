using System.Security.Claims;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Identity;

/// <summary>Puts the display name, dealership and CSI Voice flag in the cookie, for menus and route policies.
/// Services never trust these claims: they re-read the user's scope from the database.</summary>
public sealed class KonnectClaimsPrincipalFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(KonnectClaims.DisplayName, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? "" : user.DisplayName));
        identity.AddClaim(new Claim(KonnectClaims.CsiVoice, user.CsiVoiceEnabled ? "true" : "false"));
        identity.AddClaim(new Claim(KonnectClaims.TwoFactor, user.TwoFactorEnabled ? "true" : "false"));
        if (user.DealershipId is { } d) identity.AddClaim(new Claim(KonnectClaims.DealershipId, d.ToString()));
        return identity;
    }
}
