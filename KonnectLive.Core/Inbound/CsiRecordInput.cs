using System.Globalization;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Inbound;

/// <summary>The body of POST /api/v1/csi/records.</summary>
public sealed class CsiRecordBatch
{
    public List<CsiRecordInput> Records { get; set; } = [];
}

/// <summary>
/// One FOCUS record as sent. Status, event type and times are strings so that one bad value rejects its record
/// with a clear field error instead of failing the whole batch's deserialisation.
/// </summary>
public sealed class CsiRecordInput
{
    /// <example>FOCUS-000123</example>
    public string? FocusRecordId { get; set; }
    /// <example>NGM</example>
    public string? DealershipCode { get; set; }
    /// <summary>Rejected, Pending, Awaiting, Completed or Expired.</summary>
    public string? Status { get; set; }
    /// <summary>ISO 8601 with an offset, e.g. 2026-03-01T10:15:00Z.</summary>
    public string? StatusChangedAt { get; set; }
    /// <summary>0–10, optional.</summary>
    public int? Score { get; set; }
    public CsiCustomerInput? Customer { get; set; }
    public CsiVehicleInput? Vehicle { get; set; }
    /// <summary>Sales or Service.</summary>
    public string? EventType { get; set; }
    /// <summary>ISO 8601 date (2026-02-20) or date-time with offset.</summary>
    public string? EventDate { get; set; }

    /// <summary>
    /// Names and the registration without control characters or direction overrides (<see cref="NameNormaliser.Clean"/>),
    /// before validation: a name that was only invisible characters is then simply missing.
    /// </summary>
    internal void CleanText()
    {
        if (Customer is { } c)
        {
            c.Title = NameNormaliser.Clean(c.Title);
            c.FirstName = NameNormaliser.Clean(c.FirstName);
            c.LastName = NameNormaliser.Clean(c.LastName);
        }
        if (Vehicle is { } v) v.Registration = NameNormaliser.Clean(v.Registration);
    }

    internal SurveyStatus ParsedStatus => CsiFormats.ParseName<SurveyStatus>(Status)!.Value;
    internal Surveys.EventType ParsedEventType => CsiFormats.ParseName<Surveys.EventType>(EventType)!.Value;
    internal DateTime ParsedStatusChangedAt => CsiFormats.ParseInstant(StatusChangedAt)!.Value;
    internal DateTime ParsedEventDate => CsiFormats.ParseDate(EventDate)!.Value;
}

public sealed class CsiCustomerInput
{
    /// <summary>
    /// Optional: FOCUS's own id for the person. When given, it decides who the record belongs to — records with the same
    /// id are the same person, even after a change of name or email; records with different ids are never merged.
    /// </summary>
    /// <example>FC-88412</example>
    public string? FocusCustomerId { get; set; }
    public string? Title { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    /// <summary>Up to five.</summary>
    public List<CsiPhoneInput>? Phones { get; set; }
    public string? Email { get; set; }
}

public sealed class CsiPhoneInput
{
    /// <summary>Any common format; stored in E.164 (UK numbers may be national: 07700 900123).</summary>
    public string? Number { get; set; }
    /// <summary>Mobile, Home, Work or Other (default Other).</summary>
    public string? Type { get; set; }
}

public sealed class CsiVehicleInput
{
    public string? Registration { get; set; }
    public string? Vin { get; set; }
    public string? Make { get; set; }
    public string? Model { get; set; }
}

/// <summary>The date formats the API accepts.</summary>
public static class CsiFormats
{
    /// <summary>An ISO 8601 date-time that states its offset (Z or ±hh:mm), in UTC; null otherwise.</summary>
    public static DateTime? ParseInstant(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 40) return null;
        var v = value.Trim();
        // An instant without an offset is ambiguous (whose 10 o'clock?), so it is refused rather than guessed.
        var hasOffset = v.EndsWith('Z') || v.EndsWith('z') || (v.Length > 6 && v[^6] is '+' or '-' && v[^3] == ':');
        if (!hasOffset || !v.Contains('T')) return null;
        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed.UtcDateTime : null;
    }

    /// <summary>A calendar date (yyyy-MM-dd), or the local date of a date-time with offset; as UTC midnight.</summary>
    public static DateTime? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 40) return null;
        var v = value.Trim();
        if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        if (ParseInstant(v) is not null && DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto))
            return DateTime.SpecifyKind(dto.Date, DateTimeKind.Utc);
        return null;
    }

    /// <summary>One of the enum's names, any case; never a number or a comma list (which Enum.Parse would accept).</summary>
    public static T? ParseName<T>(string? value) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is null ? null : Enum.Parse<T>(name);
    }

    public static PhoneType ParsePhoneType(string? value) => ParseName<PhoneType>(value) ?? PhoneType.Other;

    /// <summary>Registrations compare without spaces or case ("ab12 cde" is "AB12CDE").</summary>
    public static string RegistrationKey(string registration) =>
        new string(registration.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
}
