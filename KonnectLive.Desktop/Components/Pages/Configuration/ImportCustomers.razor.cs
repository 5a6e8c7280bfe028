using KonnectLive.Core.Customers.Import;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

public partial class ImportCustomers
{
    [Inject] private CustomerImportService Import { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<ImportCustomers> Logger { get; set; } = default!;

    private string? _fileName;
    private byte[]? _content;
    private string? _fileError;
    private CustomerImportPreview? _preview;
    private CustomerImportResult? _result;
    private int? _progress;
    private bool _busy;

    private async Task FileChosenAsync(IBrowserFile? file)
    {
        Clear();
        if (file is null) return;
        _fileName = file.Name;
        if (!file.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            _fileError = "Choose a .csv file. In Excel, use File → Save As → \"CSV UTF-8 (Comma delimited)\".";
            return;
        }
        if (file.Size > CustomerImportService.MaxFileBytes)
        {
            _fileError = $"The file is {FileSize(file.Size)}; at most {CustomerImportService.MaxFileBytes / 1024 / 1024} MB can be imported at once. Split it into smaller files.";
            return;
        }
        _busy = true;
        try
        {
            using var buffer = new MemoryStream((int)file.Size);
            await using (var stream = file.OpenReadStream(CustomerImportService.MaxFileBytes)) await stream.CopyToAsync(buffer);
            _content = buffer.ToArray();
            var user = await CurrentUser.GetAsync();
            if (user is null)
            {
                Snackbar.Add("Your session has ended. Please log in again.", Severity.Error);
                return;
            }
            var content = _content;
            _preview = await Task.Run(() => Import.PreviewAsync(user, content));
            _fileError = _preview.FileError;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Reading the import file {FileName} failed", file.Name);
            _fileError = "The file could not be read. Please try again.";
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ImportAsync()
    {
        if (_busy || _content is null || _fileName is null) return;
        _busy = true;
        _progress = 0;
        try
        {
            var user = await CurrentUser.GetAsync();
            if (user is null)
            {
                Snackbar.Add("Your session has ended. Please log in again.", Severity.Error);
                return;
            }
            // Off the circuit's thread (SQLite's async calls run synchronously), reporting back through InvokeAsync.
            var progress = new CircuitProgress(this);
            var (content, name) = (_content, _fileName);
            _result = await Task.Run(() => Import.ImportAsync(user, content, name, progress));
            Snackbar.Add(_result.Succeeded ? "Import finished: " + _result.Message : _result.Message, _result.Succeeded ? Severity.Success : Severity.Error);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Importing {FileName} failed", _fileName);
            _result = CustomerImportResult.Failed("The import failed part-way and was rolled back. Please try again.");
            Snackbar.Add("The import failed; nothing was imported.", Severity.Error);
        }
        finally
        {
            _busy = false;
            _progress = null;
        }
    }

    private void Clear()
    {
        _fileName = null;
        _content = null;
        _fileError = null;
        _preview = null;
        _result = null;
    }

    private static Color ActionColor(ImportRowAction a) => a switch
    {
        ImportRowAction.Create => Color.Success,
        ImportRowAction.Update => Color.Info,
        _ => Color.Error,
    };

    private static string FileSize(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024d / 1024:0.0} MB" : $"{Math.Max(1, bytes / 1024)} KB";

    private sealed class CircuitProgress(ImportCustomers page) : IProgress<int>
    {
        public void Report(int value)
        {
            if (page._progress == value) return;
            page._progress = value;
            _ = page.InvokeAsync(page.StateHasChanged);
        }
    }
}
