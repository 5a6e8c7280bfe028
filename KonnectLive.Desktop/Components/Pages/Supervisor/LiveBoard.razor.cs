using KonnectLive.Core.Calling;
using KonnectLive.Core.Live;
using KonnectLive.Core.Supervision;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Desktop.Identity;
using KonnectLive.Desktop.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Supervisor;

/// <summary>
/// The supervisor's live board: calls in progress (KonnectLive's locks, with a running clock and a force release, and
/// the phone system's calls), who is signed in, and today's figures. A lock taken or released patches the calls in progress from the event itself; anything that
/// changes today's figures (an attempt, records added, removed or changed) reloads from the database, throttled.
/// </summary>
public partial class LiveBoard
{
    private static readonly SurveyStatus[] Statuses =
        [SurveyStatus.Pending, SurveyStatus.Awaiting, SurveyStatus.Completed, SurveyStatus.Rejected, SurveyStatus.Expired];

    [Inject] private CallsInProgressQuery Calls { get; set; } = default!;
    [Inject] private TodayFiguresQuery Figures { get; set; } = default!;
    [Inject] private ForceReleaseService ForceRelease { get; set; } = default!;
    [Inject] private PresenceTracker Presence { get; set; } = default!;
    [Inject] private KonnectLive.Core.Telephony.AgentStates.AgentStateService AgentStates { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<LiveBoard> Logger { get; set; } = default!;

    private UserScope? _user;
    private IReadOnlyList<CallInProgress> _calls = [];
    private TodayFigures? _today;
    private string? _error;
    private int? _releasing;
    private string[] _agentLabels = [];
    private List<ChartSeries<double>> _agentSeries = [];
    private string[] _outcomeLabels = [];
    private List<ChartSeries<double>> _outcomeSeries = [];
    private string[] _statusLabels = [];
    private List<ChartSeries<double>> _statusSeries = [];
    private BarChartOptions _agentOptions = new();
    private BarChartOptions _statusOptions = new();
    private IDisposable? _liveSubscription;
    private IDisposable? _presenceSubscription;
    private ITimer? _clock;
    private Throttle? _reload;
    private bool _reloading;
    // Who is an agent (the Agent role), read from the database for each signed-in user the first time they appear.
    private readonly HashSet<string> _agents = [];
    private readonly HashSet<string> _classified = [];

    /// <summary>At most one reload of the board per interval (first at once, last kept).</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromMilliseconds(500);

    private string ScopeText => _user is null ? ""
        : _user.IsHeadOffice ? "All dealerships"
        : $"{_today?.ByDealership.FirstOrDefault()?.DealershipName ?? "Your dealership"} only";

    protected override void OnInitialized()
    {
        _reload = new Throttle(ReloadInterval, Time);
        // Subscribed before the first load, so nothing that happens while it loads is missed.
        _liveSubscription = LiveEvents.Subscribe(OnLiveEventAsync);
        _presenceSubscription = Presence.Subscribe(() => _ = InvokeAsync(async () =>
        {
            await ClassifyPresentAsync();
            StateHasChanged();
        }));
        _clock = Time.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        await ClassifyPresentAsync();
        await ReloadAsync();
    }

    /// <summary>Asks the database which newly signed-in users are agents; each user is asked about once.</summary>
    private async Task ClassifyPresentAsync()
    {
        var fresh = Presence.SignedIn().Select(u => u.UserId).Where(id => !_classified.Contains(id)).Distinct().ToList();
        if (fresh.Count == 0) return;
        try
        {
            _agents.UnionWith(await AgentStates.AgentsAmongAsync(fresh));
            _classified.UnionWith(fresh);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Reading which signed-in users are agents failed");
        }
    }

    private Task OnLiveEventAsync(LiveEvent e)
    {
        if (_user is null || !_user.CanSee(e.DealershipId)) return Task.CompletedTask;
        // The phone system put an agent on a call or took them off one (agent state On call / Wrap-up, a screen pop): the
        // calls in progress are read again, throttled with everything else that reloads the board.
        if (e.Kind is LiveEventKind.AgentStateChanged or LiveEventKind.CallPop)
        {
            RequestReload();
            return Task.CompletedTask;
        }
        if (!e.AffectsTheChase) return Task.CompletedTask;
        switch (e.Kind)
        {
            case LiveEventKind.LockTaken or LiveEventKind.LockReleased:
                return InvokeAsync(() =>
                {
                    if (PatchCalls(e)) StateHasChanged();
                    // A reload in flight may have read the calls before this change and would replace the patch with them.
                    if (_reloading) RequestReload();
                });
            case LiveEventKind.LockMoved:
                return Task.CompletedTask; // the same agent, the same call
            default:
                RequestReload();
                return Task.CompletedTask;
        }
    }

    /// <summary>The board comes from the database; a burst of events costs at most one reload per interval.</summary>
    private void RequestReload() => _reload?.Run(() => InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    }));

    /// <summary>A call starts or ends on the board from the lock event itself, with no database read.</summary>
    private bool PatchCalls(LiveEvent e)
    {
        var existing = _calls.FirstOrDefault(c => !c.FromPhoneSystem && c.RecordId == e.RecordId);
        if (e.Kind == LiveEventKind.LockReleased)
        {
            if (existing is null || (e.AgentId is { } was && existing.AgentId != was)) return false;
            _calls = [.. _calls.Where(c => c != existing)];
            // The agent may still be on a phone-system call that the lock stood for on the board.
            RequestReload();
            return true;
        }
        if (e.AgentId is not { } agentId) return false;
        var now = Time.GetUtcNow().UtcDateTime;
        var call = new CallInProgress(e.RecordId, e.DealershipId, DealershipName(e.DealershipId), e.CustomerName ?? "A customer",
            agentId, e.AgentName ?? "An agent", now, now);
        // Longest-running first, as the query orders them: a new call goes last. An agent with a lock is shown by the lock
        // alone (CallsInProgressQuery), so their phone-system row gives way to it.
        _calls = [.. _calls.Where(c => c.RecordId != e.RecordId && !(c.FromPhoneSystem && c.AgentId == agentId)), call];
        return true;
    }

    private async Task ReloadAsync()
    {
        if (_user is null || !SupervisorAccess.IsSupervisor(_user))
        {
            _error = "Only supervisors and admins can see the live board.";
            return;
        }
        _reloading = true;
        try
        {
            _calls = await Calls.GetAsync(_user);
            _today = await Figures.GetAsync(_user);
            BuildCharts(_today);
            _error = null;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the live board failed");
            _error = "The live board could not be loaded just now; it will try again on the next change.";
        }
        finally
        {
            _reloading = false;
        }
    }

    private void BuildCharts(TodayFigures today)
    {
        _agentLabels = [.. today.ByAgent.Select(a => a.AgentName)];
        var attempts = today.ByAgent.Select(a => (double)a.Attempts).ToArray();
        _agentSeries = [new ChartSeries<double> { Name = "Attempts", Data = attempts }];
        _agentOptions = ChartScale.ForCounts(attempts, _agentLabels);
        _outcomeLabels = [.. today.ByOutcome.Select(o => $"{o.Outcome} ({o.Attempts})")];
        _outcomeSeries = [new ChartSeries<double> { Name = "Attempts", Data = today.ByOutcome.Select(o => (double)o.Attempts).ToArray() }];
        _statusLabels = [.. Statuses.Select(s => s.ToString())];
        var byDealership = today.ByDealership.Select(d => (d.DealershipName, Counts: Statuses.Select(s => (double)d.Count(s)).ToArray())).ToList();
        _statusSeries = [.. byDealership.Select(d => new ChartSeries<double> { Name = d.DealershipName, Data = d.Counts })];
        _statusOptions = ChartScale.ForCounts(byDealership.SelectMany(d => d.Counts), _statusLabels);
    }

    private async Task ForceReleaseAsync(CallInProgress call)
    {
        if (_user is null || _releasing is not null) return;
        var parameters = new DialogParameters<ForceReleaseDialog> { { d => d.Call, call } };
        var dialog = await Dialogs.ShowAsync<ForceReleaseDialog>($"Force release {call.CustomerName}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: string reason }) return;

        _releasing = call.RecordId;
        try
        {
            var outcome = await ForceRelease.ForceReleaseAsync(_user, call.RecordId, reason);
            Snackbar.Add(outcome.Message, outcome.Succeeded ? Severity.Success : Severity.Warning);
            await ReloadAsync();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Force-releasing record {RecordId} failed", call.RecordId);
            Snackbar.Add("The lock could not be released just now. Please try again.", Severity.Error);
        }
        finally
        {
            _releasing = null;
        }
    }

    /// <summary>
    /// Signed-in agents (the Agent role; supervisors and admins only when they hold it too) who can take calls and whom this
    /// supervisor may see, each with their call now (if any).
    /// </summary>
    private List<(PresentUser User, CallInProgress? Call)> PresentAgents()
    {
        if (_user is null) return [];
        var callsByAgent = _calls.GroupBy(c => c.AgentId).ToDictionary(g => g.Key, g => g.First());
        return Presence.SignedIn()
            .Where(u => _agents.Contains(u.UserId))
            .Where(u => u.CsiVoiceEnabled || callsByAgent.ContainsKey(u.UserId))
            // A dealership supervisor sees their own people, and anyone (say, head office) calling their customers.
            .Where(u => _user.IsHeadOffice || u.DealershipId == _user.DealershipId || callsByAgent.ContainsKey(u.UserId))
            .Select(u => (u, callsByAgent.GetValueOrDefault(u.UserId)))
            .ToList();
    }

    private string DealershipName(int? dealershipId) => dealershipId is not { } id ? "Head office"
        : _today?.ByDealership.FirstOrDefault(d => d.DealershipId == id)?.DealershipName ?? $"Dealership {id}";

    private string Elapsed(DateTime startedAt)
    {
        var elapsed = Time.GetUtcNow().UtcDateTime - startedAt;
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        return elapsed.ToString(elapsed.TotalHours >= 1 ? @"h\:mm\:ss" : @"mm\:ss");
    }

    public void Dispose()
    {
        _liveSubscription?.Dispose();
        _presenceSubscription?.Dispose();
        _clock?.Dispose();
        _reload?.Dispose();
    }
}
