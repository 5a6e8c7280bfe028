namespace KonnectLive.Core.Users;

/// <summary>
/// Who is acting and what they may see, read from the database (not trusted from the browser).
/// Every query and command that touches customers takes one.
/// </summary>
public sealed record UserScope(string UserId, string DisplayName, int? DealershipId, bool CsiVoiceEnabled, IReadOnlyCollection<string> Roles)
{
    public bool IsHeadOffice => DealershipId is null;
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool CanSee(int dealershipId) => IsHeadOffice || DealershipId == dealershipId;

    /// <summary>May work the chase list: see it and lock customers.</summary>
    public bool CanCall => CsiVoiceEnabled;
}
