using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Users;

public sealed class ResetPasswordCommandValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordCommandValidator(IOptions<IdentityOptions> identity)
    {
        RuleFor(c => c.UserId).NotEmpty();
        RuleFor(c => c.NewPassword).Custom((password, ctx) =>
        {
            foreach (var problem in UserAdminPasswords.Problems(password, identity.Value.Password)) ctx.AddFailure(problem);
        }).When(c => !c.GeneratePassword);
    }
}
