using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Users;

public sealed class CreateUserCommandValidator : AbstractValidator<CreateUserCommand>
{
    public const string NoDealershipMessage = "Choose a dealership, or Head office (all dealerships).";

    public CreateUserCommandValidator(IOptions<IdentityOptions> identity)
    {
        RuleFor(c => c.UserName).NotEmpty().WithMessage("Enter a user name.")
            .Length(3, 64).WithMessage("The user name must be 3 to 64 characters.")
            // Identity's default AllowedUserNameCharacters, said in words.
            .Matches("^[A-Za-z0-9._@+-]+$").WithMessage("Use letters, digits, '.', '_', '@', '+' or '-' (no spaces).");
        RuleFor(c => c.DisplayName).ValidDisplayName();
        RuleFor(c => c.Password).Custom((password, ctx) =>
        {
            foreach (var problem in UserAdminPasswords.Problems(password, identity.Value.Password)) ctx.AddFailure(problem);
        }).When(c => !c.GeneratePassword);
        RuleFor(c => c.Roles).ValidRoles();
        RuleFor(c => c.DealershipId).NotNull().When(c => !c.HeadOffice).WithMessage(NoDealershipMessage);
        RuleFor(c => c.DealershipId).Null().When(c => c.HeadOffice).WithMessage("A head office user has no dealership: choose one or the other.");
        RuleFor(c => c.Extension).ValidExtension();
    }
}
