namespace KonnectLive.Core.Customers.Import;

/// <summary>A row that was not imported (or imported with a note), by its line in the file.</summary>
public sealed record ImportRowIssue(int Line, string Customer, IReadOnlyList<string> Messages);

public enum ImportRowAction { Create, Update, Skip }

/// <summary>One row as the preview shows it: what it says, what the import would do with it, and its errors.</summary>
public sealed record ImportPreviewRow(int Line, string DealershipCode, string Name, IReadOnlyList<string> Phones, string? Email, string? Vehicle,
    ImportRowAction Action, IReadOnlyList<string> Errors);

/// <summary>What importing the file would do, without writing anything.</summary>
public sealed record CustomerImportPreview(string? FileError, int TotalRows, int ValidRows, int InvalidRows, int WouldCreate, int WouldUpdate,
    IReadOnlyList<ImportPreviewRow> Rows, IReadOnlyList<ImportRowIssue> InvalidRowList)
{
    public bool CanImport => FileError is null && ValidRows > 0;
}

/// <param name="Skipped">Rows not imported: invalid, or matching more than one existing customer.</param>
/// <param name="Notes">Rows imported with something left out (e.g. a sixth phone number).</param>
public sealed record CustomerImportResult(bool Succeeded, string Message, int Created, int Updated, int Skipped,
    IReadOnlyList<ImportRowIssue> SkippedRows, IReadOnlyList<ImportRowIssue> Notes, TimeSpan Elapsed)
{
    public static CustomerImportResult Failed(string message) => new(false, message, 0, 0, 0, [], [], TimeSpan.Zero);
}
