using System.Globalization;
using KonnectLive.Core.Common;
using KonnectLive.Core.Requests;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Raise requests on the current interaction and fill in their fields (calling page and customer page). A raised request is a
/// draft on the server at once, and what is typed is kept there as it is typed (debounced), so recording the outcome
/// first, a reload or a lost connection loses nothing; Save request checks the values and the required fields. The
/// server re-checks the dealership, the author and, on the calling page, the lock on every write.
/// </summary>
public partial class RequestsPanel : IAsyncDisposable
{
    private static readonly TimeSpan AutosaveDelay = TimeSpan.FromMilliseconds(600);

    [Inject] private CustomerRequestService Requests { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<RequestsPanel> Logger { get; set; } = default!;

    [Parameter, EditorRequired] public int CustomerId { get; set; }
    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;
    /// <summary>On the calling page: the record held and the page's lock token (writes need the lock).</summary>
    [Parameter] public int? RecordId { get; set; }
    [Parameter] public string? PageToken { get; set; }
    /// <summary>Raised after a request was saved or discarded (the page may refresh its history).</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    private RequestPanelView? _view;
    private readonly Dictionary<long, Dictionary<int, string?>> _edits = [];
    private readonly Dictionary<long, Dictionary<int, string>> _errors = [];
    private readonly HashSet<long> _dirty = [];
    private readonly HashSet<long> _autosaving = [];
    private readonly SemaphoreSlim _writes = new(1, 1);
    private Debouncer? _autosave;
    private int? _newTypeId;
    private string? _loadError;
    private bool _busy;
    private int _loadedFor;

    private RequestContext Context => new(CustomerId, RecordId, PageToken);
    private RequestTypeOption? SelectedType => _view?.Types.FirstOrDefault(t => t.Id == _newTypeId);

    protected override async Task OnParametersSetAsync()
    {
        if (_view is not null && _loadedFor == CustomerId) return;
        _loadedFor = CustomerId;
        await LoadAsync();
    }

    /// <summary>Re-reads the panel (after the lock changed hands, say). Unsaved typing is kept first.</summary>
    public async Task ReloadAsync()
    {
        await FlushAsync();
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        try
        {
            _loadError = null;
            _view = await Requests.GetPanelAsync(Scope, Context);
            if (_view is null) { _loadError = "This customer's requests are not available."; return; }
            _edits.Clear();
            foreach (var r in _view.Requests) _edits[r.Id] = r.Values.ToDictionary(v => v.FieldId, v => v.Value);
            if (_newTypeId is { } t && _view.Types.All(x => x.Id != t)) _newTypeId = null;
            _newTypeId ??= _view.Types.Count == 1 ? _view.Types[0].Id : null;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the requests of customer {CustomerId} failed", CustomerId);
            _loadError = "The requests could not be loaded just now.";
        }
    }

    private async Task RaiseAsync()
    {
        if (_newTypeId is not { } typeId || _busy) return;
        _busy = true;
        try
        {
            var result = await WriteAsync(() => Requests.SubmitAsync(Scope, Context, new RequestSubmission(null, typeId, new Dictionary<int, string?>(), Save: false)));
            if (result is null) return;
            if (!result.Succeeded) { Snackbar.Add(result.Message, Severity.Error); return; }
            await LoadAsync();
            Snackbar.Add($"{result.Request!.TypeName} request raised: fill in its fields and save it.", Severity.Info);
        }
        finally
        {
            _busy = false;
        }
    }

    private void OnValueChanged(RequestView request, int fieldId, string? value)
    {
        _edits[request.Id][fieldId] = value;
        _errors.GetValueOrDefault(request.Id)?.Remove(fieldId);
        if (!request.IsDraft) return; // a saved request changes only when it is saved again
        _dirty.Add(request.Id);
        (_autosave ??= new Debouncer(AutosaveDelay)).Run(() => InvokeAsync(FlushAsync));
    }

    /// <summary>Keeps every draft typed into since the last write, now. The calling page calls it before recording the outcome.</summary>
    public async Task FlushAsync()
    {
        if (_view is null || _dirty.Count == 0) return;
        foreach (var id in _dirty.ToList())
        {
            var request = _view.Requests.FirstOrDefault(r => r.Id == id);
            _dirty.Remove(id);
            if (request is null) continue;
            _autosaving.Add(id);
            var result = await WriteAsync(() => Requests.SubmitAsync(Scope, Context, new RequestSubmission(id, request.TypeId, _edits[id], Save: false), CultureInfo.CurrentCulture));
            _autosaving.Remove(id);
            if (result is { Succeeded: false }) Snackbar.Add(result.Message, Severity.Warning);
        }
        StateHasChanged();
    }

    private async Task SaveAsync(RequestView request)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            _dirty.Remove(request.Id);
            var result = await WriteAsync(() => Requests.SubmitAsync(Scope, Context, new RequestSubmission(request.Id, request.TypeId, _edits[request.Id], Save: true), CultureInfo.CurrentCulture));
            if (result is null) return;
            if (result.Succeeded)
            {
                _errors.Remove(request.Id);
                Snackbar.Add(result.Message, Severity.Success);
                await LoadAsync();
                await OnChanged.InvokeAsync();
            }
            else
            {
                _errors[request.Id] = result.Errors.ToDictionary(e => e.Key, e => e.Value);
                Snackbar.Add(result.Message, Severity.Error);
                if (result.Outcome is CommandOutcome.Forbidden or CommandOutcome.NotFound) await LoadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DiscardAsync(RequestView request)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            _dirty.Remove(request.Id);
            var result = await WriteAsync(() => Requests.DiscardDraftAsync(Scope, Context, request.Id));
            if (result is null) return;
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
            await LoadAsync();
            if (result.Succeeded) await OnChanged.InvokeAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>One write at a time (an autosave and a save never cross); an unexpected failure is a message, never a broken circuit.</summary>
    private async Task<RequestResult?> WriteAsync(Func<Task<RequestResult>> write)
    {
        await _writes.WaitAsync();
        try
        {
            return await write();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Writing a request of customer {CustomerId} failed", CustomerId);
            Snackbar.Add("The request could not be kept just now. Please try again.", Severity.Error);
            return null;
        }
        finally
        {
            _writes.Release();
        }
    }

    private static string AttachedTo(RequestView r) =>
        r.CallAttemptId is not null ? "on the recorded call"
        : r.CallLegId is not null ? "on the current phone call · joins the outcome when it is recorded"
        : "joins the outcome you record next";

    public async ValueTask DisposeAsync()
    {
        _autosave?.Dispose();
        try { await FlushAsync(); } catch (Exception ex) { Logger.LogDebug(ex, "Keeping drafts on leaving failed"); }
        _writes.Dispose();
    }
}
