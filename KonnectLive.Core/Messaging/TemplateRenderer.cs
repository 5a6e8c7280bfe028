using System.Globalization;
using System.Text.RegularExpressions;
using KonnectLive.Core.Common;

namespace KonnectLive.Core.Messaging;

/// <summary>What a template's placeholders are filled from: one survey record, its customer, vehicle and dealership.</summary>
public sealed record TemplateData(
    string? CustomerTitle,
    string CustomerFirstName,
    string CustomerLastName,
    string DealershipName,
    string? VehicleDescription,
    string? Registration,
    string FocusRecordId,
    DateTime? EventDate);

/// <summary>A template's text with its placeholders filled in.</summary>
public sealed record RenderedMessage(string? Subject, string Body);

/// <summary>
/// The placeholders templates may use, and filling them in. A placeholder is a name in braces, e.g. {CustomerName};
/// anything else in braces is an unknown placeholder, which the validator rejects so a typo never reaches a customer.
/// </summary>
public static partial class TemplateRenderer
{
    /// <summary>Every placeholder, with what it becomes (shown on the Templates page).</summary>
    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CustomerName"] = "title, first and last name, e.g. Mrs Jane Smith",
        ["CustomerFirstName"] = "first name",
        ["CustomerLastName"] = "last name",
        ["CustomerTitle"] = "title, e.g. Mrs (may be empty)",
        ["DealershipName"] = "the dealership's name",
        ["VehicleDescription"] = "make and model, e.g. Ford Puma",
        ["Registration"] = "the vehicle's registration",
        ["SurveyLink"] = "the customer's survey link (Messaging:SurveyLinkBase + FOCUS record id)",
        ["EventDate"] = "the sale or service date, e.g. 2 June 2025",
    };

    [GeneratedRegex(@"\{([^{}\r\n]{0,60})\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>Placeholders in <paramref name="text"/> that are not in <see cref="Placeholders"/>, each once, in order.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string? text) =>
        string.IsNullOrEmpty(text)
            ? []
            : PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value)
                .Where(name => !Placeholders.ContainsKey(name)).Distinct().ToList();

    /// <summary>What to tell whoever wrote <paramref name="text"/> (a template or an agent's own message) about its unknown placeholders.</summary>
    public static string UnknownPlaceholdersMessage(string? text)
    {
        var unknown = UnknownPlaceholders(text);
        return $"Unknown {Wording.Noun(unknown.Count, "placeholder")} " + string.Join(", ", unknown.Select(p => "{" + p + "}")) +
               ". Use one of: " + string.Join(" ", Placeholders.Keys.Select(p => "{" + p + "}")) + ".";
    }

    public static string SurveyLink(string surveyLinkBase, string focusRecordId) =>
        surveyLinkBase + Uri.EscapeDataString(focusRecordId);

    public static IReadOnlyDictionary<string, string> Values(TemplateData d, string surveyLinkBase) => new Dictionary<string, string>
    {
        ["CustomerName"] = string.Join(' ', new[] { d.CustomerTitle, d.CustomerFirstName, d.CustomerLastName }.Where(s => !string.IsNullOrWhiteSpace(s))),
        ["CustomerFirstName"] = d.CustomerFirstName,
        ["CustomerLastName"] = d.CustomerLastName,
        ["CustomerTitle"] = d.CustomerTitle ?? "",
        ["DealershipName"] = d.DealershipName,
        ["VehicleDescription"] = string.IsNullOrWhiteSpace(d.VehicleDescription) ? "vehicle" : d.VehicleDescription,
        ["Registration"] = d.Registration ?? "",
        ["SurveyLink"] = SurveyLink(surveyLinkBase, d.FocusRecordId),
        // British English dates: the centre and its customers are in the UK.
        ["EventDate"] = d.EventDate?.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB")) ?? "",
    };

    /// <summary>Fills every known placeholder; unknown ones are left as written (the validator keeps them out of saved templates).</summary>
    public static string Render(string text, IReadOnlyDictionary<string, string> values) =>
        PlaceholderPattern().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    public static RenderedMessage Render(MessageChannel channel, string? subject, string body, TemplateData data, string surveyLinkBase)
    {
        var values = Values(data, surveyLinkBase);
        return new RenderedMessage(
            channel == MessageChannel.Email && subject is not null ? Render(subject, values) : null,
            Render(body, values));
    }
}
