using FluentValidation;
using KonnectLive.Core.Common;
using KonnectLive.Core.Inbound;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Severity = MudBlazor.Severity;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>Configuration → API Clients: create, disable, enable and rotate the secret of inbound API clients.</summary>
public partial class ApiClients
{
    [Inject] private ApiClientService Clients { get; set; } = default!;
    [Inject] private IValidator<CreateApiClientCommand> Validator { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private ILogger<ApiClients> Logger { get; set; } = default!;

    private MudForm? _form;
    private CreateApiClientCommand _command = new();
    private IReadOnlyList<ApiClientSummary>? _clients;
    private ApiClientWithSecret? _revealed;
    private bool _busy;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            _clients = await Clients.ListAsync(await CurrentUser.GetAsync());
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Could not load API clients");
            _clients = [];
            Snackbar.Add("The API clients could not be loaded just now.", Severity.Error);
        }
    }

    /// <summary>The MudForm's per-field validation, by the same validator the service enforces.</summary>
    private Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await Validator.ValidateAsync(ValidationContext<CreateApiClientCommand>.CreateWithOptions((CreateApiClientCommand)model,
            o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };

    private async Task CreateAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;
        await RunAsync(async () =>
        {
            var created = await Clients.CreateAsync(_command, await CurrentUser.GetAsync());
            _revealed = created;
            _command = new CreateApiClientCommand();
            Snackbar.Add($"API client '{created.Client.Name}' created. Copy its secret now.", Severity.Success);
        });
        if (_revealed is not null) await _form.ResetValidationAsync();
    }

    private async Task DisableAsync(ApiClientSummary client)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Disable API client?",
            $"'{client.Name}' will be refused from its next request: its tokens stop working at once and it cannot get new ones until enabled again.",
            yesText: "Disable", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(async () =>
        {
            var done = await Clients.DisableAsync(client.Id, await CurrentUser.GetAsync());
            Snackbar.Add(done ? $"'{client.Name}' is disabled." : $"'{client.Name}' was already disabled.", done ? Severity.Success : Severity.Info);
        });
    }

    private async Task EnableAsync(ApiClientSummary client)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Enable API client?",
            $"'{client.Name}' may ask for tokens again with its current secret. Tokens it held before are not revived.",
            yesText: "Enable", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(async () =>
        {
            var done = await Clients.EnableAsync(client.Id, await CurrentUser.GetAsync());
            Snackbar.Add(done ? $"'{client.Name}' is enabled." : $"'{client.Name}' was already enabled.", done ? Severity.Success : Severity.Info);
        });
    }

    private async Task RotateAsync(ApiClientSummary client)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Rotate the secret?",
            $"'{client.Name}' gets a new secret. The old secret stops working now and every token issued with it is revoked: " +
            "the system will fail until its owner installs the new secret.",
            yesText: "Rotate", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(async () =>
        {
            _revealed = await Clients.RotateSecretAsync(client.Id, await CurrentUser.GetAsync());
            Snackbar.Add($"New secret for '{client.Name}'. Copy it now.", Severity.Success);
        });
    }

    private async Task CopySecretAsync()
    {
        if (_revealed is null) return;
        try
        {
            await Js.InvokeVoidAsync("navigator.clipboard.writeText", _revealed.Secret);
            Snackbar.Add("Secret copied to the clipboard.", Severity.Info);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser did not allow copying; select the secret and copy it by hand.", Severity.Warning);
        }
    }

    /// <summary>One action at a time, with the progress bar, a clear message on failure and a fresh list after.</summary>
    private async Task RunAsync(Func<Task> action)
    {
        _busy = true;
        try
        {
            await action();
        }
        catch (ValidationException ex)
        {
            Snackbar.Add(string.Join(" ", ex.Errors.Select(e => e.ErrorMessage)), Severity.Warning);
        }
        catch (Exception ex) when (ex is DomainException or UnauthorizedAccessException)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "API client action failed");
            Snackbar.Add("That did not work just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }
}
