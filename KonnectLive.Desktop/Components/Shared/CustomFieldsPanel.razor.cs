using System.Globalization;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// A customer's custom fields (Configuration → Customer Fields), in the admins' order, with typed inputs for users who
/// may edit contacts and a read-only list for the others. The service decides both (and re-checks on save), so hiding
/// the inputs is only a convenience.
/// </summary>
public partial class CustomFieldsPanel
{
    [Inject] private CustomFieldValueService Values { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<CustomFieldsPanel> Logger { get; set; } = default!;

    /// <summary>The customer whose fields are shown.</summary>
    [Parameter, EditorRequired] public int CustomerId { get; set; }

    /// <summary>The signed-in user, as <c>CurrentUser</c> loaded them; decides read-only or editable, and is re-checked on save.</summary>
    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;

    /// <summary>Raised after values were saved.</summary>
    [Parameter] public EventCallback OnSaved { get; set; }

    private CustomerFieldsView? _view;
    private Dictionary<int, string?> _edits = [];
    private Dictionary<int, string> _errors = [];
    private string? _loadError;
    private bool _saving;
    private int _loadedFor;

    protected override async Task OnParametersSetAsync()
    {
        if (_view is not null && _loadedFor == CustomerId) return;
        _loadedFor = CustomerId;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _loadError = null;
            _view = await Values.GetAsync(Scope, CustomerId);
            if (_view is null) _loadError = "This customer's fields are not available.";
            Discard();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the custom fields of customer {CustomerId} failed", CustomerId);
            _loadError = "The customer fields could not be loaded just now.";
        }
    }

    private string? Get(int id) => _edits.TryGetValue(id, out var v) ? v : null;

    private void Set(int id, string? value)
    {
        _edits[id] = string.IsNullOrEmpty(value) ? null : value;
        _errors.Remove(id);
    }

    private Dictionary<int, string?> Changes() => _view is null
        ? []
        : _view.Fields.Where(f => (Get(f.DefinitionId) ?? "") != (f.Value ?? "")).ToDictionary(f => f.DefinitionId, f => Get(f.DefinitionId));

    private bool HasChanges => Changes().Count > 0;

    private void Discard()
    {
        _edits = _view?.Fields.ToDictionary(f => f.DefinitionId, f => f.Value) ?? [];
        _errors = [];
    }

    private async Task SaveAsync()
    {
        var changes = Changes();
        if (_saving || changes.Count == 0) return;
        _saving = true;
        try
        {
            var result = await Values.SetManyAsync(Scope, CustomerId, changes, CultureInfo.CurrentCulture);
            if (result.Succeeded)
            {
                _view = result.Fields ?? await Values.GetAsync(Scope, CustomerId);
                Discard();
                Snackbar.Add(result.Message, result.Outcome == CustomFieldUpdateOutcome.Saved ? Severity.Success : Severity.Info);
                await OnSaved.InvokeAsync();
            }
            else
            {
                _errors = result.Errors.ToDictionary(e => e.Key, e => e.Value);
                Snackbar.Add(result.Message, Severity.Error);
                if (result.Outcome == CustomFieldUpdateOutcome.Forbidden) await LoadAsync(); // show it read-only now
            }
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Saving the custom fields of customer {CustomerId} failed", CustomerId);
            Snackbar.Add("The fields could not be saved just now. Please try again.", Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }
}
