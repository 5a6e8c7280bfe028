using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Customers;

/// <summary>
/// One customer: filled-in details, custom fields, interaction history beside the survey status timeline, messages
/// and notes. A customer of a dealership the user may not see is "not found" — nothing of theirs is loaded.
/// Edit is offered to those who may edit contacts; the service checks again on save.
/// </summary>
public partial class CustomerPage
{
    [Parameter] public int Id { get; set; }

    [Inject] private CustomerProfileService Profiles { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<CustomerPage> Logger { get; set; } = default!;

    private UserScope? _user;
    private CustomerProfile? _profile;
    private bool _loading = true;
    private bool _editing;
    private bool _busy;
    private ContactInput? _input;
    private IReadOnlyDictionary<string, string[]>? _serverErrors;
    private InteractionHistory? _history;
    private MessagesPanel? _messages;
    private int? _loadedId;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == Id) return;
        _loadedId = Id;
        _loading = true;
        _editing = false;
        try
        {
            _user = await CurrentUser.GetAsync();
            _profile = _user is null ? null : await Profiles.GetAsync(_user, Id);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading customer {CustomerId} failed", Id);
            _profile = null;
        }
        finally
        {
            _loading = false;
        }
    }

    private void StartEdit()
    {
        if (_profile is null) return;
        _input = ContactInput.From(_profile);
        _serverErrors = null;
        _editing = true;
    }

    private async Task SaveAsync()
    {
        if (_user is null || _input is null) return;
        _busy = true;
        try
        {
            var result = await Profiles.UpdateAsync(_user, Id, _input);
            _serverErrors = result.Errors;
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
            if (result.Succeeded)
            {
                _editing = false;
                _profile = await Profiles.GetAsync(_user, Id);
            }
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Saving customer {CustomerId} failed", Id);
            Snackbar.Add("Could not save the contact just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task OnErasedAsync()
    {
        _loadedId = null; // read the customer again: what is left after the erasure
        await OnParametersSetAsync();
    }

    private async Task OnMessageSentAsync(long _)
    {
        if (_history is not null) await _history.ReloadAsync();
        if (_messages is not null) await _messages.ReloadAsync();
    }

    /// <summary>Notes are rows of the history too: show the added, edited or deleted one there without a page reload.</summary>
    private async Task OnNotesChangedAsync()
    {
        if (_history is not null) await _history.ReloadAsync();
    }

    /// <summary>Back to wherever the agent came from (search results keep their query and filter in the URL).</summary>
    private async Task GoBackAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("history.back");
        }
        catch (JSException)
        {
            Navigation.NavigateTo("");
        }
    }

    internal static Color StatusColor(SurveyStatus status) => status switch
    {
        SurveyStatus.Awaiting => Color.Warning,
        SurveyStatus.Pending => Color.Info,
        SurveyStatus.Completed => Color.Success,
        SurveyStatus.Rejected or SurveyStatus.Expired => Color.Default,
        _ => Color.Default,
    };
}
