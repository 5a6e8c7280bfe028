using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Customers;

/// <summary>
/// Search results. The query string holds the search, the filter and the page, so Back from a customer returns to
/// exactly this list. A lone match (without a filter) opens the customer, replacing this entry in the history; none
/// shows the number or email with its interactions and, for those allowed, Add contact.
/// </summary>
public partial class CustomerSearch
{
    public const int PageSize = 25;

    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "filter")] public string? Filter { get; set; }
    [SupplyParameterFromQuery(Name = "page")] public int? PageParameter { get; set; }

    [Inject] private ContactLookup Lookup { get; set; } = default!;
    [Inject] private CustomerProfileService Profiles { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<CustomerSearch> Logger { get; set; } = default!;

    private UserScope? _user;
    private ContactSearchResult? _result;
    private bool _canEdit;
    private string? _filterText;
    private (string?, string?, int)? _loaded;

    private int Page => Math.Max(1, PageParameter ?? 1);
    private int PageCount => _result is null ? 0 : (int)Math.Ceiling(_result.Total / (double)PageSize);

    private string KindNoun => _result?.Kind switch
    {
        LookupKind.Phone => "number",
        LookupKind.Email => "email address",
        _ => "name or registration",
    };

    private string NoMatchTitle => _result switch
    {
        { Phone: { } phone } => PhoneNormaliser.Display(phone),
        { Email: { } email } => email,
        _ => $"No customer matches “{Q}”",
    };

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded == (Q, Filter, Page)) return;
        _loaded = (Q, Filter, Page);
        _filterText = Filter;
        try
        {
            _user ??= await CurrentUser.GetAsync();
            if (_user is null) return;
            _result = await Lookup.SearchAsync(_user, Q, (Page - 1) * PageSize, PageSize, Filter);
            if (_result.IsSingle && string.IsNullOrEmpty(Filter))
            {
                Navigation.NavigateTo(CustomerLinks.Customer(_result.Matches[0].CustomerId), replace: true);
                return;
            }
            _canEdit = _result.Total == 0 && await Profiles.CanEditContactsAsync(_user);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Customer search for {Query} failed", Q);
            Snackbar.Add("The search failed just now. Please try again.", Severity.Error);
            _result ??= ContactSearchResult.Empty;
        }
    }

    // The filter lives in the URL (replacing the entry, not adding one per keystroke), so Back returns to it.
    private void OnFilterChanged(string? value)
    {
        _filterText = value;
        Navigation.NavigateTo(CustomerLinks.Search(Q ?? "", value?.Trim()), replace: true);
    }

    private void GoToPage(int page) =>
        Navigation.NavigateTo(CustomerLinks.Search(Q ?? "", Filter) + (page > 1 ? $"&page={page}" : ""), replace: true);
}
