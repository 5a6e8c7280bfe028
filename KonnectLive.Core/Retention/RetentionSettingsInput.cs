using FluentValidation;

namespace KonnectLive.Core.Retention;

/// <summary>What an admin submits on Configuration → Retention. Nullable so a cleared field is refused, never read as 0.</summary>
public sealed class RetentionSettingsInput
{
    public int? InboundPayloadDays { get; set; }
    public int? OutboxDays { get; set; }
    public int? FinishedMessageDays { get; set; }
    public int? AuditDays { get; set; }

    public static RetentionSettingsInput From(RetentionSettings s) => new()
    {
        InboundPayloadDays = s.InboundPayloadDays, OutboxDays = s.OutboxDays, FinishedMessageDays = s.FinishedMessageDays, AuditDays = s.AuditDays,
    };
}

/// <summary>The names and descriptions the page, the validator and the audit trail share.</summary>
public static class RetentionDefinitions
{
    public const int MinDays = 1;
    public const int MaxDays = 3_650;
    public const int MinAuditDays = 30;

    public const string InboundPayload = "Inbound payloads";
    public const string InboundPayloadDescription =
        "How many days the raw FOCUS request bodies (and their per-record results) stay in the Inbound Log. After that the body is " +
        "emptied; the log row (when, who, counts, status) stays as long as the audit log. Between 1 and 3,650 days.";
    public const string Outbox = "Outbox";
    public const string OutboxDescription =
        "How many days the embedded outbox keeps what it \"sent\" (shown on the Messages page). A message still waiting or sending keeps its row. " +
        "Between 1 and 3,650 days.";
    public const string FinishedMessages = "Finished messages";
    public const string FinishedMessagesDescription =
        "How many days a scheduled message that was sent, cancelled, skipped or failed is kept after it finished. Messages still " +
        "scheduled or sending are never removed. Between 1 and 3,650 days.";
    public const string Audit = "Audit log";
    public const string AuditDescription =
        "How many days audit entries (and the Inbound Log's rows) are kept. At least 30 days and at least as long as every period above; " +
        "at most 3,650 days.";
}

public sealed class RetentionSettingsInputValidator : AbstractValidator<RetentionSettingsInput>
{
    public RetentionSettingsInputValidator()
    {
        Days(i => i.InboundPayloadDays, RetentionDefinitions.InboundPayload, RetentionDefinitions.MinDays);
        Days(i => i.OutboxDays, RetentionDefinitions.Outbox, RetentionDefinitions.MinDays);
        Days(i => i.FinishedMessageDays, RetentionDefinitions.FinishedMessages, RetentionDefinitions.MinDays);
        Days(i => i.AuditDays, RetentionDefinitions.Audit, RetentionDefinitions.MinAuditDays);
        RuleFor(i => i.AuditDays)
            .Must((i, audit) => audit >= new[] { i.InboundPayloadDays, i.OutboxDays, i.FinishedMessageDays }.Max(d => d ?? 0))
            .When(i => i.AuditDays is >= RetentionDefinitions.MinAuditDays and <= RetentionDefinitions.MaxDays)
            .WithMessage($"{RetentionDefinitions.Audit} must be kept at least as long as every other period.");
    }

    private void Days(System.Linq.Expressions.Expression<Func<RetentionSettingsInput, int?>> property, string name, int min) =>
        RuleFor(property).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage($"{name} is required.")
            .InclusiveBetween(min, RetentionDefinitions.MaxDays).WithMessage($"{name} must be between {min:N0} and 3,650 days.");

    /// <summary>MudForm's <c>Validation</c>: the errors for one property of the model (the audit rule reads the others).</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<RetentionSettingsInput>.CreateWithOptions((RetentionSettingsInput)model,
            o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}
