using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Core.Cases;
using KonnectLive.Core.Common;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

public partial class CaseRecords
{
    [Inject] private CaseRecordSettingsService Settings { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private CaseRecordSettings? _saved;
    private CaseRecordSettingsInput? _input;
    private (string? Title, string? Problem) _preview;
    private IReadOnlyList<(string Property, string Error)> _errors = [];
    private bool _saving;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _saved = await Settings.GetAsync();
        _input = CaseRecordSettingsInput.From(_saved);
        _preview = CaseRecordSettingsService.Preview(_input.TitleTemplate);
    }

    private void OnTemplateChanged(string? value)
    {
        _input!.TitleTemplate = value ?? "";
        _preview = CaseRecordSettingsService.Preview(value); // the live preview: the sample call's title, or why it cannot be used
    }

    private string? ErrorFor(string property) => _errors.FirstOrDefault(e => e.Property == property).Error;

    private async Task SaveAsync()
    {
        if (_input is null || _saving) return;
        _saving = true;
        try
        {
            var user = await CurrentUser.GetAsync();
            if (user is null)
            {
                Snackbar.Add("Your session has ended. Please log in again.", Severity.Error);
                return;
            }
            var result = await Settings.UpdateAsync(user, _input);
            _errors = result.Errors;
            Snackbar.AddOutcome(result.Message, result.Outcome);
            if (result.Succeeded) await LoadAsync();
        }
        finally
        {
            _saving = false;
        }
    }
}
