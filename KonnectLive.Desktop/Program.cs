using KonnectLive.Core;
using KonnectLive.Desktop;
using KonnectLive.Desktop.Api;
using KonnectLive.Desktop.Cluster;
using KonnectLive.Desktop.Health;
using KonnectLive.Desktop.Telemetry;
using KonnectLive.Desktop.Scheduling;
using KonnectLive.Desktop.Components;
using KonnectLive.Desktop.Components.Pages.Customers;
using KonnectLive.Desktop.Identity;
using KonnectLive.Desktop.Live;
using KonnectLive.Desktop.Security;

StartupFailure.ExitCleanlyOnConfigurationErrors(); // a setting that cannot be read: one line and exit code 2

// "--migrate" is a switch, not a setting: left in, the command-line configuration would take the next argument as its value.
var migrate = args.Contains("--migrate");
// "--create-admin NAME": the first admin of a database without demo data (FirstAdmin).
var createAdmin = Array.IndexOf(args, FirstAdmin.Switch);
var adminName = createAdmin >= 0 && createAdmin + 1 < args.Length ? args[createAdmin + 1] : null;
var builder = WebApplication.CreateBuilder(args.Where((a, i) => a != "--migrate" && (createAdmin < 0 || (i != createAdmin && i != createAdmin + 1))).ToArray());
builder.Configuration.AddRepositoryAppSettings();
// Serve MudBlazor's files straight from the build output, in any environment (not only Development).
builder.WebHost.UseStaticWebAssets();
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false); // no "Server: Kestrel" banner

builder.Services
    .AddKonnectLiveCore(builder.Configuration)
    .AddKonnectLiveIdentity()
    .AddKonnectLiveLive()
    .AddKonnectLiveApi()
    .AddKonnectLiveScheduling(builder.Configuration)
    .AddKonnectLiveUi()
    .AddKonnectLiveCluster(builder.Configuration)
    .AddKonnectLiveHealth(builder.Configuration)
    .AddKonnectLiveTelemetry(builder.Configuration);

var app = builder.Build();
if (migrate) return await app.MigrateAndExitAsync();
if (createAdmin >= 0) return await FirstAdmin.CreateAndExitAsync(app, adminName);
app.UseSecurityHeaders(); // first, so that every response — errors, static files, the API — carries them

// Migrations, reference and demo data run on another thread while the pipeline is composed and warmed (WarmUpAsync);
// nothing is served before both end.
var database = Task.Run(app.InitializeDatabaseAsync);

app.UseKonnectLiveForwardedHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
app.UseFriendlyStatusPages();
app.UseRouting(); // after the status pages, so that a re-executed request is routed again
app.UseAuthentication();
app.UseTwoFactorRequirement(); // Configuration → Security: unenrolled admins and supervisors reach only the enrolment page
app.UseAuthorization();
app.UseCustomerNotFoundStatus(); // /customers/{id} of nobody the user may see: 404 on a first load too
app.UseAntiforgery(); // after authentication: a signed-in user's token is checked against that user, not against nobody
app.UseRateLimiter();

app.MapStaticAssets();
app.MapKonnectLiveHealth();
app.MapKonnectLiveMetrics();
app.MapAccountEndpoints();
app.MapCustomerExport();
app.MapLiveHub();
app.MapKonnectLiveApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.WarmUpAsync(database);

app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("KonnectLive is running at {Urls}", string.Join(", ", app.Urls)));

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
