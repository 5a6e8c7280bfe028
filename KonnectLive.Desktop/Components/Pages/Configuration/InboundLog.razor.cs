using KonnectLive.Core.Settings;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

public partial class InboundLog
{
    private const string AllClients = "";
    private static readonly DialogOptions DialogOptions = new() { MaxWidth = MaxWidth.Large, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };
    // The date filter is in the contact centre's days (as every date on screen is), not UTC days.

    [Inject] private InboundLogQuery Query { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<InboundLog> Logger { get; set; } = default!;

    private MudDataGrid<InboundLogRow>? _grid;
    private IReadOnlyList<string> _clientIds = [];
    private string _clientId = AllClients;
    private InboundStatusFilter _status = InboundStatusFilter.All;
    private DateRange? _range;
    private bool _detailsVisible;
    private bool _detailsLoading;
    private InboundLogDetails? _details;

    private bool Filtered => _clientId != AllClients || _status != InboundStatusFilter.All || _range?.Start is not null || _range?.End is not null;

    protected override async Task OnInitializedAsync()
    {
        try { _clientIds = await Query.GetClientIdsAsync(); }
        catch (Exception ex) { Logger.LogError(ex, "Loading inbound client ids failed"); }
    }

    private async Task<GridData<InboundLogRow>> LoadAsync(GridState<InboundLogRow> state, CancellationToken ct)
    {
        try
        {
            var page = await Query.GetPageAsync(new InboundLogRequest(state.Page * state.PageSize, state.PageSize,
                _clientId == AllClients ? null : _clientId, _status, ToUtc(_range?.Start), ToUtc(_range?.End?.AddDays(1))), ct);
            return new GridData<InboundLogRow> { Items = page.Rows, TotalItems = page.Total };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the inbound log failed");
            Snackbar.Add("The inbound log could not be loaded just now.", Severity.Error);
            return new GridData<InboundLogRow> { Items = [], TotalItems = 0 };
        }
    }

    private static DateTime? ToUtc(DateTime? localDate) => KonnectLive.Core.Common.ContactCentreTime.StartOfDayUtc(localDate);

    private static string StatusText(int code) =>
        ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? $"{code} {phrase}" : code.ToString();

    private static string ClientText(string? clientId) => string.IsNullOrEmpty(clientId) ? "All clients" : clientId;

    private static string StatusFilterText(InboundStatusFilter status) => status switch
    {
        InboundStatusFilter.Success => "Success (2xx)",
        InboundStatusFilter.Refused => "Refused (4xx, 5xx)",
        _ => "All statuses",
    };

    private Task OnRowClick(DataGridRowClickEventArgs<InboundLogRow> e) => ShowDetailsAsync(e.Item.Id);

    private async Task ShowDetailsAsync(long id)
    {
        _details = null;
        _detailsLoading = true;
        _detailsVisible = true;
        StateHasChanged();
        try
        {
            _details = await Query.GetDetailsAsync(id);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading inbound request {Id} failed", id);
            Snackbar.Add("That request could not be loaded just now.", Severity.Error);
            _detailsVisible = false;
        }
        finally
        {
            _detailsLoading = false;
        }
    }

    private async Task ReloadAsync()
    {
        try { _clientIds = await Query.GetClientIdsAsync(); }
        catch (Exception ex) { Logger.LogError(ex, "Loading inbound client ids failed"); }
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnClientChanged(string? clientId)
    {
        _clientId = clientId ?? AllClients;
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnStatusChanged(InboundStatusFilter status)
    {
        _status = status;
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task OnRangeChanged(DateRange? range)
    {
        _range = range;
        if (_grid is not null) await _grid.ReloadServerData();
    }
}
