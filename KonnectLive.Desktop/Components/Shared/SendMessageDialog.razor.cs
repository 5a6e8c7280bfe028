using KonnectLive.Core.Common;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>
/// Choose SMS or email (a channel that cannot be used is greyed out with the reason), a template or free text, see
/// the text as it will go, and send. <see cref="SendNowService"/> checks everything again and queues the message due
/// now; the dispatcher sends it. Closes with the new message's id.
/// </summary>
public partial class SendMessageDialog
{
    [Inject] private SendNowService SendNow { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<SendMessageDialog> Logger { get; set; } = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired] public int CustomerId { get; set; }
    [Parameter, EditorRequired] public UserScope Scope { get; set; } = default!;

    // One id per dialog: a double click or a retry queues one message (the service's idempotency key).
    private readonly Guid _requestId = Guid.NewGuid();
    private SendNowAvailability? _availability;
    private bool _loading = true;
    private MessageChannel _channel;
    private bool _useTemplate = true;
    private IReadOnlyList<SendNowTemplate> _templates = [];
    private int? _templateId;
    private RenderedMessage? _templatePreview;
    private string? _subject;
    private string? _body;
    // What each placeholder becomes for this customer: an agent's own text is previewed filled in, as it will be sent.
    private IReadOnlyDictionary<string, string>? _values;
    private bool _sending;
    private string? _error;

    private bool CanSendOnChannel => _availability?.For(_channel).CanSend == true;
    private int MaxBody => _channel == MessageChannel.Sms ? SendNowRequest.MaxSmsLength : SendNowRequest.MaxEmailLength;

    private bool HasContent => _useTemplate
        ? _templateId is not null
        : !string.IsNullOrWhiteSpace(_body) && (_channel == MessageChannel.Sms || !string.IsNullOrWhiteSpace(_subject))
          && UnknownIn(_body) is null && (_channel == MessageChannel.Sms || UnknownIn(_subject) is null);

    private bool CanSend => !_sending && CanSendOnChannel && HasContent;

    private RenderedMessage? Preview => _useTemplate
        ? _templatePreview
        : string.IsNullOrWhiteSpace(_body) ? null : new RenderedMessage(_channel == MessageChannel.Email ? Fill(_subject) : null, Fill(_body)!);

    private string? Fill(string? text) => text is null || _values is null ? text : TemplateRenderer.Render(text, _values);

    /// <summary>What is wrong with the placeholders typed in <paramref name="text"/>; null when each one is known.</summary>
    private static string? UnknownIn(string? text) =>
        TemplateRenderer.UnknownPlaceholders(text).Count == 0 ? null : TemplateRenderer.UnknownPlaceholdersMessage(text);

    private string? SmsHelp
    {
        get
        {
            if (_channel != MessageChannel.Sms || string.IsNullOrEmpty(_body)) return null;
            // The customer receives the text filled in, so that is what is counted.
            var count = SmsSegments.Count(Fill(_body)!);
            return $"{Wording.Plural(count.Segments, "SMS part")}{(count.Encoding == SmsEncoding.Ucs2 ? " (special characters: fewer per part)" : "")}";
        }
    }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _availability = await SendNow.GetAvailabilityAsync(Scope, CustomerId);
            if (_availability is not null)
            {
                _channel = _availability.Sms.CanSend || !_availability.Email.CanSend ? MessageChannel.Sms : MessageChannel.Email;
                await LoadTemplatesAsync();
                _values = await SendNow.PlaceholderValuesAsync(Scope, CustomerId);
            }
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading send-message options for customer {CustomerId} failed", CustomerId);
            _error = "Could not load the customer's contact details just now.";
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task ChannelChangedAsync(MessageChannel channel)
    {
        _channel = channel;
        _error = null;
        await LoadTemplatesAsync();
    }

    private Task SourceChangedAsync(bool useTemplate)
    {
        _useTemplate = useTemplate;
        _error = null;
        return Task.CompletedTask;
    }

    private async Task LoadTemplatesAsync()
    {
        _templateId = null;
        _templatePreview = null;
        _templates = await SendNow.TemplatesAsync(_channel);
        if (_templates.Count == 0) _useTemplate = false;
        else if (_templates.Count == 1) await TemplateChangedAsync(_templates[0].Id);
    }

    private async Task TemplateChangedAsync(int? templateId)
    {
        _templateId = templateId;
        _templatePreview = null;
        if (templateId is not { } id) return;
        try
        {
            _templatePreview = await SendNow.PreviewAsync(Scope, CustomerId, id);
        }
        catch (Exception ex)
        {
            // The preview is a courtesy: without it the template still goes, rendered at send time.
            Logger.LogWarning(ex, "Previewing template {TemplateId} for customer {CustomerId} failed", id, CustomerId);
            var t = _templates.FirstOrDefault(x => x.Id == id);
            _templatePreview = t is null ? null : new RenderedMessage(t.Subject, t.Body);
        }
    }

    private async Task SendAsync()
    {
        if (!CanSend) return;
        _sending = true;
        _error = null;
        try
        {
            var request = new SendNowRequest(CustomerId, _channel, _useTemplate ? _templateId : null,
                _useTemplate || _channel == MessageChannel.Sms ? null : _subject, _useTemplate ? null : _body, _requestId);
            var result = await SendNow.SendAsync(Scope, request);
            if (result.Succeeded)
            {
                Snackbar.Add(result.Message, Severity.Success);
                Dialog.Close(DialogResult.Ok(result.MessageId!.Value));
                return;
            }
            _error = result.Message;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Sending a message now to customer {CustomerId} failed", CustomerId);
            _error = "Could not queue the message just now. Please try again.";
        }
        finally
        {
            _sending = false;
        }
    }

    /// <summary>Adds a placeholder at the end of the message (a text field's caret is not known on the server).</summary>
    private void Insert(string placeholder)
    {
        var text = _body ?? "";
        _body = text + (text.Length == 0 || char.IsWhiteSpace(text[^1]) ? "" : " ") + "{" + placeholder + "}";
    }

    private void Cancel() => Dialog.Cancel();

    private static string ChannelLabel(MessageChannel channel) => channel == MessageChannel.Sms ? "SMS" : "Email";
}
