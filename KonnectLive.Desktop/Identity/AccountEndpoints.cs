using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;

namespace KonnectLive.Desktop.Identity;

public static class AccountEndpoints
{
    /// <summary>Log out is a POST (with the antiforgery token) so a link elsewhere cannot sign an agent out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, SignInAudit audit, HttpContext http) =>
        {
            await audit.SignedOutAsync(http.User, http.Connection.RemoteIpAddress);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login?loggedOut=1");
        });
        return app;
    }
}
