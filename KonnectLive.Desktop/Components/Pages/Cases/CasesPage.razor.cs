using KonnectLive.Core.Cases;
using KonnectLive.Core.Common;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;

namespace KonnectLive.Desktop.Components.Pages.Cases;

public partial class CasesPage
{
    /// <summary>The tags case filing gives (see <see cref="CaseFiling.Tags"/>).</summary>
    private static readonly string[] Tags = ["voice_inbound", "voice_outbound", "voice_transfer", "voice_conference", "voice_abandoned", CaseFiling.PlatformTag];

    [Inject] private CaseService Cases { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

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
        _user = await CurrentUser.GetAsync();
        if (_user is null) return;
        _queues = await Cases.QueuesAsync(_user);
        _dealerships = await Cases.DealershipsAsync(_user);
        Rebuild();
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
