using FluentValidation;

namespace KonnectLive.Core.Calling;

public sealed class RecordAttemptCommandValidator : AbstractValidator<RecordAttemptCommand>
{
    public RecordAttemptCommandValidator()
    {
        RuleFor(c => c.RecordId).GreaterThan(0);
        RuleFor(c => c.OutcomeId).GreaterThan(0).WithMessage("Choose an outcome.");
        RuleFor(c => c.Note).MaximumLength(2000).WithMessage("The note can be at most 2,000 characters.");
        RuleFor(c => c.NumberDialled).MaximumLength(32);
    }
}
