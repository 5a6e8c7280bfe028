using System.Security.Claims;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Authorization;

namespace KonnectLive.Desktop.Identity;

/// <summary>
/// Configuration → Security's "two-factor sign-in required for admins and supervisors", enforced on the server: while it
/// is on, a signed-in admin or supervisor without an authenticator app set up is sent to <see cref="EnrolPath"/> from
/// every page, the log-in page and the export, and refused with 403 by the live hub, the API and the Blazor circuit hub.
/// Nobody is locked out: the enrolment page and log out stay open. Open circuits are caught by the circuit's revalidation
/// (<see cref="RevalidatingIdentityAuthenticationStateProvider"/>), which signs them out and so reloads through here.
/// </summary>
public static class TwoFactorRequirement
{
    public const string EnrolPath = "/account/two-factor";

    /// <summary>After authentication and routing (it reads the endpoint's authorization metadata), before authorization.</summary>
    public static IApplicationBuilder UseTwoFactorRequirement(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (ctx.User.Identity?.IsAuthenticated == true && Guarded(ctx)
            && await ctx.RequestServices.GetRequiredService<SecuritySettingsService>().MustEnrolAsync(ctx.User.IsInRole, IsEnrolled(ctx.User), ctx.RequestAborted))
        {
            var path = ctx.Request.Path;
            if (path.StartsWithSegments("/hubs") || path.StartsWithSegments("/api") || path.StartsWithSegments("/_blazor") || !HttpMethods.IsGet(ctx.Request.Method))
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                await ctx.Response.WriteAsync("Two-factor sign-in is required for your role: set it up at " + EnrolPath + ".");
                return;
            }
            ctx.Response.Redirect(EnrolPath);
            return;
        }
        await next(ctx);
    });

    public static bool IsEnrolled(ClaimsPrincipal user) => user.HasClaim(KonnectClaims.TwoFactor, "true");

    /// <summary>What needs a signed-in user (pages, hubs, API, export) plus the circuit hub and the log-in page; not the
    /// enrolment page itself, log out, static files, health or the error pages.</summary>
    private static bool Guarded(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (path.Equals(EnrolPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/account/logout")) return false;
        if (path.StartsWithSegments("/_blazor") || path.Equals("/account/login", StringComparison.OrdinalIgnoreCase)) return true;
        var endpoint = ctx.GetEndpoint();
        return endpoint?.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
    }
}
