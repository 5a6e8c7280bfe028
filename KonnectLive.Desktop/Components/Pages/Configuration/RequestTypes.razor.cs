using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Requests;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>Configuration → Request Types: a type and its fields are edited together and saved as a whole (RequestTypeService).</summary>
public partial class RequestTypes
{
    [Inject] private RequestTypeService Types { get; set; } = default!;
    [Inject] private RequestTypeInputValidator Validator { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ILogger<RequestTypes> Logger { get; set; } = default!;

    private MudForm? _form;
    private List<RequestTypeSummary>? _types;
    private RequestTypeInput _input = new();
    private HashSet<int> _usedFields = [];
    private string _editingName = "";
    private List<string> _errors = [];
    private bool _busy;
    private string? _loadError;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await ReloadAsync();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the request types failed");
            _loadError = "The request types could not be loaded just now. Please reload the page.";
        }
    }

    private async Task ReloadAsync() => _types = [.. await Types.ListAsync()];

    private static string TypeName(CustomFieldType t) => t switch
    {
        CustomFieldType.YesNo => "Yes / no",
        CustomFieldType.Choice => "Choice (list)",
        _ => t.ToString(),
    };

    private static string Label(RequestFieldInput f, int index) => string.IsNullOrWhiteSpace(f.Name) ? $"field {index + 1}" : f.Name;

    private bool Used(RequestFieldInput f) => f.Id != 0 && _usedFields.Contains(f.Id);

    private void AddField() => _input.Fields.Add(new RequestFieldInput());

    private void Move(int index, int direction)
    {
        var target = index + direction;
        if (target < 0 || target >= _input.Fields.Count) return;
        (_input.Fields[index], _input.Fields[target]) = (_input.Fields[target], _input.Fields[index]);
    }

    private async Task NewAsync()
    {
        _input = new RequestTypeInput();
        _usedFields = [];
        _errors = [];
        if (_form is not null) await _form.ResetValidationAsync();
    }

    private async Task EditAsync(RequestTypeSummary type)
    {
        _input = type.ToInput();
        _usedFields = [.. type.Fields.Where(f => f.ValueCount > 0).Select(f => f.Id)];
        _editingName = type.Name;
        _errors = [];
        if (_form is not null) await _form.ResetValidationAsync();
    }

    private async Task SaveAsync()
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var result = await RunAsync(async user => await Types.SaveAsync(user, _input));
            if (result is null) return;
            if (result.Succeeded)
            {
                Snackbar.Add(result.Message, result.Outcome == CommandOutcome.Done ? Severity.Success : Severity.Info);
                await NewAsync();
                await ReloadAsync();
            }
            else
            {
                _errors = [.. result.Errors.Select(e => e.Error).Distinct()];
                if (_errors.Count == 0) _errors = [result.Message];
                Snackbar.Add("The request type was not saved: see the messages above the form.", Severity.Error);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ToggleActiveAsync(RequestTypeSummary type)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var result = await RunAsync(user => Types.SetActiveAsync(user, type.Id, !type.IsActive));
            if (result is null) return;
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync(RequestTypeSummary type)
    {
        if (_busy) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete request type", $"Delete {type.Name}? No request uses it yet.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true) return;
        _busy = true;
        try
        {
            var result = await RunAsync(user => Types.DeleteAsync(user, type.Id));
            if (result is null) return;
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
            if (_input.Id == type.Id && result.Succeeded) await NewAsync();
            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<CommandResult?> RunAsync(Func<KonnectLive.Core.Users.UserScope, Task<CommandResult>> action)
    {
        try
        {
            var user = await CurrentUser.GetAsync();
            if (user is null)
            {
                Snackbar.Add("Your session has ended. Sign in again.", Severity.Error);
                return null;
            }
            return await action(user);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            return null;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Changing request types failed");
            Snackbar.Add("The request types could not be changed just now. Please try again.", Severity.Error);
            return null;
        }
    }
}
