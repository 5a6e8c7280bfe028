using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Messages;

/// <summary>
/// Supervisors' and admins' view of every scheduled message, paged by the database and scoped by the service to
/// the user's dealership. Reloads itself every <see cref="RefreshSeconds"/> s (messages change state by the
/// dispatcher, not by anything this circuit hears about), and on Refresh.
/// </summary>
public partial class Messages
{
    public const int RefreshSeconds = 10;

    [Inject] private MessageService Service { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDbContextFactory<KonnectDbContext> DbFactory { get; set; } = default!;

    private MudDataGrid<MessageRow>? _grid;
    private UserScope? _user;
    private List<(int Id, string Name)> _dealerships = [];
    private int? _dealership;
    private MessageState? _state;
    private MessageChannel? _channel;
    private string? _search;
    private int _total;
    private Timer? _timer;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        if (_user?.IsHeadOffice == true)
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _dealerships = (await db.Dealerships.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync())
                .Select(d => (d.Id, d.Name)).ToList();
        }
        var every = TimeSpan.FromSeconds(RefreshSeconds);
        _timer = new Timer(_ => _ = InvokeAsync(ReloadAsync), null, every, every);
    }

    private async Task<GridData<MessageRow>> LoadAsync(GridState<MessageRow> state, CancellationToken ct)
    {
        if (_user is null) return new GridData<MessageRow> { Items = [], TotalItems = 0 };
        var page = await Service.SearchAsync(_user, new MessageFilter(_state, _channel, _search, _dealership), state.Page * state.PageSize, state.PageSize, ct);
        if (_total != page.Total)
        {
            _total = page.Total;
            StateHasChanged();
        }
        return new GridData<MessageRow> { Items = page.Rows, TotalItems = page.Total };
    }

    private async Task ReloadAsync()
    {
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnStateChanged(MessageState? state) { _state = state; await ReloadAsync(); }
    private async Task OnChannelChanged(MessageChannel? channel) { _channel = channel; await ReloadAsync(); }
    private async Task OnDealershipChanged(int? dealership) { _dealership = dealership; await ReloadAsync(); }
    private async Task OnSearchChanged(string? search) { _search = search; await ReloadAsync(); }

    public void Dispose() => _timer?.Dispose();
}
