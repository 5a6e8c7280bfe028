using KonnectLive.Core.Audit;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>Configuration → Audit Log: read-only, server-side paged, newest first, filtered by user, action, customer and date.</summary>
public partial class AuditLog
{
    private const string All = "";
    // The date filter is in the contact centre's days (as every date on screen is), not UTC days.

    [Inject] private AuditLogQuery Query { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<AuditLog> Logger { get; set; } = default!;

    private MudDataGrid<AuditLogRow>? _grid;
    private UserScope? _me;
    private IReadOnlyList<AuditUserOption> _users = [];
    private IReadOnlyList<string> _actions = [];
    private string _userId = All;
    private string _action = All;
    private int? _customerId;
    private DateRange? _range;

    private bool Filtered => _userId != All || _action != All || _customerId is not null || _range?.Start is not null || _range?.End is not null;

    protected override async Task OnInitializedAsync()
    {
        _me = await CurrentUser.GetAsync();
        await LoadFiltersAsync();
    }

    private async Task LoadFiltersAsync()
    {
        try
        {
            _users = await Query.GetUsersAsync(_me);
            _actions = await Query.GetActionsAsync(_me);
        }
        catch (UnauthorizedAccessException) { } // the grid says so
        catch (Exception ex) { Logger.LogError(ex, "Loading the audit log filters failed"); }
    }

    private async Task<GridData<AuditLogRow>> LoadAsync(GridState<AuditLogRow> state, CancellationToken ct)
    {
        try
        {
            // The grid can ask before OnInitializedAsync has finished.
            _me ??= await CurrentUser.GetAsync(ct);
            var page = await Query.GetPageAsync(_me, new AuditLogRequest(state.Page * state.PageSize, state.PageSize,
                _userId == All ? null : _userId, _action == All ? null : _action, _customerId,
                ToUtc(_range?.Start), ToUtc(_range?.End?.AddDays(1))), ct);
            return new GridData<AuditLogRow> { Items = page.Rows, TotalItems = page.Total };
        }
        catch (UnauthorizedAccessException)
        {
            Snackbar.Add("Only administrators can read the audit log.", Severity.Warning);
            return new GridData<AuditLogRow> { Items = [], TotalItems = 0 };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the audit log failed");
            Snackbar.Add("The audit log could not be loaded just now.", Severity.Error);
            return new GridData<AuditLogRow> { Items = [], TotalItems = 0 };
        }
    }

    private static DateTime? ToUtc(DateTime? localDate) => KonnectLive.Core.Common.ContactCentreTime.StartOfDayUtc(localDate);

    private string UserText(string? userId) =>
        string.IsNullOrEmpty(userId) ? "Everyone" : _users.FirstOrDefault(u => u.UserId == userId)?.Name ?? userId;

    private static string Subject(AuditLogRow row) =>
        row.EntityType is null ? "" : row.EntityId is null ? row.EntityType : $"{Kind(row.EntityType)} {row.SubjectName ?? row.EntityId}";

    /// <summary>"CallOutcome" reads as "Outcome", "DeclineReason" as "Decline reason".</summary>
    private static string Kind(string entityType) => entityType switch
    {
        "CallOutcome" => "Outcome",
        "DeclineReason" => "Decline reason",
        "MessageTemplate" => "Template",
        "ApiClient" => "API client",
        "SurveyRecord" => "Survey",
        "CustomerNote" => "Note",
        "CustomFieldDefinition" => "Customer field",
        "ScheduledMessage" => "Message",
        "InboundRequest" => "Inbound request",
        "CallAttempt" => "Call",
        "AppSettings" or "CsiSettings" => "Settings",
        _ => entityType,
    };

    private async Task ReloadAsync()
    {
        await LoadFiltersAsync();
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnUserChanged(string? userId)
    {
        _userId = userId ?? All;
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnActionChanged(string? action)
    {
        _action = action ?? All;
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnCustomerChanged(int? customerId)
    {
        _customerId = customerId;
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnRangeChanged(DateRange? range)
    {
        _range = range;
        if (_grid is not null) await _grid.ReloadServerData();
    }
}
