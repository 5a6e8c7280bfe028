using System.Globalization;
using System.Text.RegularExpressions;

namespace KonnectLive.Core.Cases;

/// <summary>What a case title can say about the call that opened the case.</summary>
public sealed record CaseTitleValues(string CallType, string CallId, string? PhoneNumber, string? Language, DateTime StartedAt,
    string? CustomerName, string DealershipName);

/// <summary>
/// The case title template (seed 002, "CRM record title"): text with placeholders in braces — <c>{CALL_TYPE}</c>,
/// <c>{CALL_ID}</c>, <c>{PHONE_NUMBER}</c>, <c>{LANGUAGE}</c>, <c>{TIMESTAMP}</c>, <c>{CUSTOMER_NAME}</c>,
/// <c>{DEALERSHIP_NAME}</c>. An unknown placeholder is refused when the template is saved, so a typo never reaches a title.
/// </summary>
public static partial class CaseTitleTemplate
{
    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>
    {
        ["CALL_TYPE"] = "Inbound call, Outbound call or Abandoned call",
        ["CALL_ID"] = "The phone system's call id",
        ["PHONE_NUMBER"] = "The customer's number (the caller, or the number dialled)",
        ["LANGUAGE"] = "The call's language, as the phone system routed it",
        ["TIMESTAMP"] = "When the call began (yyyy-MM-dd HH:mm, contact-centre time)",
        ["CUSTOMER_NAME"] = "The customer's name; \"N customers share this number\" when several have it; \"Unknown caller\" when none has it",
        ["DEALERSHIP_NAME"] = "The dealership the case belongs to",
    };

    /// <summary>The values the live preview on Configuration → Case Records uses.</summary>
    public static readonly CaseTitleValues Sample = new("Inbound call", "c-20261201-0001", "07700 900123", "en",
        new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc), "Alice Archer", "Northgate Motors");

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    /// <summary>Why the template cannot be used, or null when it can.</summary>
    public static string? Problem(string? template)
    {
        if (string.IsNullOrWhiteSpace(template)) return null; // NotEmpty says so
        var unknown = Placeholder().Matches(template).Select(m => m.Groups[1].Value).Where(n => !Placeholders.ContainsKey(n)).Distinct().ToList();
        if (unknown.Count > 0)
            return $"Unknown placeholder{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "{" + u + "}"))}. " +
                   $"Use {string.Join(", ", Placeholders.Keys.Select(k => "{" + k + "}"))}.";
        var stripped = Placeholder().Replace(template, "");
        if (stripped.Contains('{') || stripped.Contains('}'))
            return "A brace is not closed: write placeholders as {CALL_TYPE}.";
        return null;
    }

    public static string Render(string template, CaseTitleValues v)
    {
        var title = Placeholder().Replace(template, m => m.Groups[1].Value switch
        {
            "CALL_TYPE" => v.CallType,
            "CALL_ID" => v.CallId,
            "PHONE_NUMBER" => v.PhoneNumber ?? "unknown number",
            "LANGUAGE" => v.Language ?? "",
            "TIMESTAMP" => Common.ContactCentreTime.ToLocal(v.StartedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            "CUSTOMER_NAME" => string.IsNullOrWhiteSpace(v.CustomerName) ? "Unknown caller" : v.CustomerName,
            "DEALERSHIP_NAME" => v.DealershipName,
            _ => m.Value,
        }).Trim();
        if (title.Length == 0) title = v.CallType;
        return title.Length > CaseRecord.MaxTitle ? title[..CaseRecord.MaxTitle] : title;
    }
}
