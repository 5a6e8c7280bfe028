using System.Text.Json;

namespace KonnectLive.Core.Inbound;

/// <summary>One element of the batch: the record, or why it could not be read as one.</summary>
public sealed record CsiRecordEnvelope(int Index, CsiRecordInput? Record, string? FocusRecordId, IDictionary<string, string[]>? ReadErrors);

public sealed record CsiBatchReadResult(IReadOnlyList<CsiRecordEnvelope> Records, string? Error)
{
    public bool IsValid => Error is null;
}

/// <summary>
/// Reads a batch in two steps: the document as a whole (malformed JSON or the wrong shape refuses the request),
/// then each record on its own, so a record with a wrong type (a string where a number belongs) is rejected alone.
/// </summary>
public static class CsiBatchReader
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CsiBatchReadResult Read(string body, int maxRecords)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return new([], $"The body is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new([], "The body must be a JSON object: {\"records\": [ … ]}.");
            JsonElement records = default;
            var found = false;
            foreach (var property in root.EnumerateObject())
                if (string.Equals(property.Name, "records", StringComparison.OrdinalIgnoreCase)) { records = property.Value; found = true; break; }
            if (!found || records.ValueKind != JsonValueKind.Array)
                return new([], "The body must have a \"records\" array.");
            var count = records.GetArrayLength();
            if (count == 0) return new([], "\"records\" is empty: send between 1 and " + maxRecords + " records.");
            if (count > maxRecords) return new([], $"A batch can hold at most {maxRecords:N0} records; this one has {count:N0}. Split it.");

            var result = new List<CsiRecordEnvelope>(count);
            var index = 0;
            foreach (var element in records.EnumerateArray())
                result.Add(ReadOne(index++, element));
            return new(result, null);
        }
    }

    private static CsiRecordEnvelope ReadOne(int index, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return new(index, null, null, new Dictionary<string, string[]> { [""] = [$"A record must be a JSON object, not {element.ValueKind.ToString().ToLowerInvariant()}."] });
        string? focusId = null;
        if (element.TryGetProperty("focusRecordId", out var idElement) && idElement.ValueKind == JsonValueKind.String)
            focusId = idElement.GetString() is { Length: <= 64 } s ? s : null;
        try
        {
            var record = element.Deserialize<CsiRecordInput>(Json)!;
            record.CleanText();
            return new(index, record, focusId, null);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.") ? p[2..] : ex.Path ?? "";
            return new(index, null, focusId, new Dictionary<string, string[]> { [path] = [$"{(path.Length > 0 ? path : "The value")} has the wrong type."] });
        }
    }
}
