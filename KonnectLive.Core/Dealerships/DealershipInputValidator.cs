using FluentValidation;

namespace KonnectLive.Core.Dealerships;

public sealed class DealershipInputValidator : AbstractValidator<DealershipInput>
{
    public DealershipInputValidator()
    {
        RuleFor(d => d.Code).NotEmpty().WithMessage("Enter the dealer code.")
            .MaximumLength(32).WithMessage("The code can be at most 32 characters.")
            .Matches("^[A-Z0-9][A-Z0-9_-]*$").WithMessage("Use upper-case letters, digits, '-' or '_' (the code as FOCUS sends it).");
        RuleFor(d => d.Name).NotEmpty().WithMessage("Enter the dealership's name.")
            .MaximumLength(200).WithMessage("The name can be at most 200 characters.");
        RuleFor(d => d.TimeZone).NotEmpty().WithMessage("Choose a time zone.")
            .MaximumLength(64).WithMessage("Choose a time zone from the list.")
            .Must(IsIanaZone).WithMessage("Choose a time zone from the list (an IANA id such as Europe/London).");
        // Any pair is a window the dispatcher understands (equal: no restriction; From > Until: across midnight),
        // so only whole minutes are checked: the form edits hours and minutes.
        RuleFor(d => d.SendFrom).Must(WholeMinute).WithMessage("Use whole minutes for 'Send from'.");
        RuleFor(d => d.SendUntil).Must(WholeMinute).WithMessage("Use whole minutes for 'Send until'.");
    }

    /// <summary>Found on this machine and named by its IANA id (a Windows id would resolve on Linux but is not what we store).</summary>
    public static bool IsIanaZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return false;
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return zone.HasIanaId && zone.Id == id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return false; }
    }

    private static bool WholeMinute(TimeOnly t) => t.Second == 0 && t.Millisecond == 0 && t.Microsecond == 0;
}
