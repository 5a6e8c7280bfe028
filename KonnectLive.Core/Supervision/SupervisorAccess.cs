using KonnectLive.Core.Users;

namespace KonnectLive.Core.Supervision;

/// <summary>Who may watch calls and release locks: supervisors and admins, within the dealerships they may see.</summary>
public static class SupervisorAccess
{
    public static bool IsSupervisor(UserScope user) => user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);

    internal static void Demand(UserScope user)
    {
        if (!IsSupervisor(user))
            throw new UnauthorizedAccessException("Only supervisors and admins can see the live board.");
    }
}
