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
}
