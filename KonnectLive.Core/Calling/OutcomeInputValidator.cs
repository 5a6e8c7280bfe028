using FluentValidation;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// Serves the outcome dialog (property by property, through <see cref="ValidateValue"/>) and
/// <see cref="OutcomeAdminService"/>. The uniqueness and template rules read the database.
/// </summary>
public sealed class OutcomeInputValidator : AbstractValidator<OutcomeInput>
{
    public const string ReserveMinutesRequired = "The minutes to reserve the call-back for are required; enter 0 to let anyone call at once.";

    public OutcomeInputValidator(IDbContextFactory<KonnectDbContext> dbFactory)
    {
        RuleFor(i => i.Name).Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the outcome a name.")
            .Must(n => n.Trim().Length <= OutcomeInput.MaxNameLength).WithMessage($"An outcome name can be at most {OutcomeInput.MaxNameLength} characters.")
            .MustAsync(async (input, name, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var trimmed = name.Trim();
                // SQLite's unique index is case-sensitive; "No answer" and "No Answer" side by side would confuse agents and reports.
                var names = await db.CallOutcomes.AsNoTracking().Where(o => o.Id != input.Id).Select(o => o.Name).ToListAsync(ct);
                return !names.Any(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
            }).WithMessage(i => $"An outcome called '{i.Name.Trim()}' already exists.");

        RuleFor(i => i.Colour).Must(c => OutcomeColours.Normalise(c) is not null)
            .WithMessage($"Choose one of the colours: {string.Join(", ", OutcomeColours.All)}.");
        RuleFor(i => i.Category).IsInEnum().WithMessage("Choose a category.");
        RuleFor(i => i.Behaviour).IsInEnum().WithMessage("Choose what the outcome does.");

        RuleFor(i => i.CallbackReserveMinutes).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(ReserveMinutesRequired)
            .InclusiveBetween(0, OutcomeInput.MaxReserveMinutes)
            .WithMessage($"Reserve the call-back for between 0 and {OutcomeInput.MaxReserveMinutes:N0} minutes (24 hours); 0 means anyone may call.")
            .When(i => i.Behaviour == OutcomeBehaviour.CallBackLater);

        RuleFor(i => i.NextSmsTemplateId)
            .MustAsync((id, ct) => IsActiveTemplateAsync(dbFactory, id!.Value, MessageChannel.Sms, ct))
            .When(i => i.Behaviour == OutcomeBehaviour.WrongNumber && i.NextSmsTemplateId is not null)
            .WithMessage("The next SMS must be an active SMS template.");
        RuleFor(i => i.NextEmailTemplateId)
            .MustAsync((id, ct) => IsActiveTemplateAsync(dbFactory, id!.Value, MessageChannel.Email, ct))
            .When(i => i.Behaviour == OutcomeBehaviour.WrongNumber && i.NextEmailTemplateId is not null)
            .WithMessage("The next email must be an active email template.");
    }

    private static async Task<bool> IsActiveTemplateAsync(IDbContextFactory<KonnectDbContext> dbFactory, int id, MessageChannel channel, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MessageTemplates.AnyAsync(t => t.Id == id && t.Channel == channel && t.IsActive, ct);
    }

    /// <summary>For MudForm's Validation: the messages for one property.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<OutcomeInput>.CreateWithOptions((OutcomeInput)model, x => x.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}
