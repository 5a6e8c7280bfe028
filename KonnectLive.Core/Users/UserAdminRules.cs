using FluentValidation;

namespace KonnectLive.Core.Users;

/// <summary>Rules the create and edit validators share.</summary>
internal static class UserAdminRules
{
    public static IRuleBuilderOptions<T, string> ValidDisplayName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("Enter the name colleagues know them by.")
            .MaximumLength(100).WithMessage("The display name can be at most 100 characters.");

    public static IRuleBuilderOptions<T, List<string>> ValidRoles<T>(this IRuleBuilder<T, List<string>> rule) =>
        rule.NotEmpty().WithMessage("Choose at least one role.")
            .Must(roles => roles.All(Roles.All.Contains)).WithMessage("Choose roles from the list.");

    /// <summary>Digits only (what a phone system dials), at most 20; empty means none. Uniqueness is the service's check.</summary>
    public static IRuleBuilderOptions<T, string?> ValidExtension<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(e => string.IsNullOrWhiteSpace(e) || e.Trim().All(char.IsAsciiDigit)).WithMessage("An extension is digits only, e.g. 2001.")
            .Must(e => e is null || e.Trim().Length <= MaxExtensionLength).WithMessage($"An extension can be at most {MaxExtensionLength} digits.");

    public const int MaxExtensionLength = 20;

    /// <summary>Trimmed, or null when empty.</summary>
    public static string? NormaliseExtension(string? extension) => string.IsNullOrWhiteSpace(extension) ? null : extension.Trim();
}
