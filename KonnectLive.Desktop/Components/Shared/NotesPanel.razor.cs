using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// A customer's notes, newest first: date and time, author and an excerpt that expands to the whole text on click. The
/// notes written with calls are listed too, marked and read-only: the list is the one definition the process summary counts
/// (<see cref="CustomerNoteService.ListAsync"/>). Anyone who may see the customer adds notes; Edit and Delete show only on
/// the user's own notes, and <see cref="CustomerNoteService"/> refuses them for anyone else whatever this component shows.
/// <para>
/// Live: a note added, edited or deleted by anyone (another agent, another tab) reloads the list, throttled. A reload
/// replaces only the rows: what the user is typing, the note they are editing, which notes are expanded and how many
/// are shown all stay (notes arriving at the top are added to what is shown, so nothing the user was reading drops off).
/// </para>
/// </summary>
public partial class NotesPanel : IDisposable
{
    private const int PageSize = 20;

    [Inject] private CustomerNoteService Notes { get; set; } = default!;
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<NotesPanel> Logger { get; set; } = default!;

    /// <summary>The customer whose notes are shown.</summary>
    [Parameter, EditorRequired] public int CustomerId { get; set; }

    /// <summary>The signed-in user, as loaded from the database (CurrentUser.GetAsync).</summary>
    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;

    /// <summary>The call a new note is written on (calling page), if any.</summary>
    [Parameter] public long? CallAttemptId { get; set; }

    /// <summary>
    /// Raised after the notes changed — here, or by anyone elsewhere (live) — so the page can refresh what shows notes too
    /// (the interaction history, the process summary).
    /// </summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    private List<NoteRow>? _rows;
    private int _total;
    private int _shown = PageSize;
    private int _loadedFor = -1;
    private readonly HashSet<string> _expanded = [];
    private readonly Throttle _liveReload = new(TimeSpan.FromMilliseconds(500), TimeProvider.System);
    private IDisposable? _subscription;
    private string? _newText;
    private long? _editing;
    private string? _editText;
    private bool _adding;
    private bool _busy;

    protected override void OnInitialized() => _subscription = LiveEvents.Subscribe(OnLiveEventAsync);

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == CustomerId) return;
        _shown = PageSize;
        _expanded.Clear();
        _editing = null;
        await ReloadAsync();
    }

    private Task OnLiveEventAsync(LiveEvent e)
    {
        // The event says only whose notes changed; the rows are read again (with this user's rights) from the database.
        if (e.Kind != LiveEventKind.NoteChanged || e.CustomerId != CustomerId) return Task.CompletedTask;
        _liveReload.Run(() => InvokeAsync(async () =>
        {
            if (e.CustomerId != _loadedFor) return; // the panel moved to another customer meanwhile
            await ReloadAsync();
            await OnChanged.InvokeAsync();
        }));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reloads from the database (the page may call it after something it did adds a note). Only the rows change: notes that
    /// arrived at the top are shown in addition (one page more than shown is read, then the count widens by how many
    /// arrived), so the notes already on screen stay put.
    /// </summary>
    public async Task ReloadAsync()
    {
        try
        {
            var sameCustomer = _rows is not null && _loadedFor == CustomerId;
            var before = _total;
            var page = await Notes.ListAsync(Scope, CustomerId, 0, _shown + PageSize);
            if (sameCustomer) _shown += Math.Max(0, page.Total - before);
            _rows = [.. page.Rows.Take(_shown)];
            _total = page.Total;
            _loadedFor = CustomerId;
            if (_editing is { } editing && !_rows.Any(r => r.Kind == NoteKind.Note && r.Id == editing))
            {
                _editing = null; // deleted meanwhile (in the author's other window): nothing left to save
                Snackbar.Add("The note you were editing was deleted in another window.", Severity.Warning);
            }
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
        if (!_expanded.Remove(note.Key)) _expanded.Add(note.Key);
    }

    private void OnTextKey(KeyboardEventArgs e, NoteRow note)
    {
        if (e.Key is "Enter" or " ") Toggle(note);
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _liveReload.Dispose();
    }
}
