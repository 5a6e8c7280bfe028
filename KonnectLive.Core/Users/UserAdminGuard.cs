namespace KonnectLive.Core.Users;

/// <summary>
/// The server-side gate of every admin service: the acting user is read again from the database, so an admin who has
/// been disabled or demoted since their page loaded is refused, whatever their cookie or circuit still says.
/// </summary>
public sealed class UserAdminGuard(UserScopeLoader loader)
{
    /// <summary>The actor's current scope when they are an enabled admin now; otherwise null.</summary>
    public async Task<UserScope?> AdminAsync(UserScope? by, CancellationToken ct = default)
    {
        if (by is null) return null;
        var current = await loader.LoadAsync(by.UserId, ct);
        return current is not null && current.IsInRole(Roles.Admin) ? current : null;
    }
}
