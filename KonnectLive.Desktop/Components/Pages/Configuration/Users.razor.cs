using FluentValidation;
using KonnectLive.Core.Common;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Desktop.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using Severity = MudBlazor.Severity;

namespace KonnectLive.Desktop.Components.Pages.Configuration;

/// <summary>Configuration → Users: list with filters, create and edit in a dialog, disable/enable, reset passwords.</summary>
public partial class Users
{
    private const string AllRoles = "";
    private const int AllDealerships = -1;
    private const int HeadOffice = 0; // dealership ids start at 1
    private const int NotChosen = -2; // a new user's Dealership before the admin picks one
    private static readonly DialogOptions DialogOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };

    [Inject] private UserAdminService Service { get; set; } = default!;
    [Inject] private DealershipService DealershipService { get; set; } = default!;
    [Inject] private IValidator<CreateUserCommand> CreateValidator { get; set; } = default!;
    [Inject] private IValidator<EditUserCommand> EditValidator { get; set; } = default!;
    [Inject] private IValidator<ResetPasswordCommand> ResetValidator { get; set; } = default!;
    [Inject] private IOptions<IdentityOptions> IdentityOptions { get; set; } = default!;
    [Inject] private IOptions<SecurityStampValidatorOptions> StampOptions { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private ILogger<Users> Logger { get; set; } = default!;

    private IReadOnlyList<UserRow>? _users;
    private IReadOnlyList<DealershipRow> _dealerships = [];
    private UserScope? _me;
    private string _search = "";
    private string _role = AllRoles;
    private int _dealershipFilter = AllDealerships;
    private bool _busy;
    private (string UserName, string Password)? _revealed;

    private MudForm? _form;
    private bool _editorVisible;
    private string? _editingId;
    private CreateUserCommand _editor = new();
    private IReadOnlyList<(string Property, string Error)> _serverErrors = [];

    private MudForm? _resetForm;
    private bool _resetVisible;
    private string _resetUserName = "";
    private ResetPasswordCommand _reset = new();

    private bool Filtered => !string.IsNullOrWhiteSpace(_search) || _role != AllRoles || _dealershipFilter != AllDealerships;
    private int SessionSeconds => (int)SessionRevalidation.CircuitInterval(StampOptions.Value.ValidationInterval).TotalSeconds;
    private string PasswordHelp =>
        $"At least {Math.Max(UserAdminPasswords.MinimumLength, IdentityOptions.Value.Password.RequiredLength)} characters" +
        (IdentityOptions.Value.Password is { RequireDigit: true, RequireUppercase: true, RequireLowercase: true, RequireNonAlphanumeric: true }
            ? ", with upper- and lower-case letters, a digit and a symbol" : "");

    protected override async Task OnInitializedAsync()
    {
        _me = await CurrentUser.GetAsync();
        try { _dealerships = await DealershipService.ListAsync(); }
        catch (Exception ex) { Logger.LogError(ex, "Loading dealerships failed"); }
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _users = await Service.ListAsync(_me, new UserListFilter(_search, _role == AllRoles ? null : _role,
                _dealershipFilter > 0 ? _dealershipFilter : null, _dealershipFilter == HeadOffice));
        }
        catch (UnauthorizedAccessException)
        {
            _users = [];
            Snackbar.Add("Only administrators can manage users.", Severity.Warning);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Loading users failed");
            _users = [];
            Snackbar.Add("The users could not be loaded just now.", Severity.Error);
        }
    }

    private async Task OnSearchChanged(string? search) { _search = search ?? ""; await LoadAsync(); }
    private async Task OnRoleChanged(string? role) { _role = role ?? AllRoles; await LoadAsync(); }
    private async Task OnDealershipFilterChanged(int value) { _dealershipFilter = value; await LoadAsync(); }

    private string DealershipFilterText(int value) => value == AllDealerships ? "All" : DealershipText(value);
    private string DealershipText(int value) =>
        value == NotChosen ? "" : value == HeadOffice ? "Head office (all dealerships)" : _dealerships.FirstOrDefault(d => d.Id == value) is { } d ? $"{d.Name} ({d.Code})" : "";

    private static string StatusText(UserRow user) => user.Status switch
    {
        UserStatus.Disabled => "Disabled",
        UserStatus.LockedOut when user.LockedUntil is { } until => $"Locked until {Format.Local(until.UtcDateTime):HH:mm}",
        UserStatus.LockedOut => "Locked",
        _ => "Active",
    };

    private static Color StatusColor(UserStatus status) => status switch
    {
        UserStatus.Disabled => Color.Error,
        UserStatus.LockedOut => Color.Warning,
        _ => Color.Success,
    };

    private static string StatusIcon(UserStatus status) => status switch
    {
        UserStatus.Disabled => Icons.Material.Filled.Block,
        UserStatus.LockedOut => Icons.Material.Filled.Lock,
        _ => Icons.Material.Filled.CheckCircle,
    };

    private void OpenCreate()
    {
        _editingId = null;
        _editor = new CreateUserCommand { Roles = [Roles.Agent], CsiVoiceEnabled = true };
        _serverErrors = [];
        _editorVisible = true;
    }

    private void OpenEdit(UserRow user)
    {
        _editingId = user.Id;
        _editor = new CreateUserCommand
        {
            UserName = user.UserName, DisplayName = user.DisplayName, Roles = [.. user.Roles], DealershipId = user.DealershipId,
            HeadOffice = user.DealershipId is null,
            CsiVoiceEnabled = user.CsiVoiceEnabled, GeneratePassword = true, Extension = user.Extension,
        };
        _serverErrors = [];
        _editorVisible = true;
    }

    private void ToggleRole(string role, bool on)
    {
        if (on && !_editor.Roles.Contains(role)) _editor.Roles.Add(role);
        if (!on) _editor.Roles.Remove(role);
        _serverErrors = [];
    }

    private EditUserCommand ToEdit() => new()
    {
        UserId = _editingId ?? "", DisplayName = _editor.DisplayName, Roles = [.. _editor.Roles], DealershipId = _editor.DealershipId,
        CsiVoiceEnabled = _editor.CsiVoiceEnabled, Extension = _editor.Extension,
    };

    private int DealershipChoice => _editor.DealershipId ?? (_editor.HeadOffice ? HeadOffice : NotChosen);

    private void OnDealershipChosen(int value)
    {
        _editor.HeadOffice = value == HeadOffice;
        _editor.DealershipId = value > 0 ? value : null;
        _serverErrors = [.. _serverErrors.Where(e => e.Property != nameof(CreateUserCommand.DealershipId))];
    }

    /// <summary>The service's answer about the dealership (none chosen, or gone), until another is chosen.</summary>
    private IEnumerable<string> DealershipErrors => ErrorsFor(nameof(CreateUserCommand.DealershipId));

    /// <summary>The same rule as the service: a new user needs a dealership or Head office, chosen.</summary>
    private IEnumerable<string> ValidateDealership(int _) => _editingId is not null ? []
        : CreateValidator.Validate(ValidationContext<CreateUserCommand>.CreateWithOptions(_editor,
            o => o.IncludeProperties(nameof(CreateUserCommand.DealershipId)))).Errors.Select(e => e.ErrorMessage);

    /// <summary>The server's answer about the extension (already someone's), until it is changed.</summary>
    private IEnumerable<string> ExtensionErrors => ErrorsFor(nameof(CreateUserCommand.Extension));

    private void OnExtensionChanged(string? value)
    {
        _editor.Extension = value;
        _serverErrors = [.. _serverErrors.Where(e => e.Property != nameof(CreateUserCommand.Extension))];
    }

    private IEnumerable<string> ErrorsFor(string property) => _serverErrors.Where(e => e.Property == property).Select(e => e.Error);

    /// <summary>The MudForm's per-field validation, by the validators the service enforces (create or edit).</summary>
    private Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (_, property) =>
    {
        var result = _editingId is null
            ? await CreateValidator.ValidateAsync(ValidationContext<CreateUserCommand>.CreateWithOptions(_editor, o => o.IncludeProperties(property)))
            : await EditValidator.ValidateAsync(ValidationContext<EditUserCommand>.CreateWithOptions(ToEdit(), o => o.IncludeProperties(property)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };

    private Func<object, string, Task<IEnumerable<string>>> ValidateReset => async (model, property) =>
    {
        var result = await ResetValidator.ValidateAsync(ValidationContext<ResetPasswordCommand>.CreateWithOptions((ResetPasswordCommand)model,
            o => o.IncludeProperties(property)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };

    private async Task SaveAsync()
    {
        if (_form is null) return;
        await _form.ValidateAsync();
        if (!_form.IsValid) return;
        var creating = _editingId is null;
        await RunAsync(async () =>
        {
            var result = creating ? await Service.CreateAsync(_editor, _me) : await Service.EditAsync(ToEdit(), _me);
            if (result.Succeeded)
            {
                _editorVisible = false;
                if (result.Password is { } password) _revealed = (_editor.UserName.Trim(), password);
            }
            else _serverErrors = result.Errors;
            return result;
        });
    }

    private void OpenReset(UserRow user)
    {
        _reset = new ResetPasswordCommand { UserId = user.Id, GeneratePassword = true };
        _resetUserName = user.UserName;
        _resetVisible = true;
    }

    private async Task ResetAsync()
    {
        if (_resetForm is null) return;
        await _resetForm.ValidateAsync();
        if (!_resetForm.IsValid) return;
        await RunAsync(async () =>
        {
            var result = await Service.ResetPasswordAsync(_reset, _me);
            if (result.Succeeded)
            {
                _resetVisible = false;
                if (result.Password is { } password) _revealed = (_resetUserName, password);
            }
            return result;
        });
    }

    private async Task DisableAsync(UserRow user)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Disable user?",
            $"{user.DisplayName} ({user.UserName}) will not be able to sign in, and any page they have open is signed out within {Wording.Plural(SessionSeconds, "second")}. " +
            "You can enable them again later.", yesText: "Disable", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(() => Service.DisableAsync(user.Id, _me));
    }

    private async Task EnableAsync(UserRow user)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(user.Status == UserStatus.Disabled ? "Enable user?" : "Unlock user?",
            $"{user.DisplayName} ({user.UserName}) can sign in again with their current password.", yesText: "Enable", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(() => Service.EnableAsync(user.Id, _me));
    }

    private async Task CopyPasswordAsync()
    {
        if (_revealed is not { } revealed) return;
        try
        {
            await Js.InvokeVoidAsync("navigator.clipboard.writeText", revealed.Password);
            Snackbar.Add("Password copied to the clipboard.", Severity.Info);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser did not allow copying; select the password and copy it by hand.", Severity.Warning);
        }
    }

    /// <summary>One action at a time, with the progress bar, the service's message as a snackbar, and a fresh list after.</summary>
    private async Task RunAsync(Func<Task<UserAdminResult>> action)
    {
        _busy = true;
        try
        {
            var result = await action();
            Snackbar.Add(result.Message, result.Outcome switch
            {
                UserAdminOutcome.Done => Severity.Success,
                UserAdminOutcome.Unchanged => Severity.Info,
                _ => Severity.Warning,
            });
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "User admin action failed");
            Snackbar.Add("That did not work just now. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }
}
