using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Bench.Hosting;

/// <summary>
/// The circuit-memory floor: the barest Blazor Server page (one interactive component, a heading and the readiness marker
/// the bench waits for; no layout, no MudBlazor, no authentication) on its own Kestrel in this process, with the bench app's
/// circuit options (no disconnected circuit kept). What a page here costs is what any Blazor Server circuit costs on this
/// machine and runtime: the renderer, the JS runtime, the SignalR connection, the bench's own Playwright objects.
/// blazor.web.js is the same file the app serves, loaded from the app (this SDK-less project has no static web assets);
/// the circuit itself connects to this server (the script connects to the page's own base address).
/// </summary>
public sealed class BareBlazor : IAsyncDisposable
{
    private WebApplication _site = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public int OpenCircuits => _site.Services.GetRequiredService<CircuitCount>().Open;

    public static async Task<BareBlazor> StartAsync(Uri appAddress)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.Configure<CircuitOptions>(o => o.DisconnectedCircuitMaxRetained = 0);
        builder.Services.AddSingleton<CircuitCount>();
        builder.Services.AddScoped<CircuitHandler, CircuitCount.Handler>();
        builder.Services.AddSingleton(new ScriptSource(new Uri(appAddress, "_framework/blazor.web.js").ToString()));
        var site = builder.Build();
        site.UseAntiforgery();
        site.MapRazorComponents<BareDocument>().AddInteractiveServerRenderMode();
        await site.StartAsync();
        var address = site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BareBlazor { _site = site, BaseAddress = new Uri(address.TrimEnd('/') + "/") };
    }

    public async ValueTask DisposeAsync()
    {
        await _site.StopAsync();
        await _site.DisposeAsync();
    }

    internal sealed record ScriptSource(string Url);
}

/// <summary>The floor's document: static HTML around one interactive component (no prerendering, as the app).</summary>
[Route("/bare")]
public sealed class BareDocument : ComponentBase
{
    [Inject] private BareBlazor.ScriptSource Script { get; set; } = default!;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.AddMarkupContent(0, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\" /><base href=\"/\" /><title>Bare</title></head><body>");
        builder.OpenComponent<BarePage>(1);
        builder.AddComponentRenderMode(new InteractiveServerRenderMode(prerender: false));
        builder.CloseComponent();
        builder.OpenElement(2, "script");
        builder.AddAttribute(3, "src", Script.Url);
        builder.CloseElement();
        builder.AddMarkupContent(4, "</body></html>");
    }
}

/// <summary>The interactive part: a heading and the marker that says the circuit is live.</summary>
public sealed class BarePage : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.AddMarkupContent(0, "<h1>Bare Blazor Server page</h1>");
        builder.OpenElement(1, "span");
        builder.AddAttribute(2, "id", "circuit-state");
        builder.AddAttribute(3, "data-interactive", RendererInfo.IsInteractive.ToString());
        builder.AddAttribute(4, "hidden", true);
        builder.CloseElement();
    }
}
