using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Core.Common;
using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Telephony.Dialing;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

public partial class Telephony
{
    [Inject] private TelephonySettingsService Settings { get; set; } = default!;
    [Inject] private AgentStateService States { get; set; } = default!;
    [Inject] private AfterCallWorkInputValidator AcwValidator { get; set; } = default!;
    [Inject] private IOptions<AgentStateOptions> AgentStateOptions { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private MudForm? _form;
    private TelephonySettingsView? _saved;
    private TelephonySettingsInput? _input;
    private IReadOnlyList<(string Property, string Error)> _errors = [];
    private bool _saving;
    private MudForm? _acwForm;
    private AfterCallWorkInput _acw = new();
    private IReadOnlyList<(string Property, string Error)> _acwErrors = [];
    private IReadOnlyList<NotReadyReasonView> _reasons = [];
    private string? _newReason;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _saved = await Settings.GetAsync();
        _input = new TelephonySettingsInput
        {
            DialEnabled = _saved.DialEnabled, OriginateUrl = _saved.OriginateUrl, ApiKeyHeader = _saved.ApiKeyHeader,
            DialTimeoutSeconds = _saved.DialTimeoutSeconds,
        };
        await LoadAgentStatesAsync();
    }

    private async Task LoadAgentStatesAsync()
    {
        var (limit, atLimit) = await States.AfterCallWorkAsync();
        _acw = new AfterCallWorkInput { LimitSeconds = limit, AtLimit = atLimit };
        _reasons = await States.ReasonsAsync(activeOnly: false);
    }

    private int MaxCallMinutes => AgentStateOptions.Value.MaxCallMinutes;

    private string? AcwServerError => _acwErrors.FirstOrDefault(e => e.Property == nameof(AfterCallWorkInput.LimitSeconds)).Error;

    private string? ErrorFor(string property) => _errors.FirstOrDefault(e => e.Property == property).Error;

    private async Task SaveDialAsync()
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

    /// <summary>Checked in the form first (nothing is sent while it is wrong), and again by the service, which stores nothing invalid.</summary>
    private async Task SaveWrapUpAsync()
    {
        if (_saving) return;
        _acwErrors = [];
        if (_acwForm is not null)
        {
            await _acwForm.ValidateAsync();
            if (!_acwForm.IsValid)
            {
                Snackbar.Add("The wrap-up limit was not saved: " + AfterCallWorkInputValidator.LimitMessage, Severity.Error);
                return;
            }
        }
        var input = new AfterCallWorkInput { LimitSeconds = _acw.LimitSeconds, AtLimit = _acw.AtLimit };
        await RunAsync(async user =>
        {
            var result = await States.UpdateAfterCallWorkAsync(user, input);
            _acwErrors = result.Errors;
            return result;
        }, reloadWrapUp: false);
    }

    private async Task OnNewReasonKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key is "Enter" or "NumpadEnter") await AddReasonAsync();
    }

    private async Task AddReasonAsync()
    {
        await RunAsync(user => States.AddReasonAsync(user, _newReason ?? ""));
        if (_reasons.Any(r => r.Name == _newReason?.Trim())) _newReason = null;
    }

    private Task SetReasonActiveAsync(NotReadyReasonView reason) => RunAsync(user => States.SetReasonActiveAsync(user, reason.Id, !reason.IsActive));

    private async Task RunAsync(Func<Core.Users.UserScope, Task<CommandResult>> command, bool reloadWrapUp = true)
    {
        if (_saving) return;
        _saving = true;
        try
        {
            var user = await CurrentUser.GetAsync();
            if (user is null)
            {
                Snackbar.Add("Your session has ended. Please log in again.", Severity.Error);
                return;
            }
            var result = await command(user);
            Snackbar.AddOutcome(result.Message, result.Outcome);
            // A refused wrap-up limit stays in the field, with its message, for the admin to correct.
            if (reloadWrapUp || result.Succeeded) await LoadAgentStatesAsync();
            else _reasons = await States.ReasonsAsync(activeOnly: false);
        }
        finally
        {
            _saving = false;
        }
    }
}
