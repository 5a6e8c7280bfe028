using System.Text.Json;

namespace KonnectLive.Tests.Core.Inbound;

/// <summary>FOCUS records as JSON, valid unless a test changes them.</summary>
public static class CsiPayloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Dictionary<string, object?> Record(string focusId, string dealershipCode, string status, DateTime statusChangedAt,
        int? score = 10, string firstName = "Alice", string lastName = "Archer", string[]? phones = null, string? email = null,
        string registration = "AB12 CDE", string? vin = null, DateTime? eventDate = null, string? title = "Ms", string? focusCustomerId = null,
        string phoneType = "Mobile") => new()
    {
        ["focusRecordId"] = focusId,
        ["dealershipCode"] = dealershipCode,
        ["status"] = status,
        ["statusChangedAt"] = statusChangedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
        ["score"] = score,
        ["customer"] = new Dictionary<string, object?>
        {
            ["focusCustomerId"] = focusCustomerId,
            ["title"] = title,
            ["firstName"] = firstName,
            ["lastName"] = lastName,
            ["phones"] = (phones ?? ["07700 900123"]).Select(n => new Dictionary<string, object?>
            {
                // "0113 496 0000|Home": a number with its own type.
                ["number"] = n.Split('|')[0], ["type"] = n.Contains('|') ? n.Split('|')[1] : phoneType,
            }).ToList(),
            ["email"] = email,
        },
        ["vehicle"] = new Dictionary<string, object?> { ["registration"] = registration, ["vin"] = vin, ["make"] = "Kestrel", ["model"] = "Aero" },
        ["eventType"] = "Service",
        ["eventDate"] = (eventDate ?? statusChangedAt.AddDays(-3)).ToString("yyyy-MM-dd"),
    };

    public static string Batch(params object[] records) => JsonSerializer.Serialize(new { records }, Json);

    public static string Batch(IEnumerable<object> records) => JsonSerializer.Serialize(new { records }, Json);
}
