using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using KonnectLive.Core.Inbound;

namespace KonnectLive.Core.Telephony;

/// <summary>One call event as posted to <c>POST /api/v1/telephony/events</c>. Every field is read as text and checked by
/// <see cref="CallEventInputValidator"/>, so a wrong value is named in the answer rather than failing the whole read.</summary>
public sealed class CallEventInput
{
    /// <summary>The provider's unique id for this event (resending it is harmless).</summary>
    /// <example>e-1</example>
    public string? EventId { get; set; }
    /// <example>c-1</example>
    public string? CallId { get; set; }
    /// <summary>offered, answered, transferred, conferenced, held, resumed, ended or recording.</summary>
    /// <example>offered</example>
    public string? Type { get; set; }
    /// <summary>ISO 8601 with an offset or Z.</summary>
    /// <example>2026-12-01T10:00:00Z</example>
    public string? OccurredAt { get; set; }
    /// <summary>inbound or outbound (required on offered).</summary>
    public string? Direction { get; set; }
    /// <summary>The calling number.</summary>
    public string? Ani { get; set; }
    /// <summary>The number called.</summary>
    public string? Dnis { get; set; }
    public string? Queue { get; set; }
    public string? Language { get; set; }
    /// <summary>The agent's KonnectLive user name or extension (required on answered, transferred and conferenced).</summary>
    public string? Agent { get; set; }
    /// <summary>On ended: completed, abandoned, no_answer or busy.</summary>
    public string? Reason { get; set; }
    /// <summary>On recording: where the recording can be played (http or https).</summary>
    public string? RecordingUrl { get; set; }

    internal static CallEventType? ParseType(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        "offered" => CallEventType.Offered,
        "answered" => CallEventType.Answered,
        "transferred" => CallEventType.Transferred,
        "conferenced" => CallEventType.Conferenced,
        "held" => CallEventType.Held,
        "resumed" => CallEventType.Resumed,
        "ended" => CallEventType.Ended,
        "recording" => CallEventType.Recording,
        _ => null,
    };

    internal static CallDirection? ParseDirection(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        "inbound" => CallDirection.Inbound,
        "outbound" => CallDirection.Outbound,
        _ => null,
    };

    internal static CallEndReason? ParseReason(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        "completed" => CallEndReason.Completed,
        "abandoned" => CallEndReason.Abandoned,
        "no_answer" or "noanswer" or "no-answer" => CallEndReason.NoAnswer,
        "busy" => CallEndReason.Busy,
        _ => null,
    };

    internal static DateTime? ParseTime(string? s) =>
        s is { Length: > 0 and <= 40 } && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
        && (s.EndsWith('Z') || s.EndsWith('z') || Regex.IsMatch(s, @"[+-]\d{2}:?\d{2}$"))
            ? t.UtcDateTime : null;
}

public sealed class CallEventInputValidator : AbstractValidator<CallEventInput>
{
    public const int MaxTextLength = 100;
    private static readonly Regex IdPattern = new(@"^[A-Za-z0-9._:@/+-]{1,100}$", RegexOptions.Compiled);
    private static readonly Regex NumberPattern = new(@"^\+?[0-9 ()\-.]{1,32}$", RegexOptions.Compiled);
    private static readonly Regex LanguagePattern = new(@"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,2}$", RegexOptions.Compiled);

    public CallEventInputValidator(TimeProvider time)
    {
        RuleFor(e => e.EventId).NotEmpty().WithMessage("eventId is required.")
            .Matches(IdPattern).WithMessage("eventId must be 1 to 100 letters, digits or . _ : @ / + -.");
        RuleFor(e => e.CallId).NotEmpty().WithMessage("callId is required.")
            .Matches(IdPattern).WithMessage("callId must be 1 to 100 letters, digits or . _ : @ / + -.");
        RuleFor(e => e.Type).NotEmpty().WithMessage("type is required.")
            .Must(t => CallEventInput.ParseType(t) is not null)
            .WithMessage("type must be offered, answered, transferred, conferenced, held, resumed, ended or recording.");
        RuleFor(e => e.OccurredAt).NotEmpty().WithMessage("occurredAt is required.")
            .Must(t => CallEventInput.ParseTime(t) is not null).WithMessage("occurredAt must be an ISO 8601 time with an offset or Z, e.g. 2026-12-01T10:00:00Z.")
            .Must(t => CallEventInput.ParseTime(t) is not { } at || (at <= time.GetUtcNow().UtcDateTime.AddMinutes(5) && at >= time.GetUtcNow().UtcDateTime.AddDays(-30)))
            .WithMessage("occurredAt must be within the last 30 days and not in the future.");
        RuleFor(e => e.Direction).Must(d => d is null || CallEventInput.ParseDirection(d) is not null)
            .WithMessage("direction must be inbound or outbound.");
        RuleFor(e => e.Direction).NotEmpty().When(e => CallEventInput.ParseType(e.Type) == CallEventType.Offered)
            .WithMessage("direction is required on an offered event.");
        RuleFor(e => e.Ani).Must(n => n is null || NumberPattern.IsMatch(n)).WithMessage("ani must be a phone number (digits, spaces, + ( ) - .; at most 32).");
        RuleFor(e => e.Dnis).Must(n => n is null || NumberPattern.IsMatch(n)).WithMessage("dnis must be a phone number (digits, spaces, + ( ) - .; at most 32).");
        RuleFor(e => e.Queue).MaximumLength(50).WithMessage("queue can be at most 50 characters.");
        RuleFor(e => e.Language).Must(l => l is null || LanguagePattern.IsMatch(l)).WithMessage("language must be a language tag such as en or en-GB.");
        RuleFor(e => e.Agent).MaximumLength(MaxTextLength).WithMessage("agent can be at most 100 characters.");
        RuleFor(e => e.Agent).NotEmpty()
            .When(e => CallEventInput.ParseType(e.Type) is CallEventType.Answered or CallEventType.Transferred or CallEventType.Conferenced)
            .WithMessage("agent (user name or extension) is required on answered, transferred and conferenced events.");
        RuleFor(e => e.Reason).NotEmpty().When(e => CallEventInput.ParseType(e.Type) == CallEventType.Ended)
            .WithMessage("reason is required on an ended event: completed, abandoned, no_answer or busy.");
        RuleFor(e => e.Reason).Must(r => r is null || CallEventInput.ParseReason(r) is not null)
            .WithMessage("reason must be completed, abandoned, no_answer or busy.");
        RuleFor(e => e.RecordingUrl).NotEmpty().When(e => CallEventInput.ParseType(e.Type) == CallEventType.Recording)
            .WithMessage("recordingUrl is required on a recording event.");
        RuleFor(e => e.RecordingUrl).Must(u => u is null || (u.Length <= 500 && Uri.TryCreate(u, UriKind.Absolute, out var uri)
                                                               && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            .WithMessage("recordingUrl must be an http or https address of at most 500 characters.");
    }
}

/// <summary>One element of the batch: the event, or why it could not be read as one.</summary>
public sealed record CallEventEnvelope(int Index, CallEventInput? Event, string? ReadError);

/// <summary>Reads <c>{"events": [ … ]}</c>: the document as a whole first, then each event on its own.</summary>
public static class CallEventBatchReader
{
    public const int MaxEvents = 500;

    public static (IReadOnlyList<CallEventEnvelope> Events, string? Error) Read(string body)
    {
        if (CsiBatchReader.Unreadable(body) is { } unreadable) return ([], unreadable);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return ([], $"The body is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return ([], "The body must be a JSON object: {\"events\": [ … ]}.");
            JsonElement events = default;
            var found = false;
            foreach (var property in root.EnumerateObject())
                if (string.Equals(property.Name, "events", StringComparison.OrdinalIgnoreCase)) { events = property.Value; found = true; break; }
            if (!found || events.ValueKind != JsonValueKind.Array) return ([], "The body must have an \"events\" array.");
            var count = events.GetArrayLength();
            if (count == 0) return ([], $"\"events\" is empty: send between 1 and {MaxEvents} events.");
            if (count > MaxEvents) return ([], $"A batch can hold at most {MaxEvents:N0} events; this one has {count:N0}. Split it.");
            var result = new List<CallEventEnvelope>(count);
            var index = 0;
            foreach (var element in events.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    result.Add(new(index++, null, $"An event must be a JSON object, not {element.ValueKind.ToString().ToLowerInvariant()}."));
                    continue;
                }
                try
                {
                    result.Add(new(index++, element.Deserialize<CallEventInput>(CsiBatchReader.Json), null));
                }
                catch (JsonException ex)
                {
                    var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.") ? p[2..] : "a field";
                    result.Add(new(index++, null, $"{path} has the wrong type: every field is a string."));
                }
            }
            return (result, null);
        }
    }
}

/// <summary>The body of <c>POST /api/v1/telephony/events</c> (for the API's documentation; the reader reads it by hand).</summary>
public sealed class CallEventBatch
{
    public List<CallEventInput> Events { get; set; } = [];
}
