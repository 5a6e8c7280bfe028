using System.Security.Claims;
using KonnectLive.Core.Customers.Erasure;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;

namespace KonnectLive.Desktop.Components.Pages.Customers;

/// <summary>GET /customers/{id}/export: the customer page's "Export data" (a JSON download). Admin policy first, then the service's own check.</summary>
public static class CustomerExportEndpoint
{
    public static IEndpointRouteBuilder MapCustomerExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/customers/{id:int}/export", async Task<IResult> (int id, ClaimsPrincipal principal, UserScopeLoader scopes,
            CustomerDataExport export, CancellationToken ct) =>
        {
            var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
            var scope = userId is null ? null : await scopes.LoadAsync(userId, ct);
            if (scope is null) return TypedResults.Forbid();
            if (!scope.IsInRole(Roles.Admin)) return TypedResults.Forbid();
            var file = await export.ExportAsync(scope, id, ct);
            return file is null ? TypedResults.NotFound() : TypedResults.File(file.Json, "application/json", file.FileName);
        }).RequireAuthorization(Policies.Admin);
        return app;
    }
}
