namespace KonnectLive.Core.Users;

/// <summary>What an admin fills in to create a user (the form's model; the service validates it the same way).</summary>
public sealed class CreateUserCommand
{
    public string UserName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    /// <summary>Ignored when <see cref="GeneratePassword"/> is set.</summary>
    public string Password { get; set; } = "";
    /// <summary>KonnectLive makes a random password that meets the policy and shows it once.</summary>
    public bool GeneratePassword { get; set; }
    public List<string> Roles { get; set; } = [];
    /// <summary>The user's dealership; null only with <see cref="HeadOffice"/>.</summary>
    public int? DealershipId { get; set; }
    /// <summary>
    /// Head office: sees every dealership. Said explicitly, so a Dealership left empty is an error, never a user who
    /// silently sees every dealership's customers (CreateUserCommandValidator).
    /// </summary>
    public bool HeadOffice { get; set; }
    public bool CsiVoiceEnabled { get; set; }
    /// <summary>The agent's phone extension (digits); call events naming it reach this user. Empty: none.</summary>
    public string? Extension { get; set; }
}

/// <summary>What an admin may change on an existing user. The user name is fixed: it is how they sign in.</summary>
public sealed class EditUserCommand
{
    public string UserId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    public int? DealershipId { get; set; }
    public bool CsiVoiceEnabled { get; set; }
    /// <summary>Empty removes the extension.</summary>
    public string? Extension { get; set; }
}

/// <summary>An admin sets a new password, or asks for a random one (shown once).</summary>
public sealed class ResetPasswordCommand
{
    public string UserId { get; set; } = "";
    public bool GeneratePassword { get; set; }
    public string NewPassword { get; set; } = "";
}

public enum UserStatus { Active, Disabled, LockedOut }

/// <param name="DealershipId">Null: all dealerships.</param>
/// <param name="HeadOfficeOnly">Only users without a dealership (wins over <paramref name="DealershipId"/>).</param>
public sealed record UserListFilter(string? Search = null, string? Role = null, int? DealershipId = null, bool HeadOfficeOnly = false);

/// <param name="LockedUntil">When <see cref="Status"/> is <see cref="UserStatus.LockedOut"/> (too many failed sign-ins): until when.</param>
public sealed record UserRow(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, int? DealershipId,
    string? DealershipName, bool CsiVoiceEnabled, UserStatus Status, DateTimeOffset? LockedUntil, string? Extension = null)
{
    public bool IsHeadOffice => DealershipId is null;
}

public enum UserAdminOutcome { Done, Unchanged, Forbidden, Invalid, NotFound, Refused }

/// <param name="Message">Safe to show to the admin.</param>
/// <param name="Errors">Per-field errors when <see cref="Outcome"/> is <see cref="UserAdminOutcome.Invalid"/>.</param>
/// <param name="Password">A generated password, returned once and stored only as a hash.</param>
public sealed record UserAdminResult(UserAdminOutcome Outcome, string Message, IReadOnlyList<(string Property, string Error)> Errors,
    string? UserId = null, string? Password = null)
{
    public bool Succeeded => Outcome is UserAdminOutcome.Done or UserAdminOutcome.Unchanged;

    internal static UserAdminResult Forbidden() => new(UserAdminOutcome.Forbidden, "Only administrators can manage users.", []);
    internal static UserAdminResult NotFound() => new(UserAdminOutcome.NotFound, "That user no longer exists.", []);
    internal static UserAdminResult Refused(string message) => new(UserAdminOutcome.Refused, message, []);
    internal static UserAdminResult Invalid(IEnumerable<(string Property, string Error)> errors)
    {
        var list = errors.ToList();
        return new(UserAdminOutcome.Invalid, "Not saved: " + string.Join(" ", list.Select(e => e.Error)), list);
    }
}
