using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Calls, messages and customer notes, newest first, paged in the database (<see cref="InteractionHistoryQuery"/>). Either a
/// customer's (<see cref="CustomerId"/>) or, on the search page when nobody matched, a number's or an email's (calls and
/// messages only). Click a row for its details: the call's note and the notes written on it, the message's text and why
/// it was skipped, or the note's full text.
/// </summary>
public partial class InteractionHistory
{
    [Inject] private InteractionHistoryQuery History { get; set; } = default!;
    [Inject] private ILogger<InteractionHistory> Logger { get; set; } = default!;
    [Inject] private AttemptUndoService Undo { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private MudBlazor.ISnackbar Snackbar { get; set; } = default!;

    /// <summary>Told after a call was undone from the history (the page may re-read the customer).</summary>
    [Parameter] public EventCallback OnUndone { get; set; }

    private int _undoMinutes;
    private long? _undoing;

    /// <summary>Undo is offered on the user's own calls (any call for a supervisor) while the window lasts; the server checks again.</summary>
    private bool CanUndo(CallInteraction call) =>
        !call.IsUndone && _undoMinutes > 0 && AttemptUndoService.MayUndo(Scope, call.AgentId)
        && Time.GetUtcNow().UtcDateTime <= AttemptUndoService.UndoableUntil(call.RecordedAt, _undoMinutes);

    private async Task UndoAsync(InteractionItem item)
    {
        if (_undoing is not null) return;
        _undoing = item.Id;
        try
        {
            var result = await Undo.UndoAsync(Scope, item.Id);
            Snackbar.Add(result.Message, result.Outcome == KonnectLive.Core.Common.CommandOutcome.Done ? MudBlazor.Severity.Success : MudBlazor.Severity.Warning);
            await ReloadAsync();
            if (result.Outcome == KonnectLive.Core.Common.CommandOutcome.Done) await OnUndone.InvokeAsync();
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Undoing call {AttemptId} failed", item.Id);
            Snackbar.Add("The call could not be undone just now. Please try again.", MudBlazor.Severity.Error);
        }
        finally
        {
            _undoing = null;
        }
    }

    /// <summary>The customer whose history is shown.</summary>
    [Parameter] public int? CustomerId { get; set; }

    /// <summary>Without a customer: the E.164 number whose calls and SMS are shown.</summary>
    [Parameter] public string? Phone { get; set; }

    /// <summary>Without a customer: the email address whose emails are shown.</summary>
    [Parameter] public string? Email { get; set; }

    /// <summary>The signed-in user (CurrentUser.GetAsync); only their dealership's interactions are shown.</summary>
    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;

    [Parameter] public int PageSize { get; set; } = InteractionHistoryQuery.DefaultPageSize;

    private InteractionPage? _page;
    private int _pageNumber = 1;
    private (int?, string?, string?) _loadedFor;
    private readonly HashSet<string> _expanded = [];

    private int PageCount => _page is null ? 0 : (int)Math.Ceiling(_page.Total / (double)PageSize);

    protected override async Task OnParametersSetAsync()
    {
        if (_page is not null && _loadedFor == (CustomerId, Phone, Email)) return;
        _pageNumber = 1;
        _expanded.Clear();
        try
        {
            _undoMinutes = await Undo.WindowMinutesAsync();
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Reading the undo window failed; undo is not offered");
        }
        await ReloadAsync();
    }

    /// <summary>Reloads the current page; a page may call it after something it did (a note, a message) adds to the history.</summary>
    public async Task ReloadAsync()
    {
        try
        {
            var skip = (_pageNumber - 1) * PageSize;
            _page = CustomerId is { } id
                ? await History.ForCustomerAsync(Scope, id, skip, PageSize)
                : await History.ForAddressAsync(Scope, Phone, Email, skip, PageSize);
            _loadedFor = (CustomerId, Phone, Email);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading the interaction history failed");
            _page ??= new InteractionPage([], 0, 0, PageSize);
        }
        StateHasChanged();
    }

    private async Task GoToPageAsync(int page)
    {
        _pageNumber = page;
        _expanded.Clear();
        await ReloadAsync();
    }

    private void Toggle(string key)
    {
        if (!_expanded.Remove(key)) _expanded.Add(key);
    }

    private void OnRowKey(KeyboardEventArgs e, string key)
    {
        if (e.Key is "Enter" or " ") Toggle(key);
    }

    private static string Key(InteractionItem item) => $"{item.Kind}:{item.Id}";

    internal static string Duration(int seconds) => $"{seconds / 60}:{seconds % 60:D2}";

    private static string CallTypeLabel(CallType type) => type switch
    {
        CallType.Outbound => "Outbound",
        CallType.Inbound => "Inbound",
        CallType.Transfer => "Transfer",
        CallType.Conference => "Conference",
        _ => type.ToString(),
    };

    /// <summary>The customer's side: the caller of an inbound leg, the number dialled otherwise.</summary>
    private static string NumberOf(CallInteraction call)
    {
        var number = call.Leg is { } leg ? (leg.Direction == KonnectLive.Core.Telephony.CallDirection.Inbound ? leg.Ani : leg.Dnis) ?? call.Number : call.Number;
        return number is null ? "—" : PhoneNormaliser.Display(number);
    }

    private static string EndReasonLabel(KonnectLive.Core.Telephony.CallEndReason reason) => reason switch
    {
        KonnectLive.Core.Telephony.CallEndReason.Abandoned => "abandoned",
        KonnectLive.Core.Telephony.CallEndReason.NoAnswer => "no answer",
        KonnectLive.Core.Telephony.CallEndReason.Busy => "busy",
        _ => "completed",
    };

    private static string Recipient(MessageInteraction m) =>
        m.Recipient is null ? "—" : m.Channel == MessageChannel.Sms ? PhoneNormaliser.Display(m.Recipient) : m.Recipient;

    /// <summary>A request chip's tooltip: its fields and values.</summary>
    private static string RequestTitle(KonnectLive.Core.Requests.RequestView r) =>
        r.IsErased ? $"{r.TypeName}: values erased" : r.Summary.Length == 0 ? r.TypeName : $"{r.TypeName}: {r.Summary}";
}
