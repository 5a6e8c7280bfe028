using System.Text;
using System.Text.Json;

namespace KonnectLive.Core.Inbound;

/// <summary>One element of the batch: the record, or why it could not be read as one.</summary>
public sealed record CsiRecordEnvelope(int Index, CsiRecordInput? Record, string? FocusRecordId, IDictionary<string, string[]>? ReadErrors);

public sealed record CsiBatchReadResult(IReadOnlyList<CsiRecordEnvelope> Records, string? Error)
{
    public bool IsValid => Error is null;
}

/// <summary>
/// Reads a batch in two steps: the document as a whole (malformed JSON, text that is not Unicode, or the wrong shape
/// refuses the request), then each record on its own, so a record with a wrong type (a string where a number belongs) is
/// rejected alone.
/// </summary>
public static class CsiBatchReader
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const int MaxDepth = 32;

    /// <summary>
    /// Why a JSON body cannot be read as text (a lone surrogate, an unpaired surrogate escape, malformed JSON, nesting
    /// deeper than 32), or null when every string in it reads. Shared by every inbound endpoint that takes JSON.
    /// </summary>
    public static string? Unreadable(string body)
    {
        // JSON may escape any UTF-16 unit, so "\uD800" parses, but the string it stands for is not text: System.Text.Json
        // throws when such a string or property name is read, wherever that happens. One pass here reads every one first.
        if (UnpairedSurrogate(body) is { } at)
            return $"The body is not valid Unicode text: character {at:N0} is half of a UTF-16 surrogate pair.";
        return FindUnreadableString(Encoding.UTF8.GetBytes(body));
    }

    /// <summary>
    /// Decodes <paramref name="body"/> as strict UTF-8: false (with the offset of the first bad byte and the error to tell the
    /// caller) rather than replacement characters, which could store a name or an id the sender never sent.
    /// </summary>
    public static bool TryDecodeUtf8(ReadOnlySpan<byte> body, out string text, out string error)
    {
        var chars = new char[body.Length];
        if (System.Text.Unicode.Utf8.ToUtf16(body, chars, out var read, out var written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
        {
            text = new string(chars, 0, written);
            error = "";
            return true;
        }
        var sample = Convert.ToHexString(body.Slice(read, Math.Min(4, body.Length - read)));
        text = "";
        error = $"The body is not valid UTF-8: the bytes at offset {read:N0} (0x{sample}) are not a UTF-8 sequence. " +
                "Send it encoded as UTF-8; nothing from it was stored.";
        return false;
    }

    public static CsiBatchReadResult Read(string body, int maxRecords)
    {
        if (Unreadable(body) is { } unreadable) return new([], unreadable);
        var utf8 = Encoding.UTF8.GetBytes(body);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth });
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

    /// <summary>The index of a lone surrogate in the text, or null when it is well-formed UTF-16.</summary>
    private static int? UnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) return i;
        }
        return null;
    }

    /// <summary>
    /// Why the document cannot be read: malformed JSON, or a string or property name whose escapes (\uD800 alone, or a
    /// high surrogate followed by anything but a low one) do not make text. Null when every string reads.
    /// </summary>
    private static string? FindUnreadableString(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    var start = (int)reader.TokenStartIndex;
                    var line = 1 + utf8.AsSpan(0, start).Count((byte)'\n');
                    var what = reader.TokenType == JsonTokenType.PropertyName ? "A property name" : "A string";
                    return $"The body is not valid JSON text: {what} on line {line} (byte {start:N0}) has an unpaired UTF-16 surrogate escape " +
                           "such as \\uD800; escapes of characters beyond U+FFFF must come in high-low pairs.";
                }
            }
            return null;
        }
        catch (JsonException ex)
        {
            return $"The body is not valid JSON: {ex.Message}";
        }
    }

    private static CsiRecordEnvelope ReadOne(int index, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return new(index, null, null, new Dictionary<string, string[]> { [""] = [$"A record must be a JSON object, not {element.ValueKind.ToString().ToLowerInvariant()}."] });
        string? focusId = null;
        if (element.TryGetProperty("focusRecordId", out var idElement) && idElement.ValueKind == JsonValueKind.String)
            focusId = idElement.GetString() is { Length: <= 64 } s ? s : null;

        // Every badly typed field, not only the first the deserialiser meets: the sender fixes the record in one go.
        var typeErrors = new Dictionary<string, string[]>();
        var node = System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText())!;
        DropWrongTypes(node, typeof(CsiRecordInput), "", typeErrors);
        try
        {
            // What is left (the badly typed fields taken out) is still read, so the validator can name what else is wrong.
            var record = node.Deserialize<CsiRecordInput>(Json)!;
            record.CleanText();
            return new(index, record, focusId, typeErrors.Count == 0 ? null : typeErrors);
        }
        catch (JsonException ex)
        {
            // A shape DropWrongTypes does not know (it should not happen): the deserialiser's own first error.
            var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.") ? p[2..] : ex.Path ?? "";
            typeErrors.TryAdd(path, [$"{(path.Length > 0 ? path : "The value")} has the wrong type."]);
            return new(index, null, focusId, typeErrors);
        }
    }

    /// <summary>
    /// Removes from <paramref name="node"/> each property whose JSON type does not fit <paramref name="type"/>'s property of
    /// that name (matched as the deserialiser does: case-insensitively), recording "<c>path</c> has the wrong type: …" for it.
    /// </summary>
    private static void DropWrongTypes(System.Text.Json.Nodes.JsonNode node, Type type, string path, Dictionary<string, string[]> errors)
    {
        if (node is not System.Text.Json.Nodes.JsonObject obj) return;
        var properties = type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in obj.ToList())
        {
            if (!properties.TryGetValue(name, out var property)) continue; // unknown fields are ignored
            var at = path.Length == 0 ? name : $"{path}.{name}";
            if (value is null) continue; // null is "not given"; the validator says whether that is allowed
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (Misfit(value, target, at, errors) is { } expected)
            {
                errors[at] = [$"{at} has the wrong type: expected {expected}, got {Kind(value)}."];
                obj.Remove(name);
            }
        }
    }

    /// <summary>What was expected, when <paramref name="value"/> does not fit <paramref name="target"/>; null when it does.</summary>
    private static string? Misfit(System.Text.Json.Nodes.JsonNode value, Type target, string at, Dictionary<string, string[]> errors)
    {
        var kind = value.GetValueKind();
        if (target == typeof(string)) return kind == JsonValueKind.String ? null : "a string";
        if (target == typeof(int))
        {
            // The web defaults read a number in a string too ("7"), as the deserialiser would.
            var ok = kind switch
            {
                JsonValueKind.Number => value.AsValue().TryGetValue<int>(out _) || int.TryParse(value.ToJsonString(), NumberStyles, System.Globalization.CultureInfo.InvariantCulture, out _),
                JsonValueKind.String => int.TryParse(value.GetValue<string>(), NumberStyles, System.Globalization.CultureInfo.InvariantCulture, out _),
                _ => false,
            };
            return ok ? null : "a whole number";
        }
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (value is not System.Text.Json.Nodes.JsonArray array) return "an array";
            var item = target.GetGenericArguments()[0];
            for (var i = 0; i < array.Count; i++)
            {
                var itemAt = $"{at}[{i}]";
                if (array[i] is null) continue;
                if (Misfit(array[i]!, item, itemAt, errors) is { } expected)
                {
                    errors[itemAt] = [$"{itemAt} has the wrong type: expected {expected}, got {Kind(array[i]!)}."];
                    array[i] = null;
                }
            }
            return null;
        }
        if (target.IsClass)
        {
            if (kind != JsonValueKind.Object) return "an object";
            DropWrongTypes(value, target, at, errors);
            return null;
        }
        return null;
    }

    private const System.Globalization.NumberStyles NumberStyles = System.Globalization.NumberStyles.AllowLeadingSign;

    private static string Kind(System.Text.Json.Nodes.JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
