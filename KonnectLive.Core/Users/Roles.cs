namespace KonnectLive.Core.Users;

public static class Roles
{
    public const string Agent = "Agent";
    public const string Supervisor = "Supervisor";
    public const string Admin = "Admin";
    public static readonly string[] All = [Agent, Supervisor, Admin];
}

/// <summary>Claim types KonnectLive adds to the sign-in cookie.</summary>
public static class KonnectClaims
{
    public const string DisplayName = "kl:display_name";
    public const string DealershipId = "kl:dealership_id";
    public const string CsiVoice = "kl:csi_voice";
    /// <summary>One per sign-in: logging out revokes this session only, not the user's other browsers (<see cref="IRevokedSessions"/>).</summary>
    public const string SessionId = "kl:session_id";
    /// <summary>"true" when the user has two-factor sign-in turned on (renewed with the security stamp): <c>TwoFactorRequirement</c> reads it.</summary>
    public const string TwoFactor = "kl:two_factor";
}
