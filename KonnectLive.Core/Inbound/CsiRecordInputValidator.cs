using FluentValidation;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Surveys;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Inbound;

/// <summary>
/// One FOCUS record. The known dealership codes come in the validation context's root data
/// (<see cref="DealershipCodesKey"/>), loaded once per batch by the ingest service.
/// </summary>
public sealed class CsiRecordInputValidator : AbstractValidator<CsiRecordInput>
{
    public const string DealershipCodesKey = "dealershipCodes";
    private static readonly string StatusNames = string.Join(", ", Enum.GetNames<SurveyStatus>());

    public CsiRecordInputValidator(TimeProvider time, IOptions<InboundApiOptions> options)
    {
        var tolerance = TimeSpan.FromMinutes(options.Value.FutureToleranceMinutes);

        RuleFor(r => r.FocusRecordId).NotEmpty().WithMessage("focusRecordId is required.")
            .MaximumLength(64).WithMessage("focusRecordId can be at most 64 characters.")
            .Must(id => id!.All(c => !char.IsControl(c) && !char.IsWhiteSpace(c))).WithMessage("focusRecordId cannot contain spaces or control characters.")
            .When(r => r.FocusRecordId is not null, ApplyConditionTo.CurrentValidator);

        RuleFor(r => r.DealershipCode).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("dealershipCode is required.")
            .MaximumLength(32).WithMessage("dealershipCode can be at most 32 characters.")
            .Must((_, code, ctx) => !ctx.RootContextData.TryGetValue(DealershipCodesKey, out var known)
                                    || ((IReadOnlySet<string>)known).Contains(code!.Trim()))
            .WithMessage(r => $"Unknown dealership code '{r.DealershipCode}'.");

        RuleFor(r => r.Status).Must(s => CsiFormats.ParseName<SurveyStatus>(s) is not null)
            .WithMessage(r => $"status must be one of {StatusNames}; got '{Shorten(r.Status)}'.");

        RuleFor(r => r.StatusChangedAt).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("statusChangedAt is required.")
            .Must(v => CsiFormats.ParseInstant(v) is not null)
            .WithMessage("statusChangedAt must be an ISO 8601 date-time with an offset, e.g. 2026-03-01T10:15:00Z.")
            .Must(v => CsiFormats.ParseInstant(v)!.Value <= time.GetUtcNow().UtcDateTime + tolerance)
            .WithMessage("statusChangedAt is in the future.")
            .Must(v => CsiFormats.ParseInstant(v)!.Value.Year >= 2000).WithMessage("statusChangedAt is implausibly old.");

        RuleFor(r => r.Score).InclusiveBetween(0, 10).WithMessage("score must be between 0 and 10.");

        RuleFor(r => r.EventType).Must(s => CsiFormats.ParseName<EventType>(s) is not null)
            .WithMessage(r => $"eventType must be Sales or Service; got '{Shorten(r.EventType)}'.");

        RuleFor(r => r.EventDate).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("eventDate is required.")
            .Must(v => CsiFormats.ParseDate(v) is not null).WithMessage("eventDate must be an ISO 8601 date, e.g. 2026-02-20.")
            .Must(v => CsiFormats.ParseDate(v)!.Value <= time.GetUtcNow().UtcDateTime.Date.AddDays(1)).WithMessage("eventDate is in the future.")
            .Must(v => CsiFormats.ParseDate(v)!.Value.Year >= 2000).WithMessage("eventDate is implausibly old.");

        RuleFor(r => r.Customer).NotNull().WithMessage("customer is required.");
        RuleFor(r => r.Customer!).ChildRules(c =>
        {
            c.RuleFor(x => x.FocusCustomerId).MaximumLength(64).WithMessage("focusCustomerId can be at most 64 characters.")
                .Must(id => id!.All(ch => !char.IsControl(ch) && !char.IsWhiteSpace(ch)))
                .WithMessage("focusCustomerId cannot contain spaces or control characters.")
                .When(x => !string.IsNullOrEmpty(x.FocusCustomerId));
            c.RuleFor(x => x.Title).MaximumLength(20).WithMessage("title can be at most 20 characters.");
            c.RuleFor(x => x.FirstName).NotEmpty().WithMessage("firstName is required.")
                .MaximumLength(100).WithMessage("firstName can be at most 100 characters.");
            c.RuleFor(x => x.LastName).NotEmpty().WithMessage("lastName is required.")
                .MaximumLength(100).WithMessage("lastName can be at most 100 characters.");
            c.RuleFor(x => x.Email).MaximumLength(254).WithMessage("email can be at most 254 characters.")
                .EmailAddress().WithMessage("email is not a valid email address.")
                .When(x => !string.IsNullOrWhiteSpace(x.Email));
            c.RuleFor(x => x.Phones).Must(p => p!.Count <= Customer.MaxPhones)
                .WithMessage($"At most {Customer.MaxPhones} phone numbers.").When(x => x.Phones is not null);
            c.RuleForEach(x => x.Phones).ChildRules(p =>
            {
                p.RuleFor(x => x.Number).Cascade(CascadeMode.Stop)
                    .NotEmpty().WithMessage("number is required.")
                    .MaximumLength(32).WithMessage("number can be at most 32 characters.")
                    .Must(n => PhoneNormaliser.ToE164(n) is not null).WithMessage(x => $"'{x.Number}' is not a phone number.");
                p.RuleFor(x => x.Type).Must(t => t is null || CsiFormats.ParseName<PhoneType>(t) is not null)
                    .WithMessage("type must be Mobile, Home, Work or Other.");
            }).When(x => x.Phones is { Count: <= Customer.MaxPhones });
        }).When(r => r.Customer is not null);

        RuleFor(r => r.Vehicle).NotNull().WithMessage("vehicle is required.");
        RuleFor(r => r.Vehicle!).ChildRules(v =>
        {
            v.RuleFor(x => x.Registration).NotEmpty().WithMessage("registration is required.")
                .MaximumLength(16).WithMessage("registration can be at most 16 characters.");
            v.RuleFor(x => x.Vin).Matches("^[A-HJ-NPR-Za-hj-npr-z0-9]{17}$")
                .WithMessage("vin must be 17 letters or digits (no I, O or Q).").When(x => !string.IsNullOrEmpty(x.Vin));
            v.RuleFor(x => x.Make).MaximumLength(50).WithMessage("make can be at most 50 characters.");
            v.RuleFor(x => x.Model).MaximumLength(80).WithMessage("model can be at most 80 characters.");
        }).When(r => r.Vehicle is not null);
    }

    /// <summary>Echoes a bad value back without echoing a megabyte of it.</summary>
    private static string? Shorten(string? value) => value is { Length: > 40 } ? value[..40] + "…" : value;
}
