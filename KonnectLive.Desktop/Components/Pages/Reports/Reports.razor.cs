using System.Globalization;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Reports;

/// <summary>
/// Outcomes per agent, declines by reason and the survey funnel for a range of UK days, scoped by the server to the user's dealership
/// (head office may pick one). Each tab offers its figures as a CSV download through a data URL, so no JS is needed.
/// </summary>
public partial class Reports
{
    private static readonly string[] FunnelStages = ["Received", "Messaged", "Called", "Completed"];

    [Inject] private ReportsService Service { get; set; } = default!;
    [Inject] private KonnectLive.Core.Telephony.AgentStates.AgentStateReport AgentStates { get; set; } = default!;
    [Inject] private KonnectLive.Core.Requests.RequestsQuery Requests { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private UserScope? _user;
    private IReadOnlyList<DealershipOption> _dealerships = [];
    private DateRange _dates = new();
    private int? _dealershipId;
    private bool _loading = true;
    private string? _error;
    private OutcomesReport? _outcomes;
    private FunnelReport? _funnel;
    private DeclinedReport? _declined;
    private string? _declinedCsv;
    private string[] _reasonLabels = [];
    private List<ChartSeries<double>> _reasonSeries = [];
    private string? _outcomesCsv;
    private string? _funnelCsv;
    private IReadOnlyList<KonnectLive.Core.Telephony.AgentStates.AgentStateDayRow> _agentStates = [];
    private string? _agentStatesCsv;
    private IReadOnlyList<KonnectLive.Core.Requests.RequestsByTypeRow> _requests = [];
    private string? _requestsCsv;
    private string[] _agentLabels = [];
    private List<ChartSeries<double>> _agentSeries = [];
    private List<ChartSeries<double>> _funnelSeries = [];
    private BarChartOptions _agentOptions = new();
    private BarChartOptions _reasonOptions = new();
    private BarChartOptions _funnelOptions = new();

    private DateTime Today => ReportRange.LastDays(1, Time.GetUtcNow()).To.ToDateTime(TimeOnly.MinValue);

    /// <summary>Each dealership, then the total when there is more than one.</summary>
    private IEnumerable<FunnelRow> FunnelRows =>
        _funnel is null ? [] : _funnel.ByDealership.Count > 1 ? _funnel.ByDealership.Append(_funnel.Total) : _funnel.ByDealership;

    protected override async Task OnInitializedAsync()
    {
        var week = ReportRange.LastDays(7, Time.GetUtcNow());
        _dates = new DateRange(week.From.ToDateTime(TimeOnly.MinValue), week.To.ToDateTime(TimeOnly.MinValue));
        _user = await CurrentUser.GetAsync();
        if (_user is null || !ReportsService.MayRun(_user))
        {
            _error = "Only supervisors and admins can run reports.";
            _loading = false;
            return;
        }
        _dealerships = await Service.DealershipsAsync(_user);
        await LoadAsync();
    }

    private async Task OnDatesChangedAsync(DateRange dates)
    {
        _dates = dates;
        await LoadAsync();
    }

    private async Task OnDealershipChangedAsync(int? dealershipId)
    {
        _dealershipId = dealershipId;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_user is null || _dates.Start is not { } start || _dates.End is not { } end) return;
        _loading = true;
        _error = null;
        _outcomesCsv = _funnelCsv = _declinedCsv = _agentStatesCsv = _requestsCsv = null;
        StateHasChanged();
        try
        {
            var range = new ReportRange(DateOnly.FromDateTime(start), DateOnly.FromDateTime(end));
            _outcomes = await Service.OutcomesAsync(_user, range, _dealershipId);
            _funnel = await Service.FunnelAsync(_user, range, _dealershipId);
            _declined = await Service.DeclinedAsync(_user, range, _dealershipId);
            BuildCharts(_outcomes, _funnel, _declined);
            // Aggregated figures are small, so the files are built with the report and linked directly.
            _outcomesCsv = DataUrl(ReportCsv.Outcomes(_outcomes));
            _funnelCsv = DataUrl(ReportCsv.Funnel(_funnel));
            _declinedCsv = DataUrl(ReportCsv.Declined(_declined));
            _agentStates = await AgentStates.TimePerStateAsync(_user, range, _dealershipId);
            _agentStatesCsv = DataUrl(ReportCsv.AgentStates(_agentStates));
            _requests = await Requests.ByTypeAsync(_user, range, _dealershipId);
            _requestsCsv = DataUrl(ReportCsv.RequestsByType(_requests));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or ArgumentException)
        {
            _error = e.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private void BuildCharts(OutcomesReport outcomes, FunnelReport funnel, DeclinedReport declined)
    {
        _reasonLabels = [.. declined.ByReason.Select(r => r.Name)];
        var reasonCounts = declined.ByReason.Select(r => (double)r.Count).ToArray();
        _reasonSeries = [new ChartSeries<double> { Name = "Declined", Data = reasonCounts }];
        _reasonOptions = ChartScale.ForCounts(reasonCounts, _reasonLabels);
        _agentLabels = [.. outcomes.ByAgent.Select(a => a.Name)];
        var perOutcome = outcomes.ByOutcome.Select(o => (o.Name, Counts: outcomes.ByAgent
            .Select(a => (double)outcomes.Rows.Where(r => r.AgentName == a.Name && r.Outcome == o.Name).Sum(r => r.Count)).ToArray())).ToList();
        _agentSeries = [.. perOutcome.Select(o => new ChartSeries<double> { Name = o.Name, Data = o.Counts })];
        // Each outcome's bars in its own colour, as its button on the calling page.
        _agentOptions = ChartScale.ForCounts(perOutcome.SelectMany(o => o.Counts), _agentLabels,
            ChartScale.OutcomePalette(outcomes.ByOutcome.Select(o => o.Colour)));
        var t = funnel.Total;
        double[] stages = [t.Received, t.Messaged, t.Called, t.Completed];
        _funnelSeries = [new ChartSeries<double> { Name = "Records", Data = stages }];
        _funnelOptions = ChartScale.ForCounts(stages, FunnelStages);
    }

    private string FileName(string report) => _outcomes is null ? $"{report}.csv"
        : $"{report}-{_outcomes.Range.From:yyyy-MM-dd}-to-{_outcomes.Range.To:yyyy-MM-dd}.csv";

    private static string DataUrl(byte[] csv) => "data:text/csv;charset=utf-8;base64," + Convert.ToBase64String(csv);

    /// <summary>h:mm:ss — to the second, so the four states add up to Total exactly as shown.</summary>
    private static string Hours(int seconds) => $"{seconds / 3600}:{seconds % 3600 / 60:00}:{seconds % 60:00}";

    private static string Percent(double rate) => rate.ToString("P1", CultureInfo.GetCultureInfo("en-GB"));
}
