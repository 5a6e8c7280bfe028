using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Severity = MudBlazor.Severity;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>
/// Configuration → Decline Reasons: the agents' proposals to approve (perhaps renamed) or merge, then the reasons agents pick
/// when a customer declines, their order and whether agents see them.
/// </summary>
public partial class DeclineReasons
{
    private static readonly DialogOptions DialogOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };

    [Inject] private DeclineReasonService Service { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<DeclineReasons> Logger { get; set; } = default!;

    private List<DeclineReasonRow>? _reasons;
    private List<DeclineReasonRow> _proposals = [];
    private UserScope? _me;
    private bool _busy;

    private MudForm? _form;
    private bool _editorVisible;
    private int? _editingId;
    private string _editingName = "";
    private string _name = "";
    private string? _serverError;
    private bool _approving;

    private bool _mergeVisible;
    private DeclineReasonRow? _merging;
    private int? _mergeInto;

    private string EditorTitle => _editingId is null ? "New decline reason" : _approving ? $"Rename and approve {_editingName}" : $"Rename {_editingName}";

    /// <summary>What a proposal can be merged into: the active approved reasons.</summary>
    private List<DeclineReasonRow> MergeTargets => _reasons?.Where(r => r.IsActive).ToList() ?? [];

    private string MergeText => _merging is null ? "" :
        $"{(_merging.Uses == 0 ? "No declined call gave it yet" : $"The {Wording.Plural(_merging.Uses, "declined call")} that gave it will give the reason you choose, and the declined report counts them there")}. " +
        $"{_merging.CreatedBy ?? "The agent"} will be offered that reason instead. This cannot be undone.";

    protected override async Task OnInitializedAsync()
    {
        _me = await CurrentUser.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            var all = await Service.ListAllAsync(_me);
            _proposals = [.. all.Where(r => r.IsProposal)];
            _reasons = [.. all.Where(r => !r.IsProposal)];
        }
        catch (UnauthorizedAccessException)
        {
            _reasons = [];
            Snackbar.Add(DeclineReasonService.AdminOnly, Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading decline reasons failed");
            _reasons = [];
            Snackbar.Add("The decline reasons could not be loaded just now. Please reload the page.", Severity.Error);
        }
    }

    private int Position(DeclineReasonRow row) => _reasons!.IndexOf(row) + 1;

    // The same limits the service enforces, shown as the admin types; uniqueness is the service's answer.
    private string? NameError(string? name)
    {
        _serverError = null;
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0) return "Enter the reason's name.";
        return trimmed.Length > DeclineReasonService.MaxNameLength ? $"A decline reason can be at most {DeclineReasonService.MaxNameLength} characters." : null;
    }

    private void OpenCreate() => Open(null, "");

    private void OpenRename(DeclineReasonRow row) => Open(row.Id, row.Name);

    private void OpenApproveRenamed(DeclineReasonRow row) => Open(row.Id, row.Name, approving: true);

    private void Open(int? id, string name, bool approving = false)
    {
        _approving = approving;
        _editingId = id;
        _editingName = name;
        _name = name;
        _serverError = null;
        _editorVisible = true;
    }

    private async Task SaveAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;
        await RunAsync(async () =>
        {
            var result = _editingId is not { } id ? await Service.CreateAsync(_me, _name)
                : _approving ? await Service.ApproveAsync(_me, id, _name)
                : await Service.RenameAsync(_me, id, _name);
            _editorVisible = !result.Succeeded;
            _serverError = result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Error).DefaultIfEmpty(result.Message));
            return result;
        });
    }

    private Task ApproveAsync(DeclineReasonRow row) => RunAsync(() => Service.ApproveAsync(_me, row.Id));

    private void OpenMerge(DeclineReasonRow row)
    {
        _merging = row;
        _mergeInto = null;
        _mergeVisible = true;
    }

    private async Task MergeAsync()
    {
        if (_merging is not { } proposal || _mergeInto is not { } into) return;
        await RunAsync(async () =>
        {
            var result = await Service.MergeAsync(_me, proposal.Id, into);
            _mergeVisible = !result.Succeeded;
            return result;
        });
    }

    private Task MoveAsync(DeclineReasonRow row, int direction) => RunAsync(() => Service.MoveAsync(_me, row.Id, direction));

    private async Task SetActiveAsync(DeclineReasonRow row, bool active)
    {
        var confirmed = active
            ? await Dialogs.ShowMessageBoxAsync("Activate decline reason?", $"Agents will be able to pick “{row.Name}” again.", yesText: "Activate", cancelText: "Cancel")
            : await Dialogs.ShowMessageBoxAsync("Deactivate decline reason?",
                $"Agents will no longer be able to pick “{row.Name}”. Calls that gave it keep it, and the declined report still counts them. " +
                "You can activate it again later.", yesText: "Deactivate", cancelText: "Cancel");
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
            Logger.LogError(ex, "Decline reason admin action failed");
            Snackbar.Add("That did not work just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }
}
