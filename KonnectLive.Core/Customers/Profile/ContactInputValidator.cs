using FluentValidation;

namespace KonnectLive.Core.Customers.Profile;

/// <summary>Rules for the add / edit contact form; the form and <see cref="CustomerProfileService"/> both use it.</summary>
public sealed class ContactInputValidator : AbstractValidator<ContactInput>
{
    public ContactInputValidator()
    {
        RuleFor(c => c.Title).MaximumLength(20);
        RuleFor(c => c.FirstName).MaximumLength(100);
        RuleFor(c => c.LastName).MaximumLength(100);
        RuleFor(c => c).Must(c => !string.IsNullOrWhiteSpace(c.FirstName) || !string.IsNullOrWhiteSpace(c.LastName))
            .WithName("Name").WithMessage("Enter a first or last name.");
        RuleFor(c => c.Email).MaximumLength(254).EmailAddress().WithMessage("Enter a valid email address.")
            .When(c => !string.IsNullOrWhiteSpace(c.Email));
        RuleFor(c => c.Phones).Must(p => p.Count <= Customer.MaxPhones).WithMessage($"A customer has at most {Customer.MaxPhones} phone numbers.");
        RuleForEach(c => c.Phones).ChildRules(phone =>
            phone.RuleFor(p => p.Number).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Enter the number or remove the row.")
                .Must(n => PhoneNormaliser.ToE164(n) is not null).WithMessage("Not a valid phone number."));
        RuleFor(c => c.Phones)
            .Must(p => p.Select(x => PhoneNormaliser.ToE164(x.Number)).Where(n => n is not null).GroupBy(n => n).All(g => g.Count() == 1))
            .WithMessage("The same number is listed twice.");
    }
}
