using KonnectLive.Core.Customers.Profile;
using KonnectLive.Desktop.Components.Pages.Customers;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Finds a customer from anywhere: phone (any format), email, name or registration, within what the user may see.
/// One match goes straight to the customer page; several, or none, go to the search page, which lists them or shows
/// the number's history with Add contact.
/// </summary>
public partial class ContactSearchBox
{
    [Inject] private ContactLookup Lookup { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<ContactSearchBox> Logger { get; set; } = default!;

    private string? _text;
    private bool _busy;

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key is "Enter" or "NumpadEnter") await SearchAsync();
    }

    private async Task SearchAsync()
    {
        var text = _text?.Trim();
        if (string.IsNullOrEmpty(text) || _busy) return;
        _busy = true;
        try
        {
            var user = await CurrentUser.GetAsync();
            if (user is null) return;
            var result = await Lookup.SearchAsync(user, text, 0, 2);
            Navigation.NavigateTo(result.IsSingle ? CustomerLinks.Customer(result.Matches[0].CustomerId) : CustomerLinks.Search(text));
            _text = null;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Customer search failed");
            Snackbar.Add("The search failed just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }
}
