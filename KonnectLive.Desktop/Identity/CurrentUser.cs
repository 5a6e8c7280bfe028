using System.Security.Claims;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components.Authorization;

namespace KonnectLive.Desktop.Identity;

/// <summary>The signed-in user of this circuit, as the database knows them now (not as the cookie remembers).</summary>
public sealed class CurrentUser(AuthenticationStateProvider auth, UserScopeLoader loader)
{
    public async Task<UserScope?> GetAsync(CancellationToken ct = default)
    {
        var state = await auth.GetAuthenticationStateAsync();
        var id = state.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return id is null ? null : await loader.LoadAsync(id, ct);
    }
}
