using KonnectLive.Core.Calling;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Choosing and confirming a call outcome. Each behaviour asks for what CallingService needs: a call-back time, a
/// decline reason, the wrong number, a note. Missing inputs are shown inline and Confirm raises nothing until they are
/// filled; the service still checks everything (and says why in the page's snackbar if it refuses).
/// </summary>
public partial class OutcomePanel
{
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Parameter, EditorRequired] public IReadOnlyList<OutcomeView> Outcomes { get; set; } = [];
    [Parameter] public IReadOnlyList<PhoneView> Phones { get; set; } = [];
    /// <summary>The number the agent last clicked to call; preselected on confirmation.</summary>
    [Parameter] public string? DialledNumber { get; set; }
    /// <summary>The signed-in user, needed to add a decline reason.</summary>
    [Parameter] public UserScope? Scope { get; set; }
    /// <summary>No outcome can be chosen or confirmed (what was chosen and typed stays, for when it is enabled again).</summary>
    [Parameter] public bool Disabled { get; set; }
    [Parameter] public bool Busy { get; set; }
    [Parameter] public EventCallback<OutcomeChoice> OnConfirm { get; set; }
    /// <summary>Offer Confirm &amp; next (the page holds the customer, so it can move on to the next).</summary>
    [Parameter] public bool OfferConfirmAndNext { get; set; }

    private bool _andNext;

    /// <summary>Key 1–9: chooses the outcome with that number, as shown on its button. False when there is none to choose.</summary>
    public bool SelectNumber(int number)
    {
        if (Disabled || Busy || number < 1 || number > Math.Min(9, Outcomes.Count)) return false;
        Select(Outcomes[number - 1]);
        return true;
    }

    /// <summary>Esc: from the confirmation step, back to the choice (what was typed in the note stays), as Go Back does.
    /// False when no outcome is chosen, so the page takes Esc as "back to the chase list".</summary>
    public bool GoBackFromKey()
    {
        if (_selected is null || Busy) return false;
        GoBack();
        return true;
    }

    /// <summary>Enter: confirms the chosen outcome, as the Confirm button does (nothing when none is chosen).</summary>
    public Task ConfirmFromKeyAsync() => _selected is null || Busy ? Task.CompletedTask : ConfirmAsync(false);

    private OutcomeView? _selected;
    private string? _numberDialled;
    private string? _note;
    private DateTime? _callbackDate;
    private TimeSpan? _callbackTime;
    private bool _reserve = true;
    private int? _declineReasonId;
    private bool _attempted; // required-field messages wait for the first Confirm; a past call-back time shows at once

    public OutcomeView? Selected => _selected;

    private bool IsWrongNumber => _selected?.Behaviour == OutcomeBehaviour.WrongNumber;

    private DateTime? CallbackUtc =>
        _callbackDate is { } date && _callbackTime is { } time ? FollowUpText.ToUtc(date, time) : null;

    private string? CallbackError
    {
        get
        {
            if (_selected?.Behaviour != OutcomeBehaviour.CallBackLater) return null;
            if (_callbackDate is not null && _callbackTime is not null)
            {
                if (CallbackUtc is not { } at) return "That time does not exist on the UK clock (the clocks go forward). Choose another.";
                var now = Clock.GetUtcNow().UtcDateTime;
                if (at <= now) return "The call-back time must be in the future.";
                if (at < now + CallingService.MinCallbackLead)
                    return $"A call-back must be at least {CallingService.MinCallbackLead.TotalMinutes:0} minutes from now; for a sooner call, keep the customer open.";
                if (at > now + CallingService.MaxCallbackLead)
                    return $"A call-back can be at most {CallingService.MaxCallbackLead.TotalDays:0} days ahead.";
                return null;
            }
            if (!_attempted) return null;
            return (_callbackDate, _callbackTime) switch
            {
                (null, null) => "Choose when to call back: a date and a time, or one of the quick choices.",
                (null, _) => "Choose the call-back date.",
                _ => "Choose the call-back time.",
            };
        }
    }

    private string? DeclineError =>
        _attempted && _selected?.Behaviour == OutcomeBehaviour.CustomerDeclined && _declineReasonId is null
            ? "Choose the reason the customer gave, or add it with +."
            : null;

    private string? NumberError =>
        _attempted && IsWrongNumber && string.IsNullOrWhiteSpace(_numberDialled)
            ? Phones.Any(p => p.IsCallable) ? "Choose the number that was wrong." : "There is no callable number left to mark as wrong."
            : null;

    private string? NoteError =>
        _attempted && _selected?.RequiresNote == true && string.IsNullOrWhiteSpace(_note)
            ? "This outcome needs a note: say briefly what happened."
            : null;

    private bool HasErrors => CallbackError is not null || DeclineError is not null || NumberError is not null || NoteError is not null;

    private ElementReference _confirmStep;
    private ElementReference _choiceStep;
    private bool _moveFocus;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_moveFocus) return;
        _moveFocus = false;
        try
        {
            await (_selected is null ? _choiceStep : _confirmStep).FocusAsync();
        }
        catch (Exception ex) when (ex is JSException or InvalidOperationException or TaskCanceledException)
        {
            // Focus is a convenience: a disconnected circuit or a test renderer without a browser must not break the step.
        }
    }

    private void Select(OutcomeView outcome)
    {
        _selected = outcome;
        _moveFocus = true;
        _numberDialled = DialledNumber is { } dialled && Phones.Any(p => p.IsCallable && p.Number == dialled)
            ? dialled
            : Phones.FirstOrDefault(p => p.IsCallable)?.Number;
        _callbackDate = null;
        _callbackTime = null;
        _reserve = true;
        _declineReasonId = null;
        _attempted = false;
    }

    private void GoBack()
    {
        _selected = null;
        _moveFocus = true;
    }

    private Task ConfirmAsync(bool andNext)
    {
        if (_selected is null || Disabled) return Task.CompletedTask;
        _andNext = andNext;
        _attempted = true;
        if (HasErrors) return Task.CompletedTask;
        var behaviour = _selected.Behaviour;
        return OnConfirm.InvokeAsync(new OutcomeChoice(_selected.Id, _selected.Name, _numberDialled, _note,
            CallbackAt: behaviour == OutcomeBehaviour.CallBackLater ? CallbackUtc : null,
            DeclineReasonId: behaviour == OutcomeBehaviour.CustomerDeclined ? _declineReasonId : null,
            ReserveCallback: behaviour == OutcomeBehaviour.CallBackLater && _selected.CallbackReserveMinutes > 0 && _reserve,
            AndNext: andNext));
    }

    private static string BehaviourIcon(OutcomeBehaviour behaviour) => behaviour switch
    {
        OutcomeBehaviour.KeepOnList => Icons.Material.Filled.FormatListBulleted,
        OutcomeBehaviour.TakeOffList => Icons.Material.Filled.PlaylistRemove,
        OutcomeBehaviour.CallBackLater => Icons.Material.Filled.Schedule,
        OutcomeBehaviour.CustomerDeclined => Icons.Material.Filled.DoNotDisturbOn,
        OutcomeBehaviour.WrongNumber => Icons.Material.Filled.PhoneDisabled,
        _ => Icons.Material.Filled.Info,
    };

    internal static Color ColourOf(OutcomeView outcome) =>
        Enum.TryParse<Color>(outcome.Colour, ignoreCase: true, out var c) ? c : Color.Default;
}
