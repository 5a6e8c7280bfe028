using KonnectLive.Core.Common;
using KonnectLive.Core.Telephony.AgentStates;
using KonnectLive.Core.Telephony.Dialing;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

public partial class Telephony
{
    [Inject] private TelephonySettingsService Settings { get; set; } = default!;
    [Inject] private AgentStateService States { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private MudForm? _form;
    private TelephonySettingsView? _saved;
    private TelephonySettingsInput? _input;
    private IReadOnlyList<(string Property, string Error)> _errors = [];
    private bool _saving;
    private int _acwLimit;
    private AfterCallWorkAtLimit _acwAtLimit;
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
        (_acwLimit, _acwAtLimit) = await States.AfterCallWorkAsync();
        _reasons = await States.ReasonsAsync(activeOnly: false);
    }

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
            Snackbar.Add(result.Message, result.Outcome switch
            {
                CommandOutcome.Done => Severity.Success,
                CommandOutcome.Unchanged => Severity.Info,
                _ => Severity.Error,
            });
            if (result.Succeeded) await LoadAsync();
        }
        finally
        {
            _saving = false;
        }
    }

    private Task SaveWrapUpAsync() => RunAsync(user => States.UpdateAfterCallWorkAsync(user, _acwLimit, _acwAtLimit));

    private async Task AddReasonAsync()
    {
        await RunAsync(user => States.AddReasonAsync(user, _newReason ?? ""));
        if (_reasons.Any(r => r.Name == _newReason?.Trim())) _newReason = null;
    }

    private Task SetReasonActiveAsync(NotReadyReasonView reason) => RunAsync(user => States.SetReasonActiveAsync(user, reason.Id, !reason.IsActive));

    private async Task RunAsync(Func<Core.Users.UserScope, Task<CommandResult>> command)
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
            Snackbar.Add(result.Message, result.Outcome switch
            {
                CommandOutcome.Done => Severity.Success,
                CommandOutcome.Unchanged => Severity.Info,
                _ => Severity.Error,
            });
            (_acwLimit, _acwAtLimit) = await States.AfterCallWorkAsync();
            _reasons = await States.ReasonsAsync(activeOnly: false);
        }
        finally
        {
            _saving = false;
        }
    }
}
