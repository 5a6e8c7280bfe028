using ValidationException = FluentValidation.ValidationException;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Desktop.Identity;
using KonnectLive.Desktop.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Csi;

/// <summary>
/// The calling page holds the customer's lock for as long as it is open: it takes (or confirms) the lease on
/// arrival, renews it while the browser is connected, and gives it back on Confirm, Re-List or leaving.
/// </summary>
public partial class CallingPage
{
    private enum Mode { Outcome, Unsubscribe }

    /// <summary>How many customers Previous / Next tries when the one it found is taken before it can be opened.</summary>
    private const int MoveTries = 5;

    [Parameter] public int RecordId { get; set; }

    /// <summary>The chase list's dealership filter (head office), kept on Previous / Next and on the way back to the list.</summary>
    [SupplyParameterFromQuery(Name = "dealership")] public int? Dealership { get; set; }

    [Inject] private CallLockService Locks { get; set; } = default!;
    [Inject] private CallingService Calling { get; set; } = default!;
    [Inject] private ChaseListQuery ChaseList { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private CircuitConnection Circuit { get; set; } = default!;
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private IOptions<LockOptions> LockOptions { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<CallingPage> Logger { get; set; } = default!;

    private UserScope? _user;
    private CallingView? _view;
    private string? _error;
    private bool _loading = true;
    private bool _busy;
    private bool _holding;
    private ChaseDirection? _moving;
    private Mode _mode = Mode.Outcome;
    private string? _dialledNumber;
    private DateTime _openedAt;
    private DateTime? _dialledAt;
    private ITimer? _renewTimer;
    private ITimer? _clockTimer;
    private IDisposable? _subscription;
    private MessagesPanel? _messages;

    private string CallTimer
    {
        get
        {
            var elapsed = Time.GetUtcNow().UtcDateTime - (_dialledAt ?? _openedAt);
            return elapsed < TimeSpan.Zero ? "00:00" : elapsed.ToString(elapsed.TotalHours >= 1 ? @"h\:mm\:ss" : @"mm\:ss");
        }
    }

    private int? _openedRecordId;

    private string ChaseListUri => Dealership is { } d ? $"csi/chase-list?dealership={d}" : "csi/chase-list";

    private string CallUri(int recordId) => Dealership is { } d ? $"csi/call/{recordId}?dealership={d}" : $"csi/call/{recordId}";

    protected override async Task OnParametersSetAsync()
    {
        if (_openedRecordId == RecordId) return;
        // The same page instance can be reused for another customer (csi/call/A → csi/call/B): give A back first.
        await ReleaseCurrentAsync();
        _openedRecordId = RecordId;
        _error = null;
        _view = null;
        _mode = Mode.Outcome;
        _dialledNumber = null;
        _dialledAt = null;
        _loading = true;
        try
        {
            _user = await CurrentUser.GetAsync();
            if (_user is null || !_user.CanCall)
            {
                _error = "Your account is not enabled for CSI Voice, so you cannot call customers.";
                return;
            }
            _view = await Calling.GetViewAsync(_user, RecordId);
            if (_view is null)
            {
                _error = "That customer does not exist or is not in your dealership.";
                return;
            }
            var result = await Locks.AcquireAsync(_user, RecordId);
            if (!result.Succeeded)
            {
                _error = result.Message;
                _view = null;
                return;
            }
            _holding = true;
            _openedAt = Time.GetUtcNow().UtcDateTime;
            StartLease();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Opening the calling page for record {RecordId} failed", RecordId);
            _error = "This customer could not be opened just now. Please go back to the chase list and try again.";
        }
        finally
        {
            _loading = false;
        }
    }

    private void StartLease()
    {
        var every = TimeSpan.FromSeconds(LockOptions.Value.RenewEverySeconds);
        _renewTimer = Time.CreateTimer(_ => _ = InvokeAsync(RenewAsync), null, every, every);
        _clockTimer = Time.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _subscription = LiveEvents.Subscribe(OnLiveEventAsync);
    }

    private async Task RenewAsync()
    {
        // A disconnected browser renews nothing: its lease runs out after the grace period and is swept.
        if (!_holding || _user is null || !Circuit.IsConnected) return;
        try
        {
            if (await Locks.RenewAsync(_user, RecordId)) return;
            // Never take it back silently: a supervisor may have released it on purpose, or another agent may
            // be about to open it. The agent reopens the customer from the list if they still need to call.
            var now = await Calling.GetViewAsync(_user, RecordId);
            await LoseLockAsync(now is not null && now.Status != SurveyStatus.Awaiting
                ? $"{_view?.CustomerName} is no longer awaiting a call ({now.Status})."
                : $"Your lock on {_view?.CustomerName} ended (released or lapsed). Open the customer again from the list if you still need to call them.");
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Renewing the lease on record {RecordId} failed; will retry", RecordId);
        }
    }

    private Task OnLiveEventAsync(LiveEvent e)
    {
        if (e.RecordId != RecordId || !_holding) return Task.CompletedTask;
        return e.Kind switch
        {
            LiveEventKind.LockReleased when e.AgentId == _user?.UserId && e.Reason is not null =>
                InvokeAsync(() => LoseLockAsync($"Your lock on {_view?.CustomerName} was released ({e.Reason}).")),
            LiveEventKind.RecordRemoved =>
                InvokeAsync(() => LoseLockAsync($"{_view?.CustomerName} is no longer awaiting a call ({e.Reason ?? "closed"}).")),
            _ => Task.CompletedTask,
        };
    }

    private Task LoseLockAsync(string message)
    {
        if (!_holding) return Task.CompletedTask;
        _holding = false;
        StopTimers();
        Snackbar.Add(message, Severity.Warning, o => o.RequireInteraction = true);
        Navigation.NavigateTo(ChaseListUri);
        return Task.CompletedTask;
    }

    private async Task OnMessageSentAsync(long messageId)
    {
        if (_messages is not null) await _messages.ReloadAsync();
    }

    private void OnDialled(PhoneView phone)
    {
        _dialledNumber = phone.Number;
        _dialledAt ??= Time.GetUtcNow().UtcDateTime;
    }

    private async Task ConfirmAsync(OutcomeChoice choice)
    {
        if (_user is null || _busy) return;
        _busy = true;
        try
        {
            var result = await Calling.RecordAttemptAsync(_user, new RecordAttemptCommand(RecordId, choice.OutcomeId, choice.NumberDialled,
                _dialledAt ?? _openedAt, choice.Note, choice.CallbackAt, choice.DeclineReasonId, choice.ReserveCallback));
            _holding = false;
            StopTimers();
            Snackbar.Add($"{_view?.CustomerName}: {result.Message}", Severity.Success);
            Navigation.NavigateTo(ChaseListUri);
        }
        catch (ValidationException ex)
        {
            Snackbar.Add(string.Join(" ", ex.Errors.Select(e => e.ErrorMessage)), Severity.Error);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await RefreshOutcomesAsync(); // e.g. an admin retired the outcome meanwhile: Go Back must not offer it again
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Recording the outcome for record {RecordId} failed", RecordId);
            Snackbar.Add("The outcome could not be saved. Nothing was recorded; please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RefreshOutcomesAsync()
    {
        try
        {
            if (_user is not null && await Calling.GetViewAsync(_user, RecordId) is { } fresh) _view = fresh;
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Re-reading record {RecordId} after a refused outcome failed", RecordId);
        }
    }

    private async Task ReListAsync()
    {
        if (_user is null || _busy) return;
        _busy = true;
        try
        {
            await Locks.ReleaseAsync(_user, RecordId);
            _holding = false;
            StopTimers();
            var offList = _view?.Summary is { } summary && (summary.ChaseEndedAt is not null || summary.CallbackDueAt > Time.GetUtcNow().UtcDateTime);
            Snackbar.Add(offList
                ? $"{_view?.CustomerName} released. Nothing was recorded; they stay off the chase list."
                : $"{_view?.CustomerName} re-listed. Nothing was recorded.", Severity.Info);
            Navigation.NavigateTo(ChaseListUri);
        }
        catch (Exception ex)
        {
            // Still holding: the lease keeps renewing, and leaving the page tries the release again.
            Logger.LogError(ex, "Re-listing record {RecordId} failed", RecordId);
            Snackbar.Add("The customer could not be re-listed just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task UnsubscribeAsync(UnsubscribeRequest request)
    {
        if (_user is null || _busy) return;
        _busy = true;
        try
        {
            var changes = await Calling.UnsubscribeAsync(_user, RecordId, request);
            _view = await Calling.GetViewAsync(_user, RecordId) ?? _view;
            _mode = Mode.Outcome;
            if (_messages is not null) await _messages.ReloadAsync(); // skipped reasons may change
            Snackbar.Add(changes == 1 ? "1 unsubscribe saved." : $"{changes} unsubscribes saved.", Severity.Success);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Saving unsubscribes for record {RecordId} failed", RecordId);
            Snackbar.Add("The unsubscribes could not be saved. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>
    /// First / Previous / Next: gives this customer back (nothing recorded) and opens the neighbouring free customer in chase-list
    /// order. An agent holds one lock at a time, so the neighbour is locked after the release; if another agent takes it
    /// first, the one beyond it is tried. With nobody to move to, the agent keeps (takes back) the current customer.
    /// </summary>
    private async Task MoveAsync(ChaseDirection direction)
    {
        if (_user is null || _busy || !_holding) return;
        _busy = true;
        _moving = direction;
        var current = RecordId;
        var none = direction switch
        {
            ChaseDirection.Next => "No more free customers after this one.",
            ChaseDirection.Previous => "No free customers before this one.",
            _ => "No other customer is free on the chase list.",
        };
        var released = false;
        try
        {
            var candidate = await ChaseList.FindNeighbourAsync(_user, current, direction, Dealership);
            if (candidate is null)
            {
                Snackbar.Add(none, Severity.Info);
                return;
            }
            if (candidate == current)
            {
                Snackbar.Add($"{_view?.CustomerName} is already the first free customer on the chase list.", Severity.Info);
                return;
            }
            StopTimers();
            _holding = false;
            released = true;
            await Locks.ReleaseAsync(_user, current);
            // After a lost race the search goes on forwards from the lost one (First continues as Next).
            var onwards = direction == ChaseDirection.Previous ? ChaseDirection.Previous : ChaseDirection.Next;
            for (var tries = 0; candidate is { } id && tries < MoveTries; tries++)
            {
                if (id == current) break; // only this customer is left: keep it (below)
                if ((await Locks.AcquireAsync(_user, id)).Succeeded)
                {
                    Navigation.NavigateTo(CallUri(id)); // the page re-opens on arrival and finds the lock already ours
                    return;
                }
                candidate = await ChaseList.FindNeighbourAsync(_user, id, onwards, Dealership);
            }
            await TakeBackAsync(current, candidate is null || candidate == current ? none
                : "The neighbouring customers were all taken by other agents just now. Please try again.");
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Moving {Direction} from record {RecordId} failed", direction, current);
            if (released) await TakeBackAsync(current, "Could not open another customer just now.");
            else Snackbar.Add("Could not open another customer just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
            _moving = null;
        }
    }

    /// <summary>After a Previous / Next that found nobody to open: keep the customer the agent had, if nobody took it meanwhile.</summary>
    private async Task TakeBackAsync(int recordId, string message)
    {
        try
        {
            if (_user is not null && (await Locks.AcquireAsync(_user, recordId)).Succeeded)
            {
                _holding = true;
                StartLease();
                Snackbar.Add(message, Severity.Info);
                return;
            }
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Taking back record {RecordId} after a failed move failed", recordId);
        }
        Snackbar.Add($"{message} {_view?.CustomerName} could not be kept open, so you are back on the chase list.", Severity.Warning,
            o => o.RequireInteraction = true);
        Navigation.NavigateTo(ChaseListUri);
    }

    /// <summary>Re-reads the customer (e.g. after a note was added) so the process summary is current.</summary>
    private async Task ReloadViewAsync()
    {
        if (_user is null) return;
        try
        {
            _view = await Calling.GetViewAsync(_user, RecordId) ?? _view;
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Reloading the calling view for record {RecordId} failed", RecordId);
        }
    }

    private void StopTimers()
    {
        _renewTimer?.Dispose();
        _renewTimer = null;
        _clockTimer?.Dispose();
        _clockTimer = null;
        _subscription?.Dispose();
        _subscription = null;
    }

    /// <summary>Leaving the page any other way (another menu, a closed tab whose circuit ends) gives the customer back.</summary>
    public ValueTask DisposeAsync() => new(ReleaseCurrentAsync());

    private async Task ReleaseCurrentAsync()
    {
        StopTimers();
        if (!_holding || _user is null || _openedRecordId is not { } held) return;
        _holding = false;
        try
        {
            await Locks.ReleaseAsync(_user, held);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Releasing record {RecordId} on leaving failed; the lease will expire", held);
        }
    }
}
