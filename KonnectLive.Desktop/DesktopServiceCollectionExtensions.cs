using KonnectLive.Core.Data;
using KonnectLive.Desktop.Live;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor;
using MudBlazor.Services;
using Quartz;

namespace KonnectLive.Desktop;

public static class DesktopServiceCollectionExtensions
{
    /// <summary>Blazor Server with MudBlazor; snackbars at the top right where agents look for them.</summary>
    public static IServiceCollection AddKonnectLiveUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c =>
        {
            // Bottom left: clear of the calling page's actions (top right) and its outcome panel (right column).
            c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft;
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

    /// <summary>
    /// Applies migrations and seeds reference (and, when asked, demo) data before the app serves anyone; with
    /// <c>Storage:MigrateOnStart=false</c> only checks that it has been done. A database that is not ready stops the
    /// process with exit code 2 and one clear line saying why and what to run.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        catch (DatabaseNotReadyException e)
        {
            app.Logger.LogCritical("KonnectLive cannot start: {Reason}", e.Message);
            Console.Error.WriteLine($"KonnectLive cannot start: {e.Message}");
            Environment.Exit(NotReadyExitCode);
        }
    }

    public const int NotReadyExitCode = 2;

    /// <summary>
    /// <c>KonnectLive.Desktop --migrate</c>: migrates and seeds the configured database, then exits (0, or 1 with the
    /// error) without serving — run once before starting several instances with <c>Storage:MigrateOnStart=false</c>.
    /// </summary>
    public static async Task<int> MigrateAndExitAsync(this WebApplication app)
    {
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var storage = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>();
            storage.Value.MigrateOnStart = true; // --migrate means it, whatever the setting says for serving instances
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
            Console.WriteLine("KonnectLive: the database is migrated and seeded.");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"KonnectLive: migration failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Builds what the first request would otherwise build — the endpoint table (pages, static assets, hub, API) and the
    /// data-protection key ring behind antiforgery and the sign-in cookie — and Quartz's scheduler (which the host would
    /// otherwise make before Kestrel listens), while <paramref name="database"/> is being prepared on the other core, then
    /// waits for them. Call after every Map*.
    /// </summary>
    public static async Task WarmUpAsync(this WebApplication app, Task database)
    {
        // Quartz keeps its own store (quartz.db, never the app's database), so its scheduler and schema are made beside the
        // database work; the hosted service then finds the scheduler made and starts it (runs jobs) once the app has started.
        var scheduler = Task.Run(() => app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler());
        foreach (var source in ((IEndpointRouteBuilder)app).DataSources)
            _ = source.Endpoints.Count;
        await database;
        // The key ring is stored in the database: read (or first made) only once the database is migrated.
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KonnectLive.WarmUp").Protect([0]);
        await scheduler;
    }
}
