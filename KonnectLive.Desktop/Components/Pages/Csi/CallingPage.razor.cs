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
using Microsoft.JSInterop;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Csi;

/// <summary>
/// The calling page holds the customer's lease for as long as it is open, under its own page token: it adopts the lease
/// the chase list's Open (or its own First / Previous / Next) took, or takes it on arrival, renews it while the browser is
/// connected, and gives it back on Confirm, Re-List or leaving. Losing the lease never navigates away: the page says
/// what happened and the agent can still record the call that took place.
/// </summary>
public partial class CallingPage
{
    private enum Mode { Outcome, Unsubscribe }

    /// <summary>What the page shows about the lease.</summary>
    private enum LockState
    {
        /// <summary>This page holds the lease and renews it.</summary>
        Holding,
        /// <summary>Arrived while the agent holds the customer in another tab; Continue here moves it.</summary>
        Elsewhere,
        /// <summary>Held here until the agent pressed Continue here in another tab.</summary>
        Moved,
        /// <summary>Released by a supervisor, closed by FOCUS, lapsed or taken: the call can still be recorded.</summary>
        Lost,
    }

    [Parameter] public int RecordId { get; set; }

    /// <summary>The chase list's dealership filter (head office), kept on Previous / Next and on the way back to the list.</summary>
    [SupplyParameterFromQuery(Name = "dealership")] public int? Dealership { get; set; }

    [Inject] private CallLockService Locks { get; set; } = default!;
    [Inject] private CallingService Calling { get; set; } = default!;
    [Inject] private ChaseNavigator Navigator { get; set; } = default!;
    [Inject] private CallHandOff HandOff { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private CircuitConnection Circuit { get; set; } = default!;
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private IOptions<LockOptions> LockOptions { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<CallingPage> Logger { get; set; } = default!;
    [Inject] private AttemptUndoService Undo { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    /// <summary>The keys the page listens for (see <see cref="OnKey"/> and the legend, <see cref="KeysLegendDialog"/>).</summary>
    private static readonly string[] Keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Enter", "Escape", "n", "p", "r", "?"];

    private OutcomePanel? _outcomePanel;
    private InteractionHistory? _history;
    private RequestsPanel? _requests;
    private DotNetObjectReference<CallingPage>? _keysRef;
    private IJSObjectReference? _keysModule;
    private IJSObjectReference? _keysListener;
    private bool _legendOpen;
    private int _undoMinutes;

    /// <summary>This page's lease token (or the one handed over with the lease it adopted). Never leaves the server.</summary>
    private string _token = CallLockService.NewPageToken();
    private UserScope? _user;
    private CallingView? _view;
    private string? _error;
    private bool _loading = true;
    private bool _busy;
    /// <summary>Whether this page holds a lease it must renew and give back; <see cref="_lockState"/> is what it shows.</summary>
    private bool _holding;
    private LockState _lockState = LockState.Holding;
    private string? _lockMessage;
    private ChaseDirection? _moving;
    private Mode _mode = Mode.Outcome;
    private string? _dialledNumber;
    private DateTime _openedAt;
    private DateTime? _dialledAt;
    private ITimer? _renewTimer;
    private IDisposable? _subscription;
    private MessagesPanel? _messages;

    /// <summary>Recording is for the page holding the customer, or one that lost it; never for a tab the call moved away from.</summary>
    private bool MayRecord => _lockState is LockState.Holding or LockState.Lost;

    private int? _openedRecordId;

    private string LockHeadline => _lockState switch
    {
        LockState.Lost => "Not locked.",
        LockState.Moved => "Continued in another tab.",
        _ => "Open in another tab.",
    };

    private string LockAdvice => _lockState switch
    {
        LockState.Lost => "You can still record the call that took place: choose its outcome and press Confirm; your note is kept. " +
                          "Re-List and First / Previous / Next need the lock, so they are not offered.",
        LockState.Moved => "This tab no longer holds the customer. Press Continue here to bring the call back to this tab.",
        _ => "Only one tab can hold a customer. Press Continue here to move the call to this tab; the other tab will stop holding it.",
    };

    private string ChaseListUri => Dealership is { } d ? $"csi/chase-list?dealership={d}" : "csi/chase-list";

    private string CallUri(int recordId) => Dealership is { } d ? $"csi/call/{recordId}?dealership={d}" : $"csi/call/{recordId}";


    protected override async Task OnInitializedAsync()
    {
        // For the page's whole life: every state (holding, lost, in another tab) listens for what happens to its record.
        _subscription = LiveEvents.Subscribe(OnLiveEvent);
        try
        {
            _undoMinutes = await Undo.WindowMinutesAsync();
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Reading the undo window failed; Undo is not offered in the snackbar");
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            _keysRef = DotNetObjectReference.Create(this);
            _keysModule = await JS.InvokeAsync<IJSObjectReference>("import", "./js/keys.js");
            _keysListener = await _keysModule.InvokeAsync<IJSObjectReference>("listen", _keysRef, Keys);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            Logger.LogDebug(ex, "The calling page's keys could not be attached; the buttons still work");
        }
    }

    /// <summary>A key pressed on the page (keys.js already skipped it while typing in a field or with a dialog open).</summary>
    [JSInvokable]
    public Task OnKey(string key) => InvokeAsync(async () =>
    {
        if (_view is null || _legendOpen) return;
        switch (key)
        {
            case [var digit] when char.IsAsciiDigit(digit) && digit != '0':
                if (_mode == Mode.Outcome && _outcomePanel is not null) _outcomePanel.SelectNumber(digit - '0');
                break;
            case "Enter":
                if (_mode == Mode.Outcome && _outcomePanel is not null) await _outcomePanel.ConfirmFromKeyAsync();
                break;
            case "Escape":
                // A chosen, unconfirmed outcome is a step, not the page: Esc steps back from it first, so an agent's
                // half-recorded call is never thrown away by one key.
                if (_mode == Mode.Outcome && _outcomePanel is not null && _outcomePanel.GoBackFromKey()) break;
                // The unsubscribe panel likewise: Esc is its Cancel (nothing saved), and the agent stays on the customer.
                if (_mode == Mode.Unsubscribe)
                {
                    _mode = Mode.Outcome;
                    break;
                }
                if (!_busy) Navigation.NavigateTo(ChaseListUri); // leaving gives the customer back (DisposeAsync)
                return;
            case "n":
                await MoveAsync(ChaseDirection.Next);
                break;
            case "p":
                await MoveAsync(ChaseDirection.Previous);
                break;
            case "r":
                await ReListAsync();
                break;
            case "?":
                await ShowKeysAsync();
                return;
        }
        StateHasChanged();
    });

    private async Task ShowKeysAsync()
    {
        if (_legendOpen) return;
        _legendOpen = true;
        try
        {
            var dialog = await Dialogs.ShowAsync<KeysLegendDialog>("Keys", new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true });
            await dialog.Result;
        }
        finally
        {
            _legendOpen = false;
        }
    }

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
        _lockState = LockState.Holding;
        _lockMessage = null;
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
            // A lease handed over by this circuit's Open or Next is adopted, not taken again; the renewal confirms it is
            // still ours (an Open left unused for a lease's length may have lapsed).
            if (HandOff.Take(RecordId) is { } handed && await Locks.RenewAsync(_user, RecordId, handed))
            {
                _token = handed;
            }
            else
            {
                var result = await Locks.AcquireAsync(_user, RecordId, _token);
                if (result.Outcome == LockOutcome.HeldByYouElsewhere)
                {
                    ShowElsewhere(LockState.Elsewhere, result.Message);
                    _openedAt = Time.GetUtcNow().UtcDateTime;
                    return;
                }
                if (!result.Succeeded)
                {
                    _error = result.Message;
                    _view = null;
                    return;
                }
            }
            _openedAt = Time.GetUtcNow().UtcDateTime;
            Hold();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Opening the calling page for record {RecordId} failed", RecordId);
            _error = "This customer could not be opened just now. Please go back to the chase list and try again.";
            _view = null;
        }
        finally
        {
            _loading = false;
        }
    }

    private void Hold()
    {
        _holding = true;
        _lockState = LockState.Holding;
        _lockMessage = null;
        StopRenewing();
        var every = TimeSpan.FromSeconds(LockOptions.Value.RenewEverySeconds);
        _renewTimer = Time.CreateTimer(_ => _ = InvokeAsync(RenewAsync), null, every, every);
    }

    private void StopRenewing()
    {
        _renewTimer?.Dispose();
        _renewTimer = null;
    }

    private async Task RenewAsync()
    {
        // A disconnected browser renews nothing: its lease runs out after the grace period and is swept.
        if (!_holding || _user is null || !Circuit.IsConnected) return;
        try
        {
            if (await Locks.RenewAsync(_user, RecordId, _token)) return;
            // Never take it back silently: a supervisor may have released it on purpose, or another agent may be about
            // to open it. The page finds out why, says so and stays, so the call can still be recorded.
            await CheckLeaseAsync(null);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Renewing the lease on record {RecordId} failed; will retry", RecordId);
        }
    }

    /// <summary>
    /// Events about this record may mean the lease is gone (force release, FOCUS closing it, the sweeper, Continue here in
    /// another tab). The event carries no token, so the page asks the database who holds it now. Fire and forget:
    /// the publisher never waits for this page.
    /// </summary>
    private Task OnLiveEvent(LiveEvent e)
    {
        if (!e.Concerns(RecordId)) return Task.CompletedTask;
        if (!_holding)
        {
            _ = InvokeAsync(() => ExplainRelease(e));
            return Task.CompletedTask;
        }
        if (e.Kind is LiveEventKind.LockReleased or LiveEventKind.LockTaken or LiveEventKind.LockMoved || e.Removes(RecordId))
            _ = InvokeAsync(() => CheckLeaseAsync(e));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The lease was found gone a moment before the release's own event was read — by the renewal, or by a check that an
    /// earlier event started while this one waited behind it. The event still says who released it and why, which the agent
    /// should read rather than "released or lapsed".
    /// </summary>
    private void ExplainRelease(LiveEvent? heard)
    {
        if (_lockState == LockState.Lost && _view is { } view && _user is { } me
            && heard is { Kind: LiveEventKind.LockReleased, Reason: { } reason } && heard.AgentId == me.UserId)
        {
            _lockMessage = $"Your lock on {view.CustomerName} was released ({reason}).";
            StateHasChanged();
        }
    }

    private async Task CheckLeaseAsync(LiveEvent? heard)
    {
        if (!_holding)
        {
            ExplainRelease(heard);
            return;
        }
        if (_user is null || _view is null) return;
        var name = _view.CustomerName;
        LeaseCheck? check;
        try
        {
            check = await Locks.CheckAsync(_user, RecordId, _token);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Checking the lease on record {RecordId} failed; the next renewal will tell", RecordId);
            return;
        }
        if (!_holding)
        {
            // Another check, started by an earlier event, concluded while this one waited: it said what happened; this
            // event may only add why.
            ExplainRelease(heard);
            return;
        }
        if (check is { Holder: LeaseHolder.ThisPage, Status: SurveyStatus.Awaiting }) return; // still ours: nothing happened to it
        // This page is itself giving the customer back (Next, Previous, Confirm, Re-list): the release it just heard is its
        // own, and the action says what happened when it returns. A lock lost some other way meanwhile is the action's to
        // meet (it is refused and says so), or the next renewal's.
        if (_busy) return;

        if (check?.Holder == LeaseHolder.YourOtherPage)
        {
            ShowElsewhere(LockState.Moved, $"{name} continues in another tab, where you pressed Continue here.");
            Snackbar.Add($"{name} moved to your other tab.", Severity.Info);
        }
        else
        {
            var message = check is null ? $"{name} is no longer available to you."
                : check.Status != SurveyStatus.Awaiting ? $"{name} is no longer awaiting a call: FOCUS marked the survey {check.Status}."
                : heard is { Kind: LiveEventKind.LockReleased, Reason: { } reason } && heard.AgentId == _user.UserId ? $"Your lock on {name} was released ({reason})."
                : check.Holder == LeaseHolder.OtherAgent ? $"Your lock on {name} ended and {check.HolderName} has the customer now."
                : $"Your lock on {name} ended (released or lapsed).";
            _holding = false;
            StopRenewing();
            _lockState = LockState.Lost;
            _lockMessage = message;
            // Short: the alert at the top says what happened; this reaches an agent scrolled down to the notes.
            Snackbar.Add($"{name} is no longer locked to you: see the message at the top of the page.", Severity.Warning);
        }
        StateHasChanged();
        await ReloadViewAsync(); // the status and summary as they are now
        if (_requests is not null) await _requests.ReloadAsync(); // read-only now (lost or moved to the other tab), saying why
        StateHasChanged();
    }

    private void ShowElsewhere(LockState state, string message)
    {
        _holding = false;
        StopRenewing();
        _lockState = state;
        _lockMessage = message;
    }

    /// <summary>Moves the agent's lease from their other tab to this one; the other tab is told at once and stops renewing.</summary>
    private async Task ContinueHereAsync()
    {
        if (_user is null || _busy) return;
        _busy = true;
        try
        {
            var result = await Locks.TakeOverAsync(_user, RecordId, _token);
            if (result.Succeeded)
            {
                Hold();
                Snackbar.Add(result.Message, Severity.Success);
                await ReloadViewAsync();
                // The requests panel was read-only while the other tab held the customer: it may be edited here now.
                if (_requests is not null) await _requests.ReloadAsync();
                return;
            }
            _lockMessage = result.Message;
            Snackbar.Add(result.Message, Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Continuing record {RecordId} in this tab failed", RecordId);
            Snackbar.Add("The customer could not be moved to this tab just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
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
        if (_user is null || _busy || !MayRecord) return;
        _busy = true;
        try
        {
            if (_requests is not null) await _requests.FlushAsync(); // typed request fields are kept (while the lock is held) before the outcome
            var command = new RecordAttemptCommand(RecordId, choice.OutcomeId, choice.NumberDialled,
                _dialledAt ?? _openedAt, choice.Note, choice.CallbackAt, choice.DeclineReasonId, choice.ReserveCallback, _token);
            if (choice.AndNext && _holding)
            {
                await ConfirmAndNextAsync(command);
                return;
            }
            var result = await Calling.RecordAttemptAsync(_user, command);
            _holding = false;
            StopRenewing();
            ReportRecorded(result);
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

    /// <summary>Confirm &amp; next: the navigator records the call and opens the next free customer with this page's token.</summary>
    private async Task ConfirmAndNextAsync(RecordAttemptCommand command)
    {
        StopRenewing(); // the recording gives this customer back; no renewal in between
        ConfirmAndNext done;
        try
        {
            done = await Navigator.ConfirmAndNextAsync(_user!, command, Dealership);
        }
        catch
        {
            Hold(); // nothing was recorded: the lease is still this page's
            throw;
        }
        _holding = false;
        ReportRecorded(done.Recorded, done.Move.Outcome == ChaseMoveOutcome.Opened ? null : done.Move.Message);
        if (done.Move.Outcome == ChaseMoveOutcome.Opened)
        {
            HandOff.Offer(done.Move.RecordId, _token);
            Navigation.NavigateTo(CallUri(done.Move.RecordId));
        }
        else
        {
            Navigation.NavigateTo(ChaseListUri);
        }
    }

    /// <summary>
    /// What the call did, in a snackbar placed clear of the page's actions, with Undo while the window lasts. The snackbar
    /// outlives this page (it follows the agent to the next customer or the list), so Undo only uses circuit services.
    /// </summary>
    private void ReportRecorded(AttemptResult result, string? then = null)
    {
        var name = _view?.CustomerName;
        var user = _user!;
        var (undo, snackbar, logger) = (Undo, Snackbar, Logger);
        var offerUndo = result.AttemptId > 0 && _undoMinutes > 0;
        var text = $"{name}: {result.Message}" + (then is null ? "" : $" {then}");
        Snackbar.Add(text, result.ChaseUpdated && then is null ? Severity.Success : Severity.Info, o =>
        {
            o.RequireInteraction = !result.ChaseUpdated || then is not null;
            if (!offerUndo) return;
            o.VisibleStateDuration = 15_000; // long enough to notice a mis-click; the history offers Undo for the rest of the window
            o.Action = "Undo";
            o.ActionColor = Color.Inherit;
            o.ActionVariant = Variant.Outlined;
            o.OnClick = async _ =>
            {
                try
                {
                    var undone = await undo.UndoAsync(user, result.AttemptId);
                    snackbar.Add(undone.Message, undone.Outcome == CommandOutcome.Done ? Severity.Success : Severity.Warning,
                        u => u.RequireInteraction = undone.Outcome != CommandOutcome.Done);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Undoing call {AttemptId} failed", result.AttemptId);
                    snackbar.Add("The call could not be undone just now. Try again from the customer's history.", Severity.Error);
                }
            };
        });
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
        if (_user is null || _busy || !_holding) return;
        _busy = true;
        try
        {
            await Locks.ReleaseAsync(_user, RecordId, _token);
            _holding = false;
            StopRenewing();
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

    /// <summary>First / Previous / Next: the navigator moves the lease; the page adopts where it went and says what happened.</summary>
    private async Task MoveAsync(ChaseDirection direction)
    {
        if (_user is null || _busy || !_holding) return;
        _busy = true;
        _moving = direction;
        // No renewal mid-move: the navigator releases this customer before it locks the next.
        StopRenewing();
        try
        {
            var move = await Navigator.MoveAsync(_user, RecordId, _token, direction, Dealership);
            switch (move.Outcome)
            {
                case ChaseMoveOutcome.Opened:
                    _holding = false; // handed on: the page re-opens on the new address and adopts the lease
                    HandOff.Offer(move.RecordId, _token);
                    Navigation.NavigateTo(CallUri(move.RecordId));
                    break;
                case ChaseMoveOutcome.Stayed:
                    Hold();
                    if (move.Message is not null) Snackbar.Add(move.Message, Severity.Info);
                    break;
                default:
                    _holding = false;
                    Snackbar.Add(move.Message ?? "You are back on the chase list.", Severity.Warning, o => o.RequireInteraction = true);
                    Navigation.NavigateTo(ChaseListUri);
                    break;
            }
        }
        catch (Exception ex)
        {
            // The navigator handles failures after it released the customer; one before that left the lease in place.
            Logger.LogError(ex, "Moving {Direction} from record {RecordId} failed", direction, RecordId);
            Hold();
            Snackbar.Add("Could not open another customer just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
            _moving = null;
        }
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

    /// <summary>
    /// Leaving the page any other way (another menu, a closed tab whose circuit ends) gives the customer back — only the
    /// lease this page holds, under its own token, so closing a second tab never frees the first tab's customer.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _subscription = null;
        try
        {
            if (_keysListener is not null) await _keysListener.InvokeVoidAsync("dispose");
            if (_keysListener is not null) await _keysListener.DisposeAsync();
            if (_keysModule is not null) await _keysModule.DisposeAsync();
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or ObjectDisposedException)
        {
            // The browser is gone: so are its listeners.
        }
        _keysRef?.Dispose();
        await ReleaseCurrentAsync();
    }

    private async Task ReleaseCurrentAsync()
    {
        StopRenewing();
        if (!_holding || _user is null || _openedRecordId is not { } held) return;
        _holding = false;
        try
        {
            await Locks.ReleaseAsync(_user, held, _token);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Releasing record {RecordId} on leaving failed; the lease will expire", held);
        }
    }
}
