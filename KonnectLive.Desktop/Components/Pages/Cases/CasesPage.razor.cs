using KonnectLive.Core.Cases;
using KonnectLive.Core.Common;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using KonnectLive.Desktop.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace KonnectLive.Desktop.Components.Pages.Cases;

/// <summary>
/// The Cases list, live: a case filed, reopened or closed anywhere in the cluster (a call, another agent) while the page is
/// open reloads the table (<see cref="LiveEventKind.CaseChanged"/>), throttled like the chase list: the first at once, then
/// at most one per <see cref="ReloadInterval"/>, the last never dropped.
/// </summary>
public partial class CasesPage : IDisposable
{
    /// <summary>At most one reload of the table per interval while cases keep changing.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The tags case filing gives (see <see cref="CaseFiling.Tags"/>).</summary>
    private static readonly string[] Tags = ["voice_inbound", "voice_outbound", "voice_transfer", "voice_conference", "voice_abandoned", CaseFiling.PlatformTag];

    [Inject] private CaseService Cases { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private ILogger<CasesPage> Logger { get; set; } = default!;

    private CaseTable? _table;
    private IDisposable? _subscription;
    private Throttle? _reload;

    private UserScope? _user;
    private IReadOnlyList<string> _queues = [];
    private IReadOnlyList<(int Id, string Name)> _dealerships = [];
    private string _status = nameof(CaseStatus.Open);
    private string _queue = "";
    private string _tag = "";
    private int? _dealershipId;
    private DateTime? _from;
    private DateTime? _to;
    private CaseFilter _filter = new();
    private int? _total;

    protected override async Task OnInitializedAsync()
    {
        _reload = new Throttle(ReloadInterval, Time);
        // Subscribed before the first load, so a case changed while it loads is not missed.
        _subscription = LiveEvents.Subscribe(OnLiveEventAsync);
        _user = await CurrentUser.GetAsync();
        if (_user is null) return;
        _queues = await Cases.QueuesAsync(_user);
        _dealerships = await Cases.DealershipsAsync(_user);
        Rebuild();
    }

    private Task OnLiveEventAsync(LiveEvent e)
    {
        if (e.Kind != LiveEventKind.CaseChanged || _user is not { } user || !user.CanSee(e.DealershipId)) return Task.CompletedTask;
        _reload?.Run(() => InvokeAsync(async () =>
        {
            if (_table is null) return; // the first load has not drawn the table yet: it reads the change itself
            try
            {
                await _table.ReloadAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                Logger.LogWarning(ex, "Reloading the Cases list after a case changed failed; the next change tries again");
            }
        }));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }

    private Task SetAsync(Action change)
    {
        change();
        Rebuild();
        return Task.CompletedTask;
    }

    /// <summary>A new filter object: the table reloads when its filter changes. Dates are the contact centre's days.</summary>
    private void Rebuild() => _filter = new CaseFilter(
        Status: Enum.TryParse<CaseStatus>(_status, out var s) ? s : null,
        Queue: _queue.Length == 0 ? null : _queue,
        Tag: _tag.Length == 0 ? null : _tag,
        DealershipId: _dealershipId,
        UpdatedFrom: ContactCentreTime.StartOfDayUtc(_from),
        UpdatedTo: ContactCentreTime.StartOfDayUtc(_to?.AddDays(1)),
        Take: 100);
}
