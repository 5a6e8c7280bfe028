using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace KonnectLive.Desktop.Identity;

public static class AccountEndpoints
{
    /// <summary>Log out is a POST (with the antiforgery token) so a link elsewhere cannot sign an agent out. It ends the session on
    /// the server too (<see cref="SessionCookies"/>), not only in this browser.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async Task<Results<RedirectHttpResult, BadRequest>> (SignInManager<AppUser> signIn, SignInAudit audit,
            IAntiforgery antiforgery, HttpContext http) =>
        {
            // Minimal APIs check the token only for endpoints that bind a form; this one binds none, so it checks itself.
            if (!await antiforgery.IsRequestValidAsync(http)) return TypedResults.BadRequest();
            await audit.SignedOutAsync(http.User, http.Connection.RemoteIpAddress);
            await SessionCookies.EndAsync(http.User, http); // a copy of this cookie is refused from now on
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login?loggedOut=1");
        });
        return app;
    }
}
