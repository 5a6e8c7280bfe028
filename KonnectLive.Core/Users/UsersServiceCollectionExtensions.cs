using KonnectLive.Core.Audit;
using KonnectLive.Core.Dealerships;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core.Users;

public static class UsersServiceCollectionExtensions
{
    /// <summary>User and dealership administration and the audit log query. Needs Identity's stores (the host adds Identity).</summary>
    public static IServiceCollection AddKonnectLiveUserAdmin(this IServiceCollection services)
    {
        services.TryAddSingleton<UserAdminGuard>();
        services.TryAddSingleton<SessionRevocations>();
        services.TryAddSingleton<IRevokedSessions, DatabaseRevokedSessions>();
        services.TryAddSingleton<UserAdminService>();
        services.TryAddSingleton<DealershipService>();
        services.TryAddSingleton<AuditLogQuery>();
        return services;
    }
}
