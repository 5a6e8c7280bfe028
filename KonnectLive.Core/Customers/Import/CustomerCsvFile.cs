using System.Text;
using CsvHelper;

namespace KonnectLive.Core.Customers.Import;

/// <summary>
/// One data row of the file as written (trimmed; names and registration cleaned by <see cref="NameNormaliser.Clean"/>), with
/// its line number in the file.
/// </summary>
public sealed class CustomerCsvRow
{
    public int Line { get; init; }
    public string DealershipCode { get; init; } = "";
    public string Title { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    /// <summary>Phone1..Phone5, index 0..4.</summary>
    public string[] Phones { get; init; } = new string[Customer.MaxPhones];
    public string[] PhoneTypes { get; init; } = new string[Customer.MaxPhones];
    public string Email { get; init; } = "";
    public string Registration { get; init; } = "";
    public string Vin { get; init; } = "";
    public string Make { get; init; } = "";
    public string Model { get; init; } = "";
    /// <summary>Set when the row itself is broken (more fields than the header has).</summary>
    public string? StructureError { get; init; }
}

/// <summary>The rows of a customer CSV file, or why the file as a whole cannot be read (then nothing is imported).</summary>
public sealed record CustomerCsvFile(string? FileError, IReadOnlyList<CustomerCsvRow> Rows)
{
    /// <summary>The system-defined columns, as admins write them in the header (any case, any order).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "DealershipCode", "Title", "FirstName", "LastName",
        "Phone1", "Phone1Type", "Phone2", "Phone2Type", "Phone3", "Phone3Type", "Phone4", "Phone4Type", "Phone5", "Phone5Type",
        "Email", "Registration", "Vin", "Make", "Model",
    ];

    public static readonly IReadOnlyList<string> RequiredColumns = ["DealershipCode", "FirstName", "LastName"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static CustomerCsvFile Fail(string message) => new(message, []);

    /// <summary>
    /// Reads a whole file. The file is refused (with a message an admin can act on) when it is empty, not UTF-8 text,
    /// has malformed quoting anywhere, or its header lacks a required column, repeats one or names one we do not know.
    /// </summary>
    public static CustomerCsvFile Parse(byte[] content)
    {
        if (content.Length == 0) return Fail("The file is empty.");
        // Binary files (spreadsheets saved as .xlsx, images) contain NUL bytes; CSV text never does.
        if (Array.IndexOf(content, (byte)0) >= 0)
            return Fail("This is not a CSV text file (it contains binary data). In Excel, use File → Save As → \"CSV UTF-8 (Comma delimited)\".");
        try
        {
            StrictUtf8.GetCharCount(content);
        }
        catch (DecoderFallbackException)
        {
            // Legacy encodings would turn "Zoë" into "ZoÃ«" or worse; refuse rather than store mangled names.
            return Fail("The file is not UTF-8 text. In Excel, use File → Save As → \"CSV UTF-8 (Comma delimited)\".");
        }

        var options = CsvReaderOptions.Default with
        {
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
        };
        try
        {
            using var reader = CsvReader.Create(content, options);
            var headers = reader.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
            if (headers.Count == 0 || headers.All(h => h.Length == 0)) return Fail("The file is empty: it has no header row.");

            var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var unknown = new List<string>();
            for (var i = 0; i < headers.Count; i++)
            {
                var name = Columns.FirstOrDefault(c => string.Equals(c, headers[i], StringComparison.OrdinalIgnoreCase));
                if (name is null) unknown.Add(headers[i].Length == 0 ? $"(blank column {i + 1})" : $"'{Shorten(headers[i])}'");
                else if (!index.TryAdd(name, i)) return Fail($"The column {name} appears more than once in the header.");
            }
            var missing = RequiredColumns.Where(c => !index.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                return Fail($"The header row lacks the required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}. " +
                            $"The first line must name the columns: {string.Join(", ", Columns)}.");
            if (unknown.Count > 0)
                return Fail($"Unknown column{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Take(5))}. " +
                            $"Only these columns can be imported (custom fields are filled in on the customer page): {string.Join(", ", Columns)}.");

            var rows = new List<CustomerCsvRow>();
            while (reader.Read())
            {
                string Get(string column) =>
                    index.TryGetValue(column, out var i) && i < reader.FieldCount ? (reader.GetString(i) ?? "").Trim() : "";
                // Names and registrations lose control characters and direction overrides, as at FOCUS ingest.
                string Clean(string column) => NameNormaliser.Clean(Get(column))!;
                var phones = new string[Customer.MaxPhones];
                var types = new string[Customer.MaxPhones];
                for (var p = 0; p < Customer.MaxPhones; p++)
                {
                    phones[p] = Get($"Phone{p + 1}");
                    types[p] = Get($"Phone{p + 1}Type");
                }
                rows.Add(new CustomerCsvRow
                {
                    Line = (int)reader.LineNumber,
                    DealershipCode = Get("DealershipCode"), Title = Clean("Title"), FirstName = Clean("FirstName"), LastName = Clean("LastName"),
                    Phones = phones, PhoneTypes = types, Email = Get("Email"),
                    Registration = Clean("Registration"), Vin = Get("Vin"), Make = Get("Make"), Model = Get("Model"),
                    StructureError = reader.FieldCount > headers.Count
                        ? $"has {reader.FieldCount} values but the header has {headers.Count} columns (a comma in a value must be inside double quotes)."
                        : null,
                });
            }
            return rows.Count == 0 ? Fail("The file has a header row but no customers.") : new(null, rows);
        }
        catch (CsvFormatException ex)
        {
            var where = ex.LineNumber > 0 ? $" at line {ex.LineNumber}" : ex.RecordNumber > 0 ? $" at record {ex.RecordNumber}" : "";
            return Fail($"The file is not valid CSV{where}: the double quotes do not match (a quoted value must end with a closing quote, " +
                        "and a quote inside a quoted value is written twice). Nothing was imported.");
        }
    }

    private static string Shorten(string v) => v.Length > 30 ? v[..30] + "…" : v;
}
