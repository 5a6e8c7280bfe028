using KonnectLive.Core.Live;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Listens for <see cref="LiveEventKind.CallPop"/> events meant for the signed-in user and shows the caller's card: the
/// app-bar search's three answers (one customer, several to choose from, nobody — with Add contact), scoped to what the
/// agent may see. The lookup runs on the agent's own scope, so a pop never shows another dealership's customer.
/// </summary>
public partial class ScreenPopPanel
{
    [Inject] private ILiveEventSubscriptions LiveEvents { get; set; } = default!;
    [Inject] private ScreenPopQuery Pops { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ILogger<ScreenPopPanel> Logger { get; set; } = default!;

    private UserScope? _user;
    private IDisposable? _subscription;
    private ScreenPop? _pop;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        if (_user is not null) _subscription = LiveEvents.Subscribe(OnLiveEventAsync);
    }

    private async Task OnLiveEventAsync(LiveEvent e)
    {
        if (e.Kind != LiveEventKind.CallPop || _user is null || e.AgentId != _user.UserId || e.Reason is not { } number) return;
        try
        {
            var pop = await Pops.ForNumberAsync(_user, e.CallId ?? "", number);
            await InvokeAsync(() =>
            {
                _pop = pop;
                StateHasChanged();
            });
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            Logger.LogWarning(ex, "Screen pop for call {CallId} could not be shown", e.CallId);
        }
    }

    private static string Summary(ScreenPop pop) => pop.Contacts.Total switch
    {
        0 => "Unknown caller",
        1 => "Known customer",
        var n => $"{n} customers share this number",
    };

    private void Dismiss() => _pop = null;

    public void Dispose() => _subscription?.Dispose();
}
