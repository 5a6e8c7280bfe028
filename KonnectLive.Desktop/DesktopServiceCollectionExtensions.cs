using KonnectLive.Core.Data;
using KonnectLive.Desktop.Live;
using MudBlazor;
using MudBlazor.Services;

namespace KonnectLive.Desktop;

public static class DesktopServiceCollectionExtensions
{
    /// <summary>Blazor Server with MudBlazor; snackbars at the top right where agents look for them.</summary>
    public static IServiceCollection AddKonnectLiveUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c =>
        {
            c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.TopRight;
            c.SnackbarConfiguration.PreventDuplicates = false;
            c.SnackbarConfiguration.VisibleStateDuration = 6000;
            c.SnackbarConfiguration.ShowCloseIcon = true;
        });
        services.AddScoped<CircuitConnection>();
        services.AddScoped<Components.Pages.Csi.CallHandOff>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitConnectionHandler>();
        services.AddKonnectLivePresence();
        return services;
    }

    /// <summary>
    /// People who reach an unknown address get a page, not a bare status code. Machines (the hub, the API) keep
    /// their status codes untouched: re-executing their 401s as a page would turn them into something else.
    /// </summary>
    public static void UseFriendlyStatusPages(this WebApplication app) =>
        app.UseWhen(ctx => HttpMethods.IsGet(ctx.Request.Method)
                           && !ctx.Request.Path.StartsWithSegments("/hubs") && !ctx.Request.Path.StartsWithSegments("/api"),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found"));

    /// <summary>Applies migrations and seeds reference (and, when asked, demo) data before the app serves anyone.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    }
}
