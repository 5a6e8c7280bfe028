using FluentValidation;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Severity = MudBlazor.Severity;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>Configuration → Dealerships: list, create and edit code, name, time zone and sending hours.</summary>
public partial class Dealerships
{
    private static readonly DialogOptions DialogOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };

    /// <summary>The zones the server knows by IANA id: the only ones the validator accepts.</summary>
    private static readonly Lazy<IReadOnlyList<string>> Zones = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Distinct().Order(StringComparer.Ordinal).ToList());

    [Inject] private DealershipService Service { get; set; } = default!;
    [Inject] private IValidator<DealershipInput> Validator { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<Dealerships> Logger { get; set; } = default!;

    private IReadOnlyList<DealershipRow>? _dealerships;
    private UserScope? _me;
    private bool _busy;

    private MudForm? _form;
    private bool _editorVisible;
    private int? _editingId;
    private string _editingName = "";
    private DealershipInput _input = new();
    private TimeSpan? _from;
    private TimeSpan? _until;
    private string? _serverError;

    protected override async Task OnInitializedAsync()
    {
        _me = await CurrentUser.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try { _dealerships = await Service.ListAsync(); }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading dealerships failed");
            _dealerships = [];
            Snackbar.Add("The dealerships could not be loaded just now.", Severity.Error);
        }
    }

    private static Task<IEnumerable<string>> SearchZones(string? text, CancellationToken ct) =>
        Task.FromResult(string.IsNullOrWhiteSpace(text)
            ? Zones.Value.AsEnumerable()
            : Zones.Value.Where(z => z.Contains(text.Trim().Replace(' ', '_'), StringComparison.OrdinalIgnoreCase)));

    private static TimeOnly ToTime(TimeSpan? t) => t is { } v ? TimeOnly.FromTimeSpan(v) : TimeOnly.MinValue;

    private void OpenCreate()
    {
        _editingId = null;
        Open(new DealershipInput());
    }

    private void OpenEdit(DealershipRow d)
    {
        _editingId = d.Id;
        _editingName = d.Name;
        Open(DealershipInput.From(d));
    }

    private void Open(DealershipInput input)
    {
        _input = input;
        _from = input.SendFrom.ToTimeSpan();
        _until = input.SendUntil.ToTimeSpan();
        _serverError = null;
        _editorVisible = true;
    }

    private Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, property) =>
    {
        var result = await Validator.ValidateAsync(ValidationContext<DealershipInput>.CreateWithOptions((DealershipInput)model, o => o.IncludeProperties(property)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };

    private async Task SaveAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;
        _input.SendFrom = ToTime(_from);
        _input.SendUntil = ToTime(_until);
        _busy = true;
        try
        {
            var result = _editingId is { } id ? await Service.UpdateAsync(id, _input, _me) : await Service.CreateAsync(_input, _me);
            Snackbar.Add(result.Message, result.Outcome switch
            {
                DealershipSaveOutcome.Saved => Severity.Success,
                DealershipSaveOutcome.Unchanged => Severity.Info,
                _ => Severity.Warning,
            });
            _editorVisible = !result.Succeeded;
            _serverError = result.Succeeded ? null : result.Message;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Saving a dealership failed");
            Snackbar.Add("That did not work just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }
}
