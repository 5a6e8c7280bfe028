using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KonnectLive.Desktop.Live;

/// <summary>
/// Whether this circuit's browser is connected. Blazor keeps a disconnected circuit (and its timers) alive
/// for minutes in case the browser returns; lease renewal must stop at once, so that a closed tab's lock
/// lapses after the lease's grace period.
/// </summary>
public sealed class CircuitConnection
{
    public bool IsConnected { get; internal set; } = true;
}

internal sealed class CircuitConnectionHandler(CircuitConnection connection) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.IsConnected = true;
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.IsConnected = false;
        return Task.CompletedTask;
    }
}
