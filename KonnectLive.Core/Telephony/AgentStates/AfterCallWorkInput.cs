using FluentValidation;

namespace KonnectLive.Core.Telephony.AgentStates;

/// <summary>What an admin submits for the wrap-up limit on Configuration → Telephony.</summary>
public sealed class AfterCallWorkInput
{
    public const int MaxLimitSeconds = 3600;

    /// <summary>Seconds an agent may stay in Wrap-up; 0: no limit; null: the field was left empty.</summary>
    public int? LimitSeconds { get; set; }
    public AfterCallWorkAtLimit AtLimit { get; set; }
}

/// <summary>
/// Serves both the form (property by property, through <see cref="ValidateValue"/>) and
/// <see cref="AgentStateService.UpdateAfterCallWorkAsync(Users.UserScope?, AfterCallWorkInput, CancellationToken)"/>:
/// an out-of-range limit is refused with a message, never clamped.
/// </summary>
public sealed class AfterCallWorkInputValidator : AbstractValidator<AfterCallWorkInput>
{
    public const string LimitMessage = "The wrap-up limit is a whole number of seconds from 0 (no limit) to 3,600 (one hour).";

    public AfterCallWorkInputValidator()
    {
        RuleFor(i => i.LimitSeconds).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the wrap-up limit in seconds (0 for no limit).")
            .InclusiveBetween(0, AfterCallWorkInput.MaxLimitSeconds).WithMessage(LimitMessage);
        RuleFor(i => i.AtLimit).IsInEnum().WithMessage("Choose what happens at the limit.");
    }

    /// <summary>MudForm's <c>Validation</c>: the errors for one property of the model.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<AfterCallWorkInput>.CreateWithOptions((AfterCallWorkInput)model,
            o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}
