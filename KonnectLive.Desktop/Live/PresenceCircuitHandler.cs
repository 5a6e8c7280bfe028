using System.Security.Claims;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KonnectLive.Desktop.Live;

/// <summary>Tells the <see cref="PresenceTracker"/> when this circuit's signed-in user arrives, drops and leaves.</summary>
internal sealed class PresenceCircuitHandler(
    PresenceTracker presence,
    AuthenticationStateProvider auth,
    UserScopeLoader users,
    TimeProvider time,
    ILogger<PresenceCircuitHandler> logger) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        try
        {
            var state = await auth.GetAuthenticationStateAsync();
            if (state.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId) return;
            // Read from the database like every other scope: name and dealership as they are now.
            if (await users.LoadAsync(userId, cancellationToken) is not { } user) return;
            presence.CircuitOpened(circuit.Id, new PresentUser(user.UserId, user.DisplayName, user.DealershipId, user.CsiVoiceEnabled,
                time.GetUtcNow().UtcDateTime));
        }
        catch (Exception ex)
        {
            // Presence is a convenience for supervisors; it must never stop a circuit from starting.
            logger.LogWarning(ex, "Could not record presence for circuit {CircuitId}", circuit.Id);
        }
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.ConnectionChanged(circuit.Id, connected: true);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.ConnectionChanged(circuit.Id, connected: false);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.CircuitClosed(circuit.Id);
        return Task.CompletedTask;
    }
}
