using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

public partial class CsiSettings
{
    [Inject] private CsiSettingsService Settings { get; set; } = default!;
    [Inject] private CsiSettingsInputValidator Validator { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<CsiSettings> Logger { get; set; } = default!;

    private MudForm? _form;
    private CsiSettingsView? _saved;
    private CsiSettingsInput _input = new();
    private IReadOnlyList<TemplateOption> _templates = [];
    private bool _saving;
    private string? _loadError;
    private string? _serverMessage;
    private List<string> _serverErrors = [];

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _templates = await Settings.GetTemplateOptionsAsync();
            _saved = await Settings.GetAsync();
            _input = _saved.ToInput();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the CSI settings failed");
            _loadError = "The CSI settings could not be loaded just now. Please reload the page.";
        }
    }

    private string TemplateText(int? id)
    {
        if (id is null) return "No message";
        var t = _templates.FirstOrDefault(x => x.Id == id);
        if (t is null) return $"Template #{id}";
        var channel = t.Channel == MessageChannel.Sms ? "SMS" : "Email";
        return t.IsActive ? $"{t.Name} · {channel}" : $"{t.Name} · {channel} · inactive";
    }

    private static string DelayHelp(int? minutes) =>
        minutes is not { } m || m is < 0 or > CsiSettingDefinitions.MaxDelayMinutes
            ? "0 to 43,200 minutes (30 days); 0 sends straight away"
            : "= " + CsiSettingDefinitions.DescribeDelay(m);

    private async Task SaveAsync()
    {
        if (_form is null || _saving) return;
        _serverErrors = [];
        _serverMessage = null;
        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            Snackbar.Add("Some settings are not valid; see the messages under them.", Severity.Warning);
            return;
        }

        _saving = true;
        try
        {
            // Read the user now, not when the page opened: a role removed since then must count (the service checks it).
            var user = await CurrentUser.GetAsync();
            if (user is null)
            {
                Snackbar.Add("Your session has ended. Please log in again.", Severity.Error);
                return;
            }
            var result = await Settings.UpdateAsync(user, _input);
            if (result.Succeeded)
            {
                _saved = result.Settings!;
                _input = _saved.ToInput();
                Snackbar.Add(result.Message, result.Outcome == CsiSettingsUpdateOutcome.Saved ? Severity.Success : Severity.Info);
            }
            else
            {
                // The server validates again (a template may have been deactivated meanwhile) and checks the role.
                _serverMessage = result.Outcome == CsiSettingsUpdateOutcome.Forbidden ? result.Message : "The settings were not saved.";
                _serverErrors = result.Errors.Count > 0 ? result.Errors.Select(e => e.Message).ToList() : [result.Message];
                Snackbar.Add(_serverMessage, Severity.Error);
            }
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Saving the CSI settings failed");
            Snackbar.Add("The settings could not be saved just now. Please try again.", Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task DiscardAsync()
    {
        if (_saved is null) return;
        _input = _saved.ToInput();
        _serverErrors = [];
        if (_form is not null) await _form.ResetValidationAsync();
    }
}
