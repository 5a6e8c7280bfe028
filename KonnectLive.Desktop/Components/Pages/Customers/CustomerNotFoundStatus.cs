using System.Security.Claims;
using System.Text.RegularExpressions;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Users;

namespace KonnectLive.Desktop.Components.Pages.Customers;

/// <summary>
/// The HTTP status of a first load of <c>/customers/{id}</c>. Pages are not prerendered (App.razor), so the component
/// never runs inside the request and <c>NavigationManager.NotFound()</c> cannot set the status: this check does, with
/// the page's own rule, <see cref="CustomerProfileService.IsVisibleAsync"/> (the customer exists and is in the user's
/// dealership; head office sees all). The body stays the app, whose page then shows
/// "Customer not found" in the circuit — one answer for a customer that does not exist and one of another dealership,
/// so the status leaks nothing either.
/// </summary>
public static partial class CustomerNotFoundStatus
{
    [GeneratedRegex("^/customers/(?<id>-?[0-9]+)/?$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomerPath();

    public static IApplicationBuilder UseCustomerNotFoundStatus(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (HttpMethods.IsGet(ctx.Request.Method)
            && CustomerPath().Match(ctx.Request.Path.Value ?? "") is { Success: true } m
            && ctx.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            var services = ctx.RequestServices;
            var user = await services.GetRequiredService<UserScopeLoader>().LoadAsync(userId, ctx.RequestAborted);
            if (user is not null && !await VisibleAsync(services, user, m.Groups["id"].Value, ctx.RequestAborted))
            {
                // Set as the headers go out: a 404 set before the Razor components endpoint runs makes it write no body
                // (it takes that as someone else's Not Found), and the body must be the app, whose page says "Customer not
                // found" — not the bare /not-found page the friendly status pages would re-execute to.
                if (ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                ctx.Response.OnStarting(() =>
                {
                    if (ctx.Response.StatusCode == StatusCodes.Status200OK) ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            }
        }
        await next(ctx);
    });

    private static async Task<bool> VisibleAsync(IServiceProvider services, UserScope user, string id, CancellationToken ct) =>
        int.TryParse(id, out var customerId) && await services.GetRequiredService<CustomerProfileService>().IsVisibleAsync(user, customerId, ct);
}
