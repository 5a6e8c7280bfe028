using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Csi;

/// <summary>
/// My Call-backs: the signed-in agent's own booked call-backs (the server decides whose they are), live. It reloads when a
/// call is recorded by this agent (a call-back booked) or on one of its customers (the call-back done, moved or cleared), and
/// when one of them is locked, released, falls due or closes; a clock re-reads each row's status as time passes.
/// </summary>
public partial class MyCallbacks : IDisposable
{
    private static readonly TimeSpan StatusTick = TimeSpan.FromSeconds(30);

    [Inject] private MyCallbacksQuery Query { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private ILogger<MyCallbacks> Logger { get; set; } = default!;

    private UserScope? _user;
    private List<MyCallbackRow>? _rows;
    private string? _error;
    private IDisposable? _subscription;
    private ITimer? _clock;
    private readonly Debouncer _reload = new(TimeSpan.FromMilliseconds(150));

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        _subscription = LiveEvents.Subscribe(OnLiveEventAsync);
        _clock = Time.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, StatusTick, StatusTick);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_user is null)
        {
            _rows = [];
            return;
        }
        try
        {
            _rows = [.. await Query.ListAsync(_user)];
            _error = null;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the call-backs of {UserId} failed", _user.UserId);
            _error = "Your call-backs could not be loaded just now. Please reload the page.";
        }
    }

    private Task OnLiveEventAsync(LiveEvent e)
    {
        if (_user is null || !_user.CanSee(e.DealershipId)) return Task.CompletedTask;
        var mine = e.Kind == LiveEventKind.AttemptRecorded && e.AgentId == _user.UserId;
        var listed = _rows?.Any(r => e.Concerns(r.RecordId)) == true;
        if (!mine && !listed) return Task.CompletedTask;
        _reload.Run(() => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        }));
        return Task.CompletedTask;
    }

    /// <summary>"Today 14:30", "Tomorrow 10:00", else the day: "Wed 2 Dec 10:00" (UK time).</summary>
    private string DueText(MyCallbackRow row)
    {
        var day = DateOnly.FromDateTime(ContactCentreTime.ToLocal(row.DueAt));
        var today = DateOnly.FromDateTime(ContactCentreTime.ToLocal(Now));
        var clock = ContactCentreTime.ToLocal(row.DueAt).ToString("HH:mm");
        return day == today ? $"Today {clock}" : day == today.AddDays(1) ? $"Tomorrow {clock}" : ContactCentreTime.DayAndTime(row.DueAt);
    }

    private static string StatusText(CallbackStatus status) => status switch
    {
        CallbackStatus.Due => "Due",
        CallbackStatus.Overdue => "Overdue",
        _ => "Not yet due",
    };

    private static Color StatusColour(CallbackStatus status) => status switch
    {
        CallbackStatus.Due => Color.Warning,
        CallbackStatus.Overdue => Color.Error,
        _ => Color.Default,
    };

    private static string StatusIcon(CallbackStatus status) => status switch
    {
        CallbackStatus.Due => Icons.Material.Filled.NotificationsActive,
        CallbackStatus.Overdue => Icons.Material.Filled.Error,
        _ => Icons.Material.Filled.Schedule,
    };

    public void Dispose()
    {
        _subscription?.Dispose();
        _clock?.Dispose();
        _reload.Dispose();
    }
}
