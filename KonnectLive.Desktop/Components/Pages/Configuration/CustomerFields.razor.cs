using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

public partial class CustomerFields
{
    [Inject] private CustomFieldService Fields { get; set; } = default!;
    [Inject] private CustomFieldInputValidator Validator { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<CustomerFields> Logger { get; set; } = default!;

    private MudForm? _form;
    private List<CustomFieldSummary>? _fields;
    private CustomFieldInput _input = new();
    private string _editingName = "";
    private List<string> _errors = [];
    private bool _agentsMayEdit;
    private bool _busy;
    private string? _loadError;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await ReloadAsync();
            _agentsMayEdit = await Fields.GetAgentsMayEditContactsAsync();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the customer fields failed");
            _loadError = "The customer fields could not be loaded just now. Please reload the page.";
        }
    }

    private async Task ReloadAsync() => _fields = [.. await Fields.ListAsync()];

    private static string TypeName(CustomFieldType t) => t switch
    {
        CustomFieldType.YesNo => "Yes / no",
        CustomFieldType.Choice => "Choice (list)",
        _ => t.ToString(),
    };

    private async Task NewAsync()
    {
        _input = new CustomFieldInput();
        _errors = [];
        if (_form is not null) await _form.ResetValidationAsync();
    }

    private async Task EditAsync(CustomFieldSummary field)
    {
        _input = new CustomFieldInput
        {
            Id = field.Id, Name = field.Name, Type = field.Type, IsActive = field.IsActive,
            Choices = CustomFieldValues.JoinChoices(field.Choices),
        };
        _editingName = field.Name;
        _errors = [];
        if (_form is not null) await _form.ResetValidationAsync();
    }

    /// <summary>Runs an admin action with the user as the database knows them now (a removed role counts at once).</summary>
    private async Task RunAsync(Func<Core.Users.UserScope, Task> action, string failure)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var user = await CurrentUser.GetAsync();
            if (user is null)
            {
                Snackbar.Add("Your session has ended. Please log in again.", Severity.Error);
                return;
            }
            await action(user);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "{Failure}", failure);
            Snackbar.Add(failure, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveAsync()
    {
        if (_form is null) return;
        _errors = [];
        await _form.ValidateAsync();
        if (!_form.IsValid) return;
        await RunAsync(async user =>
        {
            var adding = _input.Id == 0;
            var result = await Fields.SaveAsync(user, _input);
            if (!result.Succeeded)
            {
                _errors = [.. result.Errors];
                Snackbar.Add("The field was not saved.", Severity.Error);
                return;
            }
            Snackbar.Add(adding ? $"Field “{result.Field!.Name}” added." : $"Field “{result.Field!.Name}” saved.", Severity.Success);
            await ReloadAsync();
            _input = new CustomFieldInput();
            if (_form is not null) await _form.ResetValidationAsync();
        }, "The field could not be saved just now. Please try again.");
    }

    private Task MoveAsync(CustomFieldSummary field, int direction) => RunAsync(async user =>
    {
        var result = await Fields.MoveAsync(user, field.Id, direction);
        if (!result.Succeeded) Snackbar.Add(string.Join(" ", result.Errors), Severity.Error);
        await ReloadAsync();
    }, "The field could not be moved just now.");

    private Task ToggleActiveAsync(CustomFieldSummary field) => RunAsync(async user =>
    {
        var result = await Fields.SetActiveAsync(user, field.Id, !field.IsActive);
        if (!result.Succeeded) Snackbar.Add(string.Join(" ", result.Errors), Severity.Error);
        else Snackbar.Add($"“{field.Name}” {(field.IsActive ? "deactivated" : "activated")}.", Severity.Success);
        await ReloadAsync();
    }, "The field could not be changed just now.");

    private Task SetAgentsMayEditAsync(bool allowed) => RunAsync(async user =>
    {
        if (await Fields.SetAgentsMayEditContactsAsync(user, allowed))
        {
            _agentsMayEdit = allowed;
            Snackbar.Add(allowed ? "Agents may now edit contacts." : "Only administrators may edit contacts now.", Severity.Success);
        }
        else Snackbar.Add("Only administrators can change this setting.", Severity.Error);
    }, "The setting could not be saved just now.");
}
