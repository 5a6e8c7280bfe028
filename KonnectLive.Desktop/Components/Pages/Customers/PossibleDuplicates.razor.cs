using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Duplicates;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Customers;

/// <summary>
/// Customers → Possible duplicates (admins): each pair side by side, with Merge (keeping either one) and Different
/// people. The service re-checks the admin and refuses a merge while either customer is being called; the page says so.
/// </summary>
public partial class PossibleDuplicates
{
    [SupplyParameterFromQuery(Name = "customer")] public int? CustomerFilter { get; set; }

    [Inject] private PossibleDuplicatesService Service { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<PossibleDuplicates> Logger { get; set; } = default!;

    private UserScope? _me;
    private DuplicatePage? _page;
    private bool _busy;

    protected override async Task OnParametersSetAsync()
    {
        _me ??= await CurrentUser.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try { _page = await Service.ListAsync(_me, CustomerFilter); }
        catch (UnauthorizedAccessException)
        {
            _page = new DuplicatePage([], 0);
            Snackbar.Add(PossibleDuplicatesService.AdminOnly, Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading possible duplicates failed");
            _page = new DuplicatePage([], 0);
            Snackbar.Add("The possible duplicates could not be loaded just now. Please reload the page.", Severity.Error);
        }
    }

    private async Task MergeAsync(DuplicatePair pair, DuplicateCustomerView keep, DuplicateCustomerView mergeAway)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Merge these customers?",
            $"{mergeAway.FullName} (#{mergeAway.Id}) is merged into {keep.FullName} (#{keep.Id}): survey records, calls, notes, messages, vehicles, " +
            $"numbers and custom fields move to #{keep.Id}, the stricter consent of a shared number is kept, and #{mergeAway.Id} is deleted. " +
            "This cannot be undone.", yesText: "Merge", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(() => Service.MergeAsync(_me, keep.Id, mergeAway.Id));
    }

    private async Task DifferentPeopleAsync(DuplicatePair pair)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Different people?",
            $"{pair.First.FullName} (#{pair.First.Id}) and {pair.Second.FullName} (#{pair.Second.Id}) stay two customers and are not offered " +
            "as possible duplicates again.", yesText: "Different people", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(() => Service.MarkDifferentPeopleAsync(_me, pair.First.Id, pair.Second.Id));
    }

    /// <summary>One action at a time, the service's message as a snackbar, and a fresh list after.</summary>
    private async Task RunAsync(Func<Task<CommandResult>> action)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var result = await action();
            Snackbar.Add(result.Message, result.Outcome switch
            {
                CommandOutcome.Done => Severity.Success,
                CommandOutcome.Unchanged => Severity.Info,
                _ => Severity.Warning,
            });
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Possible duplicates action failed");
            Snackbar.Add("That did not work just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }

    private static string EmailText(DuplicateCustomerView c) =>
        c.Email is null ? "–" : c.EmailUnsubscribed ? $"{c.Email} (unsubscribed)" : c.Email;

    private static string PhonesText(DuplicateCustomerView c) => c.Phones.Count == 0 ? "–" : string.Join("\n", c.Phones.Select(p =>
    {
        var notes = new List<string> { p.Type };
        if (p.CallUnsubscribed) notes.Add("calls unsubscribed");
        if (p.SmsUnsubscribed) notes.Add("SMS unsubscribed");
        if (p.WrongNumber) notes.Add("wrong number");
        return $"{PhoneNormaliser.Display(p.Number)} ({string.Join(", ", notes)})";
    }));

    private static string VehiclesText(DuplicateCustomerView c) =>
        c.Vehicles.Count == 0 ? "–" : string.Join("\n", c.Vehicles.Select(v => v.Description.Length == 0 ? v.Registration : $"{v.Registration} {v.Description}"));

    private static string SurveysText(DuplicateCustomerView c) => c.Surveys.Count == 0 ? "–" : string.Join("\n", c.Surveys.Select(s =>
        $"{s.FocusRecordId} {s.Status}{(s.Registration is null ? "" : " · " + s.Registration)}{(s.LockHolderName is null ? "" : $" · being called by {s.LockHolderName}")}"));

    private static string CountsText(DuplicateCustomerView c) => $"{c.Calls} · {c.Notes} · {c.Messages}";
}
