using KonnectLive.Core.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Bench.Scenarios;

/// <summary>A hub that does nothing: the floor for the live hub (no authentication, no groups, no database).</summary>
public sealed class FloorHub : Hub;

/// <summary>A bare ASP.NET Core SignalR server in this process on its own port, broadcasting to every client.</summary>
public sealed class FloorHubServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    public Uri HubUrl { get; private set; } = null!;
    private IHubContext<FloorHub> Hub => _app.Services.GetRequiredService<IHubContext<FloorHub>>();

    public static async Task<FloorHubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR();
        var server = new FloorHubServer { _app = builder.Build() };
        server._app.MapHub<FloorHub>("/floor");
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.HubUrl = new Uri(new Uri(address), "floor");
        return server;
    }

    /// <summary>The same message the app's hub sends, to every client.</summary>
    public Task BroadcastAsync(LiveEvent e) => Hub.Clients.All.SendAsync("LiveEvent", e);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
