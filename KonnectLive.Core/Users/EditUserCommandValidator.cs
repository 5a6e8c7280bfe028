using FluentValidation;

namespace KonnectLive.Core.Users;

public sealed class EditUserCommandValidator : AbstractValidator<EditUserCommand>
{
    public EditUserCommandValidator()
    {
        RuleFor(c => c.UserId).NotEmpty();
        RuleFor(c => c.DisplayName).ValidDisplayName();
        RuleFor(c => c.Roles).ValidRoles();
        RuleFor(c => c.Extension).ValidExtension();
    }
}
