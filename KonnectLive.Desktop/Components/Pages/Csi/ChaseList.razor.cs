using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Csi;

public partial class ChaseList
{
    [Inject] private ChaseListQuery Query { get; set; } = default!;
    [Inject] private CallLockService Locks { get; set; } = default!;
    [Inject] private CallHandOff HandOff { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private IDbContextFactory<KonnectDbContext> DbFactory { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<ChaseList> Logger { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>A dealership filter to start with (head office), e.g. coming back from the calling page.</summary>
    [SupplyParameterFromQuery(Name = "dealership")] public int? DealershipQuery { get; set; }

    private UserScope? _user;
    private List<(int Id, string Name)> _dealerships = [];
    private int? _dealershipFilter;
    private string? _search;
    private int _total;
    private int? _opening;
    /// <summary>Lock events heard for the record being opened while its Open was being answered (see <see cref="OpenAsync"/>).</summary>
    private int _lockEventsWhileOpening;
    private IDisposable? _subscription;
    private List<ChaseListRow> _rows = [];
    private Throttle? _reload;
    private int _page;
    private int _pageSize = 25;
    private bool _loading;
    /// <summary>A load is reading the rows now (the user's or a live reload): see <see cref="OnLiveEventAsync"/>.</summary>
    private bool _loadInFlight;
    private int _loadVersion;
    private CancellationTokenSource? _loadCancel;
    /// <summary>The last load failed: the rows shown (if any) are those of <see cref="_currentAt"/>, marked not current.</summary>
    private bool _loadFailed;
    /// <summary>When the rows on screen were last read successfully.</summary>
    private DateTime? _currentAt;

    /// <summary>At most one reload of the page's rows per interval for order or membership changes (first at once, last kept).</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        if (_user?.IsHeadOffice == true)
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _dealerships = (await db.Dealerships.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync())
                .Select(d => (d.Id, d.Name)).ToList();
            if (DealershipQuery is { } chosen && _dealerships.Any(d => d.Id == chosen)) _dealershipFilter = chosen;
        }
        _reload = new Throttle(ReloadInterval, Time);
        _subscription = LiveEvents.Subscribe(OnLiveEventAsync);
        await LoadAsync(showLoading: true);
    }

    /// <summary>
    /// Reads the page's rows and the count; a newer load cancels an older one, whose answer is dropped. The loading bar
    /// shows for what the user asked for (first load, a page, a search, a filter), not for a live reload, so rows never
    /// jump under the pointer while an agent reads them.
    /// </summary>
    private async Task LoadAsync(bool showLoading = false)
    {
        if (_user is null) return;
        var version = ++_loadVersion;
        _loadCancel?.Cancel();
        _loadCancel?.Dispose();
        _loadCancel = new CancellationTokenSource();
        var ct = _loadCancel.Token;
        if (showLoading) _loading = true;
        _loadInFlight = true;
        try
        {
            var page = await Query.GetPageAsync(_user, new ChaseListRequest(_page * _pageSize, _pageSize, _search, _dealershipFilter), ct);
            if (version != _loadVersion) return;
            _total = page.Total;
            _loadFailed = false;
            _currentAt = Now;
            // This list is what the table draws; a lock event patches a row of it in place (see OnLiveEventAsync).
            _rows = [.. page.Rows];
            if (_rows.Count == 0 && _page > 0 && _total > 0)
            {
                _page = LastPage; // the list shrank under the page the agent was on: show its new last page
                await LoadAsync(showLoading);
            }
        }
        catch (OperationCanceledException) when (version != _loadVersion)
        {
            // A newer load replaced this one.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A database error must not break the circuit, nor leave old rows looking current: they stay, marked with
            // the time they were last read, under an alert with Retry; the next live reload that works clears it.
            Logger.LogError(ex, "Loading the chase list failed (page {Page}, search {Search}, dealership {Dealership})", _page, _search, _dealershipFilter);
            if (version == _loadVersion) _loadFailed = true;
        }
        finally
        {
            if (version == _loadVersion) _loading = _loadInFlight = false;
        }
    }

    private Task RetryAsync() => LoadAsync(showLoading: true);

    private string StaleText => _currentAt is { } at ? $"not current since {Format.Local(at):HH:mm}" : "not loaded";

    private int LastPage => _total <= 0 ? 0 : (_total - 1) / _pageSize;

    private string PageInfo => _total == 0 ? "0-0 of 0" : $"{_page * _pageSize + 1}-{Math.Min(_total, (_page + 1) * _pageSize)} of {_total:N0}";

    // Page turns read by page number: ChaseListQuery seeks to page N from the nearest place it already knows (kept per
    // change of the list, like the count), so a page re-read or turned to costs what the first does and "x-y of N" stays exact.
    private Task FirstPageAsync() => GoToPageAsync(0);
    private Task PreviousPageAsync() => GoToPageAsync(_page - 1);
    private Task NextPageAsync() => GoToPageAsync(_page + 1);
    private Task LastPageAsync() => GoToPageAsync(LastPage);

    private Task GoToPageAsync(int page)
    {
        _page = Math.Clamp(page, 0, LastPage);
        return LoadAsync(showLoading: true);
    }

    private Task OnPageSizeSelected(ChangeEventArgs e) =>
        int.TryParse(e.Value as string, out var size) && size is 25 or 50 or 100 && size != _pageSize ? OnPageSizeChanged(size) : Task.CompletedTask;

    private async Task OnPageSizeChanged(int size)
    {
        _pageSize = size;
        _page = 0;
        await LoadAsync(showLoading: true);
    }

    /// <summary>
    /// A lock taken or released changes who is calling a row, not the list's order or membership: the row on screen is
    /// patched from the event itself, with no database read (a row not on this page needs nothing). Anything that can
    /// change order or membership (an attempt, a record added, removed or changed, a FOCUS batch) reloads the page,
    /// throttled: the first at once, then at most one per <see cref="ReloadInterval"/>, the last never lost.
    /// </summary>
    private Task OnLiveEventAsync(LiveEvent e)
    {
        if (_user is null || !e.AffectsTheChase || !_user.CanSee(e.DealershipId)) return Task.CompletedTask;
        if (_dealershipFilter is { } f && f != e.DealershipId) return Task.CompletedTask;
        switch (e.Kind)
        {
            case LiveEventKind.LockTaken or LiveEventKind.LockReleased:
                return InvokeAsync(() =>
                {
                    if (e.RecordId == _opening) _lockEventsWhileOpening++;
                    if (PatchLock(e)) StateHasChanged();
                    // A load in flight may have read the row before this change: its rows would then replace the patched ones
                    // with the older state, and no later event would put it right (the row stayed "being called" on an idle
                    // list, ClusterRaceTests). Read again after it, as for any reload.
                    if (_loadInFlight) RequestReload();
                });
            case LiveEventKind.LockMoved:
                return Task.CompletedTask; // the same agent still holds the customer: nothing on the list changes
            default:
                RequestReload();
                return Task.CompletedTask;
        }
    }

    private void RequestReload() => _reload?.Run(() => InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    }));

    /// <summary>Sets the row's "being called by" from a lock event; false when the record is not on this page.</summary>
    private bool PatchLock(LiveEvent e)
    {
        var i = _rows.FindIndex(r => r.RecordId == e.RecordId);
        if (i < 0) return false;
        // A release of an earlier holder never clears a later one's lock.
        if (e.Kind == LiveEventKind.LockReleased && e.AgentId is { } was && _rows[i].LockHolderId is { } now && now != was) return false;
        _rows[i] = e.Kind == LiveEventKind.LockTaken
            ? _rows[i] with { LockHolderId = e.AgentId, LockHolderName = e.AgentName }
            : _rows[i] with { LockHolderId = null, LockHolderName = null };
        return true;
    }

    private async Task OpenAsync(ChaseListRow row)
    {
        if (_user is null || _opening is not null) return;
        _opening = row.RecordId;
        _lockEventsWhileOpening = 0;
        try
        {
            // The lease is taken here, for the calling page this Open leads to: it adopts the lease through the hand-off
            // rather than taking it again (one Open, one lock taken).
            var token = CallLockService.NewPageToken();
            var result = await Locks.AcquireAsync(_user, row.RecordId, token);
            switch (result.Outcome)
            {
                case LockOutcome.Acquired:
                    HandOff.Offer(row.RecordId, token);
                    Navigation.NavigateTo(CallUri(row.RecordId));
                    return;
                case LockOutcome.HeldByYouElsewhere:
                    // Open alone never takes the customer from the agent's other tab; Continue here moves it, deliberately.
                    Snackbar.Add(result.Message, Severity.Info, o =>
                    {
                        o.Action = "Continue here";
                        o.OnClick = _ => InvokeAsync(() => ContinueHereAsync(row.RecordId));
                    });
                    break;
                case LockOutcome.HeldByOther:
                    Snackbar.Add(result.Message, Severity.Warning, o => o.SnackbarVariant = Variant.Filled);
                    if (ShowHolderFromRefusal(row.RecordId, result)) return;
                    break;
                case LockOutcome.ReservedForOther:
                    Snackbar.Add(result.Message, Severity.Warning, o => o.SnackbarVariant = Variant.Filled);
                    break;
                case LockOutcome.AlreadyHoldingAnother when result.OtherRecordId is { } other:
                    Snackbar.Add(result.Message, Severity.Info, o =>
                    {
                        o.Action = "Go to them";
                        o.OnClick = _ => { Navigation.NavigateTo($"csi/call/{other}"); return Task.CompletedTask; };
                    });
                    break;
                default:
                    Snackbar.Add(result.Message, Severity.Error);
                    break;
            }
            await LoadAsync();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Opening record {RecordId} failed", row.RecordId);
            Snackbar.Add("Could not open that customer just now. Please try again.", Severity.Error);
        }
        finally
        {
            _opening = null;
        }
    }

    /// <summary>
    /// A refused Open names who holds the record, read just now: the row on screen is patched from the refusal, with no
    /// reload of the page (twenty agents pressing Open at once would otherwise be nineteen page reads). Unless a lock
    /// event for the record came in while the Open was answered and the row now says otherwise: the refusal's read and
    /// that event cannot be put in order, so the page is read again (false). A row no longer on this page needs nothing.
    /// </summary>
    private bool ShowHolderFromRefusal(int recordId, LockResult refused)
    {
        // A load reading meanwhile may have read the row before the lock: read again (it replaces that load).
        if (refused.HolderId is null || _loadInFlight) return false;
        var i = _rows.FindIndex(r => r.RecordId == recordId);
        if (i < 0) return true;
        if (_rows[i].LockHolderId == refused.HolderId) return true; // its lock event got here first
        if (_lockEventsWhileOpening > 0) return false;
        _rows[i] = _rows[i] with { LockHolderId = refused.HolderId, LockHolderName = refused.HolderName };
        return true;
    }

    /// <summary>Moves the agent's lease from their other tab to a calling page in this one, which adopts it.</summary>
    private async Task ContinueHereAsync(int recordId)
    {
        if (_user is null) return;
        try
        {
            var token = CallLockService.NewPageToken();
            var result = await Locks.TakeOverAsync(_user, recordId, token);
            if (result.Succeeded)
            {
                HandOff.Offer(recordId, token);
                Navigation.NavigateTo(CallUri(recordId));
                return;
            }
            Snackbar.Add(result.Message, Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Continuing record {RecordId} in this tab failed", recordId);
            Snackbar.Add("Could not move that customer to this tab just now. Please try again.", Severity.Error);
        }
    }

    /// <summary>The calling page keeps the filter for Previous / Next and the way back.</summary>
    private string CallUri(int recordId) => _dealershipFilter is { } d ? $"csi/call/{recordId}?dealership={d}" : $"csi/call/{recordId}";

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    // The markup that is the same on every row, built once: each is one render-tree frame, not a component per cell.
    private static MarkupString Svg(string icon, string size = "small", string extraClass = "") =>
        new($"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{size}{extraClass}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg>");

    private static readonly MarkupString ScheduleIcon = Svg(Icons.Material.Filled.Schedule, extraClass: " mud-chip-icon");
    private static readonly MarkupString LockIcon = Svg(Icons.Material.Filled.Lock, extraClass: " mud-chip-icon");
    private static readonly MarkupString PhoneLockedIcon = Svg(Icons.Material.Filled.PhoneLocked, extraClass: " mud-chip-icon");

    private static readonly MarkupString NoNumberChip = new(
        "<div class=\"mud-chip mud-chip-outlined mud-chip-size-small mud-chip-color-error chase-chip\" " +
        "title=\"Every number is unsubscribed from calls or marked wrong: send an SMS or email instead\" data-testid=\"no-callable-number\">" +
        Svg(Icons.Material.Filled.PhoneDisabled, extraClass: " mud-chip-icon") + "<span class=\"mud-chip-content\">No number to call</span></div>");

    private static readonly MarkupString YourCallbackChip = new(
        "<div class=\"mud-chip mud-chip-outlined mud-chip-size-small mud-chip-color-success chase-chip\" data-testid=\"reservation\">" +
        Svg(Icons.Material.Filled.Person, extraClass: " mud-chip-icon") + "<span class=\"mud-chip-content\">Your call-back</span></div>");

    private static readonly MarkupString FreeText = new(
        "<p data-testid=\"lock-free\" class=\"mud-typography mud-typography-body2 mud-secondary-text\">Free</p>");

    private static readonly MarkupString SyncProblemIcon = Svg(Icons.Material.Filled.SyncProblem, extraClass: " mud-chip-icon");

    private static readonly MarkupString LiveChip = new(
        "<div class=\"mud-chip mud-chip-text mud-chip-color-success mud-chip-size-small\">" +
        Svg(Icons.Material.Filled.Sensors, extraClass: " mud-chip-icon") + "<span class=\"mud-chip-content\">Live</span></div>");

    // MudIconButton's markup (as in MudTable's pager); the browser's own disabled state, reachable by Tab, pressed with Enter or Space.
    private const string PagerButtonClass = "mud-button-root mud-icon-button mud-ripple mud-ripple-icon mud-flip-x-rtl";
    private static MarkupString PagerIcon(string icon) => new($"<span class=\"mud-icon-button-label\">{Svg(icon, "medium")}</span>");
    private static readonly MarkupString FirstPageIcon = PagerIcon(Icons.Material.Filled.FirstPage);
    private static readonly MarkupString PreviousPageIcon = PagerIcon(Icons.Material.Filled.NavigateBefore);
    private static readonly MarkupString NextPageIcon = PagerIcon(Icons.Material.Filled.NavigateNext);
    private static readonly MarkupString LastPageIcon = PagerIcon(Icons.Material.Filled.LastPage);

    private const string OpenButtonClass =
        "mud-button-root mud-button mud-button-filled mud-button-filled-primary mud-button-filled-size-small mud-ripple";

    private static readonly MarkupString OpenLabel = new(
        "<span class=\"mud-button-label\"><span class=\"mud-button-icon-start mud-button-icon-size-small\">" +
        Svg(Icons.Material.Filled.Phone) + "</span>Open</span>");

    /// <summary>A due call-back kept for the agent who set it, for a while; the lock service refuses anyone else meanwhile.</summary>
    private bool IsReserved(ChaseListRow row) => row.ReservedForId is not null && row.ReservedUntil > Now;

    private bool IsReservedForMe(ChaseListRow row) => row.ReservedForId == _user?.UserId;

    private string ReservedText(ChaseListRow row) =>
        $"Reserved for {row.ReservedForName ?? "another agent"} until {(row.ReservedUntil is { } until ? FollowUpText.When(until, Now) : "later")}";

    private async Task OnDealershipChanged(int? dealershipId)
    {
        _dealershipFilter = dealershipId;
        _page = 0;
        await LoadAsync(showLoading: true);
    }

    private async Task OnSearchChanged(string? search)
    {
        _search = search;
        _page = 0;
        await LoadAsync(showLoading: true);
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
        _loadCancel?.Cancel();
        _loadCancel?.Dispose();
    }
}
