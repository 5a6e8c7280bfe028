using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// A customer's notes, newest first: date and time, author and an excerpt that expands to the whole text on click.
/// Anyone who may see the customer adds notes; Edit and Delete show only on the user's own notes, and
/// <see cref="CustomerNoteService"/> refuses them for anyone else whatever this component shows.
/// </summary>
public partial class NotesPanel
{
    private const int PageSize = 20;

    [Inject] private CustomerNoteService Notes { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<NotesPanel> Logger { get; set; } = default!;

    /// <summary>The customer whose notes are shown.</summary>
    [Parameter, EditorRequired] public int CustomerId { get; set; }

    /// <summary>The signed-in user, as loaded from the database (CurrentUser.GetAsync).</summary>
    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;

    /// <summary>The call a new note is written on (calling page), if any.</summary>
    [Parameter] public long? CallAttemptId { get; set; }

    /// <summary>Raised after a note was added, edited or deleted, so the page can refresh what shows notes too (the interaction history).</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    private List<NoteRow>? _rows;
    private int _total;
    private int _shown = PageSize;
    private int _loadedFor = -1;
    private readonly HashSet<long> _expanded = [];
    private string? _newText;
    private long? _editing;
    private string? _editText;
    private bool _adding;
    private bool _busy;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == CustomerId) return;
        _shown = PageSize;
        _expanded.Clear();
        _editing = null;
        await ReloadAsync();
    }

    /// <summary>Reloads from the database (the page may call it after something it did adds a note).</summary>
    public async Task ReloadAsync()
    {
        try
        {
            var page = await Notes.ListAsync(Scope, CustomerId, 0, _shown);
            _rows = [.. page.Rows];
            _total = page.Total;
            _loadedFor = CustomerId;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading notes for customer {CustomerId} failed", CustomerId);
            Snackbar.Add("Could not load the notes just now.", Severity.Error);
            _rows ??= [];
        }
        StateHasChanged();
    }

    private async Task ShowMoreAsync()
    {
        _shown += PageSize;
        await ReloadAsync();
    }

    private async Task AddAsync()
    {
        if (string.IsNullOrWhiteSpace(_newText)) return;
        _adding = true;
        var changed = false;
        try
        {
            var result = await Notes.AddAsync(Scope, CustomerId, _newText, CallAttemptId);
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
            if (result.Succeeded)
            {
                _newText = null;
                changed = true;
            }
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Adding a note to customer {CustomerId} failed", CustomerId);
            Snackbar.Add("Could not add the note just now. Please try again.", Severity.Error);
        }
        finally
        {
            _adding = false;
        }
        await ReloadAsync();
        if (changed) await OnChanged.InvokeAsync();
    }

    private void StartEdit(NoteRow note)
    {
        _editing = note.Id;
        _editText = note.Text;
    }

    private async Task SaveEditAsync(NoteRow note)
    {
        await RunAsync(async () =>
        {
            var result = await Notes.EditAsync(Scope, note.Id, _editText ?? "");
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
            if (result.Succeeded) _editing = null;
            return result.Succeeded;
        }, "Could not save the note just now. Please try again.");
    }

    private async Task DeleteAsync(NoteRow note)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete this note?",
            $"\"{note.Excerpt}\" will be removed from the customer's notes. The deletion is recorded in the audit log.",
            yesText: "Delete", cancelText: "Keep it");
        if (confirmed != true) return;
        await RunAsync(async () =>
        {
            var result = await Notes.DeleteAsync(Scope, note.Id);
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
            return result.Succeeded;
        }, "Could not delete the note just now. Please try again.");
    }

    private async Task RunAsync(Func<Task<bool>> action, string failure)
    {
        _busy = true;
        var changed = false;
        try
        {
            changed = await action();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "A note change for customer {CustomerId} failed", CustomerId);
            Snackbar.Add(failure, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await ReloadAsync();
        if (changed) await OnChanged.InvokeAsync();
    }

    private void Toggle(NoteRow note)
    {
        if (note.Excerpt == note.Text) return;
        if (!_expanded.Remove(note.Id)) _expanded.Add(note.Id);
    }

    private void OnTextKey(KeyboardEventArgs e, NoteRow note)
    {
        if (e.Key is "Enter" or " ") Toggle(note);
    }
}
