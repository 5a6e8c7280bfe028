using KonnectLive.Core.Calling;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Severity = MudBlazor.Severity;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>Configuration → Outcomes: the calling page's wrap-ups, what each does, their order and whether agents see them.</summary>
public partial class Outcomes
{
    private const int None = 0; // template ids start at 1
    private static readonly DialogOptions DialogOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };

    [Inject] private OutcomeAdminService Service { get; set; } = default!;
    [Inject] private OutcomeInputValidator Validator { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<Outcomes> Logger { get; set; } = default!;

    private List<OutcomeAdminRow>? _outcomes;
    private IReadOnlyList<TemplateChoice> _templates = [];
    private UserScope? _me;
    private bool _busy;

    private MudForm? _form;
    private bool _editorVisible;
    private string _editingName = "";
    private OutcomeInput _input = new();
    private string? _serverError;
    private IReadOnlyList<(string Property, string Error)> _serverErrors = [];

    protected override async Task OnInitializedAsync()
    {
        _me = await CurrentUser.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _outcomes = [.. await Service.ListAsync(_me)];
            _templates = await Service.ListTemplateChoicesAsync(_me);
        }
        catch (UnauthorizedAccessException)
        {
            _outcomes = [];
            Snackbar.Add(OutcomeAdminService.AdminOnly, Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading outcomes failed");
            _outcomes = [];
            Snackbar.Add("The outcomes could not be loaded just now. Please reload the page.", Severity.Error);
        }
    }

    private int Position(OutcomeAdminRow row) => _outcomes!.IndexOf(row) + 1;

    internal static Color ColourOf(string colour) => Enum.TryParse<Color>(colour, ignoreCase: true, out var c) ? c : Color.Default;

    /// <summary>The settings that matter for the row's behaviour, in words.</summary>
    private static IEnumerable<string> Details(OutcomeAdminRow row)
    {
        switch (row.Behaviour)
        {
            case OutcomeBehaviour.CallBackLater:
                yield return row.CallbackReserveMinutes > 0
                    ? $"Reserved for the booking agent for {row.CallbackReserveMinutes} min once due"
                    : "Anyone may call back once due";
                break;
            case OutcomeBehaviour.WrongNumber:
                yield return $"Then SMS: {row.NextSmsTemplateName ?? "none"}";
                yield return $"Then email: {row.NextEmailTemplateName ?? "none"}";
                break;
            case OutcomeBehaviour.CustomerDeclined:
                yield return "Agent picks a decline reason";
                break;
        }
    }

    /// <summary>Active templates of the channel, and the one already chosen even if it has since been deactivated (so it shows, marked).</summary>
    private IEnumerable<TemplateChoice> TemplatesFor(MessageChannel channel, int? current) =>
        _templates.Where(t => t.Channel == channel && (t.IsActive || t.Id == current));

    private string TemplateText(int id) =>
        id == None ? "None" : _templates.FirstOrDefault(t => t.Id == id) is { } t ? t.Name + (t.IsActive ? "" : " (inactive)") : $"Template #{id}";

    private void SetTemplate(int id, bool sms)
    {
        if (sms) _input.NextSmsTemplateId = id == None ? null : id;
        else _input.NextEmailTemplateId = id == None ? null : id;
        _serverErrors = [];
    }

    private void OnBehaviourChanged(OutcomeBehaviour behaviour)
    {
        _input.Behaviour = behaviour;
        _serverErrors = [];
    }

    private bool HasError(string property) => _serverErrors.Any(e => e.Property == property);
    private string? ErrorFor(string property) => _serverErrors.FirstOrDefault(e => e.Property == property).Error;

    private void OpenCreate()
    {
        // Shown, not assumed: the reserve field starts at 0 (not reserved) and clearing it is refused as required.
        Open(new OutcomeInput { CallbackReserveMinutes = 0 }, "");
    }

    private void OpenEdit(OutcomeAdminRow row) => Open(OutcomeInput.From(row), row.Name);

    private void Open(OutcomeInput input, string name)
    {
        _input = input;
        _editingName = name;
        _serverError = null;
        _serverErrors = [];
        _editorVisible = true;
    }

    private async Task SaveAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;
        var creating = _input.Id == 0;
        await RunAsync(async () =>
        {
            var result = creating ? await Service.CreateAsync(_me, _input) : await Service.UpdateAsync(_me, _input);
            _editorVisible = !result.Succeeded;
            _serverError = result.Succeeded ? null : result.Message;
            _serverErrors = result.Errors;
            return result;
        });
    }

    private Task MoveAsync(OutcomeAdminRow row, int direction) => RunAsync(() => Service.MoveAsync(_me, row.Id, direction));

    private async Task SetActiveAsync(OutcomeAdminRow row, bool active)
    {
        var uses = row.Uses switch
        {
            0 => "No calls have been recorded with it yet",
            1 => "The 1 call recorded with it keeps it, and reports still count it",
            _ => $"The {row.Uses} calls recorded with it keep it, and reports still count them",
        };
        var confirmed = active
            ? await Dialogs.ShowMessageBoxAsync("Activate outcome?",
                $"Agents will see “{row.Name}” on the calling page again and can record calls with it.", yesText: "Activate", cancelText: "Cancel")
            : await Dialogs.ShowMessageBoxAsync("Deactivate outcome?",
                $"Agents will no longer see “{row.Name}” on the calling page. {uses}. You can activate it again later.",
                yesText: "Deactivate", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(() => Service.SetActiveAsync(_me, row.Id, active));
    }

    /// <summary>One action at a time, with the progress bar, the service's message as a snackbar, and a fresh list after.</summary>
    private async Task RunAsync(Func<Task<CallingAdminResult>> action)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var result = await action();
            Snackbar.Add(result.Message, result.Outcome switch
            {
                CallingAdminOutcome.Done => Severity.Success,
                CallingAdminOutcome.Unchanged => Severity.Info,
                _ => Severity.Warning,
            });
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Outcome admin action failed");
            Snackbar.Add("That did not work just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }
}
