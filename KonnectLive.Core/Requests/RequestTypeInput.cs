using FluentValidation;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Requests;

/// <summary>What an admin submits to add (Id 0) or change a request type with its fields, in their order. Mutable: the form binds to it.</summary>
public sealed class RequestTypeInput
{
    public const int MaxNameLength = 80;
    public const int MaxDescriptionLength = 500;
    public const int MaxFields = 30;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>In the order agents see them. A field left out is removed (allowed only while no request has a value for it).</summary>
    public List<RequestFieldInput> Fields { get; set; } = [];
}

public sealed class RequestFieldInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public CustomFieldType Type { get; set; } = CustomFieldType.Text;
    public string? Choices { get; set; }
    public bool IsRequired { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>
/// Serves Configuration → Request Types (property by property, through <see cref="ValidateValue"/>) and
/// <see cref="RequestTypeService.SaveAsync"/>. The uniqueness, removal and type-change rules read the database.
/// </summary>
public sealed class RequestTypeInputValidator : AbstractValidator<RequestTypeInput>
{
    public RequestTypeInputValidator(IDbContextFactory<KonnectDbContext> dbFactory)
    {
        RuleFor(i => i.Name).Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the request type a name.")
            .Must(n => n.Trim().Length <= RequestTypeInput.MaxNameLength).WithMessage($"A request type's name can be at most {RequestTypeInput.MaxNameLength} characters.")
            .MustAsync(async (input, name, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var trimmed = name.Trim();
                // SQLite's unique index is case-sensitive; "Complaint" and "complaint" would confuse agents.
                var names = await db.RequestTypes.AsNoTracking().Where(t => t.Id != input.Id).Select(t => t.Name).ToListAsync(ct);
                return !names.Any(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
            }).WithMessage(i => RequestTypeService.NameTaken(i.Name));

        RuleFor(i => i.Description).MaximumLength(RequestTypeInput.MaxDescriptionLength)
            .WithMessage($"The description can be at most {RequestTypeInput.MaxDescriptionLength} characters.");

        RuleFor(i => i.Fields).Must(f => f.Count <= RequestTypeInput.MaxFields).WithMessage($"A request type can have at most {RequestTypeInput.MaxFields} fields.");
        RuleFor(i => i.Fields).Must(f => DuplicateName(f) is null).WithMessage(i => $"Two fields are called '{DuplicateName(i.Fields)}': give each field its own name.");

        RuleForEach(i => i.Fields).ChildRules(field =>
        {
            field.RuleFor(f => f.Name).Cascade(CascadeMode.Stop)
                .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give every field a name.")
                .Must(n => n.Trim().Length <= RequestTypeInput.MaxNameLength).WithMessage(f => $"Field '{Short(f.Name)}': a name can be at most {RequestTypeInput.MaxNameLength} characters.");
            field.RuleFor(f => f.Type).IsInEnum().WithMessage("Choose each field's type.");
            field.RuleFor(f => f.Choices).Must(c => CustomFieldValues.ChoicesProblem(c) is null)
                .WithMessage(f => $"Field '{Short(f.Name)}': {CustomFieldValues.ChoicesProblem(f.Choices)}")
                .When(f => f.Type == CustomFieldType.Choice);
        });

        // Values are stored in their type's format and belong to requests: a field with values keeps its type and stays.
        RuleFor(i => i.Fields).CustomAsync(async (fields, context, ct) =>
        {
            var input = context.InstanceToValidate;
            if (input.Id == 0) return;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var existing = await db.RequestFields.AsNoTracking().Where(f => f.RequestTypeId == input.Id)
                .Select(f => new { f.Id, f.Name, f.Type, Used = db.CustomerRequestValues.Any(v => v.RequestFieldId == f.Id) })
                .ToListAsync(ct);
            foreach (var f in existing.Where(f => f.Used))
            {
                var submitted = fields.FirstOrDefault(x => x.Id == f.Id);
                if (submitted is null)
                    context.AddFailure(nameof(RequestTypeInput.Fields), $"Field '{f.Name}' has values in requests, so it cannot be removed: deactivate it instead.");
                else if (submitted.Type != f.Type)
                    context.AddFailure(nameof(RequestTypeInput.Fields), $"Field '{f.Name}': the type cannot change once requests have values for it. Add a new field instead.");
            }
            var ids = existing.Select(f => f.Id).ToHashSet();
            if (fields.Any(f => f.Id != 0 && !ids.Contains(f.Id)))
                context.AddFailure(nameof(RequestTypeInput.Fields), "A field no longer belongs to this request type. Reload the page.");
        });
    }

    private static string? DuplicateName(IEnumerable<RequestFieldInput> fields) =>
        fields.Where(f => !string.IsNullOrWhiteSpace(f.Name)).GroupBy(f => f.Name.Trim(), StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(g => g.Count() > 1)?.Key;

    private static string Short(string? v) => v is null ? "" : v.Length > 40 ? v[..40] + "…" : v.Trim();

    /// <summary>For MudForm's Validation: the messages for one property.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        if (model is not RequestTypeInput input) return [];
        var result = await ValidateAsync(ValidationContext<RequestTypeInput>.CreateWithOptions(input, x => x.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}
