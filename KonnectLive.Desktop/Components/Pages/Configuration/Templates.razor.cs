using FluentValidation;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Severity = MudBlazor.Severity;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>Admins create and edit message templates; the preview renders the form's text against a real survey record as it is typed.</summary>
public partial class Templates
{
    [Inject] private MessageTemplateService Service { get; set; } = default!;
    [Inject] private IValidator<MessageTemplate> Validator { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<MessageTemplate> _templates = [];
    private IReadOnlyList<PreviewRecord> _previewRecords = [];
    private int? _previewId;
    private MessageTemplate? _edit;
    private MudForm? _form;
    private IReadOnlyList<string> _errors = [];
    private UserScope? _user;
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        _templates = await Service.ListAsync();
        if (_user is not null) _previewRecords = await Service.PreviewRecordsAsync(_user);
        _previewId = _previewRecords.FirstOrDefault()?.Id;
    }

    private RenderedMessage? Preview =>
        _edit is null || _previewRecords.FirstOrDefault(r => r.Id == _previewId) is not { } record ? null : Service.Preview(_edit, record.Data);

    private async Task<IEnumerable<string>> ValidateValue(object model, string propertyName)
    {
        var result = await Validator.ValidateAsync(ValidationContext<MessageTemplate>.CreateWithOptions((MessageTemplate)model, o => o.IncludeProperties(propertyName)));
        return result.Errors.Select(e => e.ErrorMessage);
    }

    private void New(MessageChannel channel)
    {
        _errors = [];
        _edit = new MessageTemplate
        {
            Channel = channel,
            Subject = channel == MessageChannel.Email ? "A message from {DealershipName}" : null,
            Body = channel == MessageChannel.Sms ? "Hi {CustomerFirstName}, " : "Dear {CustomerName},\n\n",
        };
    }

    // Edit a copy: the list keeps showing what is saved until Save succeeds.
    private void Edit(MessageTemplate t)
    {
        _errors = [];
        _edit = new MessageTemplate { Id = t.Id, Name = t.Name, Channel = t.Channel, Subject = t.Subject, Body = t.Body, IsActive = t.IsActive };
    }

    private void Append(string placeholder)
    {
        if (_edit is null) return;
        _edit.Body = _edit.Body + (_edit.Body.Length == 0 || _edit.Body.EndsWith(' ') || _edit.Body.EndsWith('\n') ? "" : " ") + "{" + placeholder + "}";
    }

    private async Task SaveAsync()
    {
        if (_edit is null || _user is null) return;
        if (_form is not null)
        {
            await _form.ValidateAsync();
            if (!_form.IsValid) return;
        }
        _busy = true;
        try
        {
            var result = await Service.SaveAsync(_user, _edit);
            _errors = result.Errors;
            if (!result.Succeeded) return;
            Snackbar.Add($"Template '{result.Template!.Name}' saved.", Severity.Success);
            _templates = await Service.ListAsync();
            Edit(result.Template);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SetActiveAsync(MessageTemplate t, bool active)
    {
        if (_user is null) return;
        try
        {
            await Service.SetActiveAsync(_user, t.Id, active);
        }
        catch (UnauthorizedAccessException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            return;
        }
        _templates = await Service.ListAsync();
        if (_edit?.Id == t.Id) _edit.IsActive = active;
        Snackbar.Add($"'{t.Name}' is now {(active ? "active" : "inactive")}.", Severity.Info);
    }
}
