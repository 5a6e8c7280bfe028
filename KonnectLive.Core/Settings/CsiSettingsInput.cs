using FluentValidation;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Settings;

/// <summary>
/// What an admin submits on Configuration → CSI Settings. Mutable: the page's form binds to it. The numbers are nullable so
/// that a cleared field stays "nothing entered" (and is refused as required) instead of quietly becoming 0.
/// </summary>
public sealed class CsiSettingsInput
{
    public int? AwaitingTemplateId { get; set; }
    public int? AwaitingDelayMinutes { get; set; }
    public int? FocusMatchCutOffDays { get; set; }
    public int? PendingTemplateId { get; set; }
    public int? PendingDelayMinutes { get; set; }
    public int? PositiveResponseThreshold { get; set; }
    /// <summary>Defaults to the setting's default, so a caller that predates the setting (the API, older forms) keeps it.</summary>
    public int? UndoMinutes { get; set; } = CsiSettings.DefaultUndoMinutes;

    public static CsiSettingsInput From(CsiSettings s) => new()
    {
        AwaitingTemplateId = s.AwaitingTemplateId,
        AwaitingDelayMinutes = s.AwaitingDelayMinutes,
        FocusMatchCutOffDays = s.FocusMatchCutOffDays,
        PendingTemplateId = s.PendingTemplateId,
        PendingDelayMinutes = s.PendingDelayMinutes,
        PositiveResponseThreshold = s.PositiveResponseThreshold,
        UndoMinutes = s.UndoMinutes,
    };
}

/// <summary>
/// Serves both the settings form (property by property, through <see cref="ValidateValue"/>) and
/// <see cref="CsiSettingsService.UpdateAsync"/>. Template rules read the database, so validate asynchronously.
/// </summary>
public sealed class CsiSettingsInputValidator : AbstractValidator<CsiSettingsInput>
{
    public CsiSettingsInputValidator(IDbContextFactory<KonnectDbContext> dbFactory)
    {
        RuleFor(i => i.AwaitingDelayMinutes).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(Required(CsiSettingDefinitions.AwaitingDelay))
            .InclusiveBetween(0, CsiSettingDefinitions.MaxDelayMinutes)
            .WithMessage($"{CsiSettingDefinitions.AwaitingDelay} must be between 0 and 43,200 minutes (30 days).");
        RuleFor(i => i.PendingDelayMinutes).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(Required(CsiSettingDefinitions.PendingDelay))
            .InclusiveBetween(0, CsiSettingDefinitions.MaxDelayMinutes)
            .WithMessage($"{CsiSettingDefinitions.PendingDelay} must be between 0 and 43,200 minutes (30 days).");
        RuleFor(i => i.FocusMatchCutOffDays).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(Required(CsiSettingDefinitions.FocusMatchCutOffDays))
            .InclusiveBetween(CsiSettingDefinitions.MinCutOffDays, CsiSettingDefinitions.MaxCutOffDays)
            .WithMessage($"{CsiSettingDefinitions.FocusMatchCutOffDays} must be between 1 and 3,650 days.");
        RuleFor(i => i.PositiveResponseThreshold).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(Required(CsiSettingDefinitions.PositiveResponseThreshold))
            .InclusiveBetween(CsiSettingDefinitions.MinThreshold, CsiSettingDefinitions.MaxThreshold)
            .WithMessage($"{CsiSettingDefinitions.PositiveResponseThreshold} must be a score between 0 and 10.");
        RuleFor(i => i.UndoMinutes).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(Required(CsiSettingDefinitions.UndoMinutes))
            .InclusiveBetween(CsiSettingDefinitions.MinUndoMinutes, CsiSettingDefinitions.MaxUndoMinutes)
            .WithMessage($"{CsiSettingDefinitions.UndoMinutes} must be between 0 and 60 minutes.");

        TemplateRule(i => i.AwaitingTemplateId, CsiSettingDefinitions.AwaitingTemplate, dbFactory);
        TemplateRule(i => i.PendingTemplateId, CsiSettingDefinitions.PendingTemplate, dbFactory);
    }

    /// <summary>A cleared number field: never read as 0 (a 0 delay would send every message at once).</summary>
    public static string Required(string settingName) => $"{settingName} is required.";

    private void TemplateRule(System.Linq.Expressions.Expression<Func<CsiSettingsInput, int?>> property, string settingName,
        IDbContextFactory<KonnectDbContext> dbFactory) =>
        // Null means "no message". Any channel is fine; the template must exist and be active.
        RuleFor(property).CustomAsync(async (id, context, ct) =>
        {
            if (id is not { } templateId) return;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var template = await db.MessageTemplates.AsNoTracking().Where(t => t.Id == templateId)
                .Select(t => new { t.Name, t.IsActive }).SingleOrDefaultAsync(ct);
            if (template is null)
                context.AddFailure($"{settingName}: template #{templateId} does not exist. Choose another template or \"No message\".");
            else if (!template.IsActive)
                context.AddFailure($"{settingName}: the template \"{template.Name}\" is inactive. Choose an active template or \"No message\".");
        });

    /// <summary>MudForm's <c>Validation</c>: the errors for one property of the model.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<CsiSettingsInput>.CreateWithOptions((CsiSettingsInput)model,
            o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}
