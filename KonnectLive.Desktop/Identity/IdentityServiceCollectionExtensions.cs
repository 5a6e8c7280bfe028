using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace KonnectLive.Desktop.Identity;

public static class Policies
{
    /// <summary>May see the chase list and lock customers.</summary>
    public const string CsiVoice = "CsiVoice";

    /// <summary>Configuration pages.</summary>
    public const string Admin = "Admin";

    /// <summary>Supervisors and admins (the Messages page, reports).</summary>
    public const string Supervision = "Supervision";

    /// <summary>May receive live chase-list events: callers, supervisors and admins.</summary>
    public const string LiveEvents = "LiveEvents";
}

public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddKonnectLiveIdentity(this IServiceCollection services)
    {
        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<KonnectDbContext>()
            .AddClaimsPrincipalFactory<KonnectClaimsPrincipalFactory>()
            .AddSignInManager<KonnectSignInManager>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "KonnectLive.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the browser's request was HTTPS — behind a TLS-terminating proxy that is what
            // X-Forwarded-Proto says (honoured from ForwardedHeaders:KnownProxies); plain HTTP on 127.0.0.1 still works.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(10); // one working shift
            o.SlidingExpiration = true;
            // A logged-out session's cookie is refused on every request, before Identity's own security-stamp check.
            var checkStamp = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async ctx =>
            {
                if (await SessionCookies.IsEndedAsync(ctx))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await checkStamp(ctx);
            };
            // Machines (the hub's non-browser clients, the API) get a status code, not a login page.
            o.Events.OnRedirectToLogin = ctx => Challenge(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Challenge(ctx, StatusCodes.Status403Forbidden);
            // Signing in on the login page honours its ReturnUrl itself: only a safe one.
            o.Events.OnRedirectToReturnUrl = ctx =>
            {
                ctx.Response.Redirect(ReturnUrls.Safe(ctx.RedirectUri));
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.CsiVoice, p => p.RequireAuthenticatedUser().RequireClaim(KonnectClaims.CsiVoice, "true"))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.Supervision, p => p.RequireAuthenticatedUser().RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(Policies.LiveEvents, p => p.RequireAuthenticatedUser().RequireAssertion(ctx =>
                ctx.User.HasClaim(KonnectClaims.CsiVoice, "true") || ctx.User.IsInRole(Roles.Supervisor) || ctx.User.IsInRole(Roles.Admin)));
        services.AddCascadingAuthenticationState();
        services.AddKonnectLiveSessionRevalidation(); // a disabled user's circuits end at once, their cookie within 10 s
        services.AddScoped<CurrentUser>();
        // Demo accounts only where asked: unset, Storage:SeedDemoData means "in Development" (dotnet run's launch profile).
        services.AddOptions<StorageOptions>().PostConfigure<IHostEnvironment>((o, env) => o.SeedDemoData ??= env.IsDevelopment());
        services.AddSingleton<DemoAccounts>();
        services.AddSingleton<SessionEndNotice>();
        services.AddSingleton<SignInAudit>();
        // Failed sign-ins: throttled per client address and per account from that address (SignInThrottle); Identity's own
        // lockout is the backstop against guessing spread over many addresses.
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section);
        services.AddOptions<IdentityOptions>().Configure<Microsoft.Extensions.Options.IOptions<SignInThrottleOptions>>((o, throttle) =>
        {
            o.Lockout.MaxFailedAccessAttempts = throttle.Value.AccountLockoutAfter;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(throttle.Value.WindowMinutes);
        });
        services.AddSingleton<ISignInFailureStore, InMemorySignInFailureStore>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordCheckTiming>();
        return services;
    }

    private static Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/hubs") || ctx.Request.Path.StartsWithSegments("/api"))
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
