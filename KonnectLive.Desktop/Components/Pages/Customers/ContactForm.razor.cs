using FluentValidation;
using KonnectLive.Core.Customers.Profile;
using Microsoft.AspNetCore.Components;

namespace KonnectLive.Desktop.Components.Pages.Customers;

/// <summary>
/// Title, names, email and up to five phones with type. The same <see cref="ContactInputValidator"/> the service runs
/// checks the form first; errors the service returns (e.g. no dealership chosen) are shown on their fields too.
/// </summary>
public partial class ContactForm
{
    [Inject] private IValidator<ContactInput> Validator { get; set; } = default!;

    [Parameter, EditorRequired] public ContactInput Input { get; set; } = default!;

    /// <summary>When set, a dealership is chosen from these (a dealership user gets just their own).</summary>
    [Parameter] public IReadOnlyList<(int Id, string Name)>? Dealerships { get; set; }

    /// <summary>Field errors from the server, keyed like FluentValidation's property names ("Phones[0].Number").</summary>
    [Parameter] public IReadOnlyDictionary<string, string[]>? ServerErrors { get; set; }

    [Parameter] public bool Busy { get; set; }
    [Parameter] public string SaveLabel { get; set; } = "Save";
    [Parameter] public EventCallback OnSave { get; set; }
    [Parameter] public EventCallback OnCancel { get; set; }

    private IDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    protected override void OnParametersSet()
    {
        if (ServerErrors is not null) _errors = ServerErrors.ToDictionary();
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorFor(string field) => _errors.TryGetValue(field, out var messages) ? messages[0] : null;

    private async Task SaveAsync()
    {
        var result = await Validator.ValidateAsync(Input);
        _errors = result.ToDictionary();
        if (result.IsValid) await OnSave.InvokeAsync();
    }
}
