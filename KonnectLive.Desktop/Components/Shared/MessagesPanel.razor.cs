using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// A customer's queued and sent messages, for the calling page: state, channel, due or sent time, template and
/// recipient, and why one was skipped or failed. A queued message can be cancelled (after a confirming click);
/// the service re-checks the user's dealership and that the message is still queued.
/// </summary>
public partial class MessagesPanel
{
    [Inject] private MessageService Messages { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<MessagesPanel> Logger { get; set; } = default!;

    /// <summary>The customer whose messages are shown.</summary>
    [Parameter, EditorRequired] public int CustomerId { get; set; }

    /// <summary>Only this survey record's messages; null shows all of the customer's.</summary>
    [Parameter] public int? RecordId { get; set; }

    /// <summary>The signed-in user, as loaded from the database (CurrentUser.GetAsync).</summary>
    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;

    /// <summary>Reload this often so a message that goes while the page is open shows as sent; 0 turns it off.</summary>
    [Parameter] public int RefreshEverySeconds { get; set; } = 15;

    private IReadOnlyList<Row>? _rows;
    private long? _confirming;
    private bool _busy;
    private int _loadedFor = -1;
    private int? _loadedRecord;
    private Timer? _timer;

    private sealed record Row(long Id, MessageState State, MessageChannel Channel, string? TemplateName, string? Recipient,
        DateTime DueAt, DateTime? SentAt, DateTime? CompletedAt, string? Reason, bool CanCancel);

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor != CustomerId || _loadedRecord != RecordId) await ReloadAsync();
        if (_timer is null && RefreshEverySeconds > 0)
        {
            var every = TimeSpan.FromSeconds(RefreshEverySeconds);
            _timer = new Timer(_ => _ = InvokeAsync(async () => { if (!_busy && _confirming is null) await ReloadAsync(); }), null, every, every);
        }
    }

    /// <summary>Reloads from the database; the page may call it after something it did (an unsubscribe) changes what will go.</summary>
    public async Task ReloadAsync()
    {
        try
        {
            var rows = await Messages.ForCustomerAsync(Scope, CustomerId);
            _rows = rows.Where(r => RecordId is null || r.SurveyRecordId == RecordId)
                .Select(r => new Row(r.Id, r.State, r.Channel, r.TemplateName, r.Recipient, r.DueAt, r.SentAt, r.CompletedAt,
                    r.State == MessageState.Failed ? r.LastError ?? r.SkipReason : r.SkipReason ?? (r.State == MessageState.Scheduled ? r.LastError : null),
                    r.CanCancel))
                .ToList();
            _loadedFor = CustomerId;
            _loadedRecord = RecordId;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading messages for customer {CustomerId} failed", CustomerId);
            _rows ??= [];
        }
        StateHasChanged();
    }

    private async Task CancelAsync(Row row)
    {
        _busy = true;
        try
        {
            var result = await Messages.CancelAsync(Scope, row.Id);
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Cancelling message {MessageId} failed", row.Id);
            Snackbar.Add("Could not cancel the message just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
            _confirming = null;
        }
        await ReloadAsync();
    }

    private static string When(Row m) => m.State switch
    {
        MessageState.Scheduled => $"due {Format.DateTime(m.DueAt)}",
        MessageState.Sending => "sending now",
        MessageState.Sent => $"sent {Format.DateTime(m.SentAt ?? m.CompletedAt ?? m.DueAt)}",
        _ => $"{StateLabel(m.State).ToLowerInvariant()} {Format.DateTime(m.CompletedAt ?? m.DueAt)}",
    };

    internal static string StateLabel(MessageState state) => state switch
    {
        MessageState.Scheduled => "Queued",
        _ => state.ToString(),
    };

    internal static Color StateColor(MessageState state) => state switch
    {
        MessageState.Scheduled or MessageState.Sending => Color.Info,
        MessageState.Sent => Color.Success,
        MessageState.Failed => Color.Error,
        MessageState.Skipped => Color.Warning,
        _ => Color.Default,
    };

    public void Dispose() => _timer?.Dispose();
}
