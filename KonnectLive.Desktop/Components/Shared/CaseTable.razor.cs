using KonnectLive.Core.Cases;
using KonnectLive.Core.Common;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

public partial class CaseTable
{
    [Inject] private CaseService Cases { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;
    [Parameter, EditorRequired] public CaseFilter Filter { get; set; } = new();
    [Parameter] public bool ShowCustomer { get; set; } = true;
    [Parameter] public bool ShowDealership { get; set; } = true;
    [Parameter] public string EmptyText { get; set; } = "No cases match.";
    [Parameter] public EventCallback<CasePage> OnLoaded { get; set; }

    private CasePage? _page;
    private CaseFilter? _loaded;
    private readonly Dictionary<long, IReadOnlyList<CaseSessionRow>> _open = [];
    private bool _busy;

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded == Filter) return;
        await ReloadAsync();
    }

    public async Task ReloadAsync()
    {
        _loaded = Filter;
        _page = await Cases.ListAsync(Scope, Filter);
        foreach (var id in _open.Keys.ToList())
            _open[id] = await Cases.SessionsAsync(Scope, id);
        await OnLoaded.InvokeAsync(_page);
    }

    private async Task ToggleAsync(long caseId)
    {
        if (!_open.Remove(caseId)) _open[caseId] = await Cases.SessionsAsync(Scope, caseId);
    }

    private async Task ChangeAsync(CaseRow row, bool close)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var result = close ? await Cases.CloseAsync(Scope, row.Id) : await Cases.ReopenAsync(Scope, row.Id);
            Snackbar.AddOutcome(result.Message, result.Outcome);
            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
