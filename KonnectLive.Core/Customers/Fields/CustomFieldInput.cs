using FluentValidation;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Fields;

/// <summary>What an admin submits to add (Id 0) or change a custom field. Mutable: the page's form binds to it.</summary>
public sealed class CustomFieldInput
{
    public const int MaxNameLength = 80;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public CustomFieldType Type { get; set; } = CustomFieldType.Text;
    /// <summary>For Choice fields: the allowed values, one per line.</summary>
    public string? Choices { get; set; }
    public bool IsActive { get; set; } = true;

    public static CustomFieldInput From(CustomFieldDefinition d) =>
        new() { Id = d.Id, Name = d.Name, Type = d.Type, Choices = d.Choices, IsActive = d.IsActive };
}

/// <summary>
/// Serves the Customer Fields form (property by property, through <see cref="ValidateValue"/>) and
/// <see cref="CustomFieldService.SaveAsync"/>. The uniqueness and type-change rules read the database.
/// </summary>
public sealed class CustomFieldInputValidator : AbstractValidator<CustomFieldInput>
{
    public CustomFieldInputValidator(IDbContextFactory<KonnectDbContext> dbFactory)
    {
        RuleFor(i => i.Name).Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the field a name.")
            .Must(n => n.Trim().Length <= CustomFieldInput.MaxNameLength).WithMessage($"A field name can be at most {CustomFieldInput.MaxNameLength} characters.")
            .MustAsync(async (input, name, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var trimmed = name.Trim();
                // SQLite's unique index is case-sensitive; two fields called "Colour" and "colour" would confuse agents.
                var names = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.Id != input.Id).Select(d => d.Name).ToListAsync(ct);
                return !names.Any(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
            }).WithMessage(i => $"A field called '{i.Name.Trim()}' already exists.");

        RuleFor(i => i.Type).IsInEnum().WithMessage("Choose a field type.");

        RuleFor(i => i.Choices)
            .Must(c => CustomFieldValues.ChoicesProblem(c) is null).WithMessage(i => CustomFieldValues.ChoicesProblem(i.Choices)!)
            .When(i => i.Type == CustomFieldType.Choice);

        // Stored values are text in the old type's format: reinterpreting them (a date as a number) would corrupt them.
        RuleFor(i => i.Type).MustAsync(async (input, type, ct) =>
        {
            if (input.Id == 0) return true;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var current = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.Id == input.Id).Select(d => (CustomFieldType?)d.Type).SingleOrDefaultAsync(ct);
            if (current is null || current == type) return true;
            return !await db.CustomFieldValues.AnyAsync(v => v.DefinitionId == input.Id, ct);
        }).WithMessage("The type cannot change once customers have values for this field. Add a new field instead.");
    }

    /// <summary>For MudForm's Validation: the messages for one property.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<CustomFieldInput>.CreateWithOptions((CustomFieldInput)model, x => x.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}
