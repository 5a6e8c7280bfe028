using System.Globalization;

namespace KonnectLive.Core.Customers.Fields;

/// <summary>
/// How each field type's value is written and read. Values are stored as invariant text so they sort and compare the
/// same whatever the user's culture: numbers with '.', dates yyyy-MM-dd, yes/no as true/false, a choice as its exact text.
/// </summary>
public static class CustomFieldValues
{
    public const int MaxTextLength = 1000;
    public const string DateFormat = "yyyy-MM-dd";

    // No thousands separators: "1,5" must not silently become 15 in the invariant culture.
    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite |
                                             NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>The lines of a Choice field's choices, trimmed, without blanks or repeats.</summary>
    public static IReadOnlyList<string> SplitChoices(string? choices) =>
        (choices ?? "").Split('\n').Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public static string JoinChoices(IEnumerable<string> choices) => string.Join('\n', choices);

    /// <summary>
    /// What is wrong with a Choice field's choices (one per line), or null when they will do. Shared by customer fields and
    /// request fields, so both refuse the same lists with the same words.
    /// </summary>
    public static string? ChoicesProblem(string? choices)
    {
        var split = SplitChoices(choices);
        if (split.Count == 0) return "A choice field needs at least one choice (one per line).";
        if (split.Any(x => x.Length > MaxTextLength)) return $"Each choice can be at most {MaxTextLength} characters.";
        if (JoinChoices(split).Length > MaxChoicesLength) return "The choices can be at most 4,000 characters in all.";
        return null;
    }

    public const int MaxChoicesLength = 4000;

    /// <summary>
    /// The stored (invariant) form of what a user typed, or an error safe to show. Null or blank input clears the value
    /// (Value null, Error null). Numbers are read in the invariant culture first, then in <paramref name="culture"/>.
    /// </summary>
    public static (string? Value, string? Error) Normalise(CustomFieldType type, string? choices, string? input, CultureInfo? culture = null)
    {
        if (string.IsNullOrWhiteSpace(input)) return (null, null);
        var v = input.Trim();
        switch (type)
        {
            case CustomFieldType.Text:
                return v.Length <= MaxTextLength ? (v, null) : (null, $"can be at most {MaxTextLength:N0} characters.");
            case CustomFieldType.Number:
                if (decimal.TryParse(v, NumberStyle, CultureInfo.InvariantCulture, out var n)
                    || decimal.TryParse(v, NumberStyle, culture ?? CultureInfo.CurrentCulture, out n))
                    return (n.ToString(CultureInfo.InvariantCulture), null);
                return (null, $"'{Shorten(v)}' is not a number.");
            case CustomFieldType.Date:
                return DateOnly.TryParseExact(v, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? (d.ToString(DateFormat, CultureInfo.InvariantCulture), null)
                    : (null, $"'{Shorten(v)}' is not a date (yyyy-MM-dd).");
            case CustomFieldType.YesNo:
                return bool.TryParse(v, out var b) ? (b ? "true" : "false", null) : (null, $"'{Shorten(v)}' is not yes/no (true or false).");
            case CustomFieldType.Choice:
                var match = SplitChoices(choices).FirstOrDefault(c => string.Equals(c, v, StringComparison.OrdinalIgnoreCase));
                return match is not null ? (match, null) : (null, $"'{Shorten(v)}' is not one of the choices.");
            default:
                return (null, "has an unknown type.");
        }
    }

    public static decimal? AsNumber(string? stored) =>
        decimal.TryParse(stored, NumberStyle, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static DateOnly? AsDate(string? stored) =>
        DateOnly.TryParseExact(stored, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static bool? AsYesNo(string? stored) => bool.TryParse(stored, out var b) ? b : null;

    public static string FromNumber(decimal? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";
    public static string FromDate(DateOnly? d) => d?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "";
    public static string FromYesNo(bool? b) => b is null ? "" : b.Value ? "true" : "false";

    /// <summary>How a stored value reads on screen (current culture for numbers and dates).</summary>
    public static string Display(CustomFieldType type, string? stored) => type switch
    {
        _ when string.IsNullOrEmpty(stored) => "",
        CustomFieldType.Number => AsNumber(stored)?.ToString("G", CultureInfo.CurrentCulture) ?? stored!,
        CustomFieldType.Date => AsDate(stored)?.ToString("d MMM yyyy", CultureInfo.CurrentCulture) ?? stored!,
        CustomFieldType.YesNo => AsYesNo(stored) switch { true => "Yes", false => "No", null => stored! },
        _ => stored!,
    };

    private static string Shorten(string v) => v.Length > 40 ? v[..40] + "…" : v;
}
