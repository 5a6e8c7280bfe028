using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Users;

public sealed class UserAdminServiceTests : IAsyncLifetime
{
    private const string NewPassword = "Brand-new-pass9";
    private CoreTestDatabase _db = null!;
    private UserScope _admin = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _admin = await _db.CreateUserAsync("ada", Roles.Admin);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private UserAdminService Service => _db.Services.GetRequiredService<UserAdminService>();
    private UserScopeLoader Loader => _db.Services.GetRequiredService<UserScopeLoader>();

    private static CreateUserCommand NewAgent(string userName = "nadia", int? dealershipId = null) => new()
    {
        UserName = userName, DisplayName = "Nadia North", Password = NewPassword, Roles = [Roles.Agent], DealershipId = dealershipId,
        HeadOffice = dealershipId is null, CsiVoiceEnabled = true,
    };

    private Task<bool> PasswordWorksAsync(string userId, string password) =>
        _db.WithUsersAsync(async users => await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, password));

    // ---- create ----

    [Fact]
    public async Task CreateAsync_ByAdmin_CreatesUserAndAuditsWithoutThePassword()
    {
        var north = await _db.AddDealershipAsync();

        var result = await Service.CreateAsync(NewAgent(dealershipId: north.Id), _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.Null(result.Password); // the admin typed it: nothing to reveal
        var scope = await Loader.LoadAsync(result.UserId!);
        Assert.NotNull(scope);
        Assert.Equal("Nadia North", scope.DisplayName);
        Assert.Equal(north.Id, scope.DealershipId);
        Assert.True(scope.CsiVoiceEnabled);
        Assert.Equal([Roles.Agent], scope.Roles);
        Assert.True(await PasswordWorksAsync(result.UserId!, NewPassword));
        var audit = Assert.Single(await _db.AuditAsync("user.created"));
        Assert.Equal(_admin.UserId, audit.UserId);
        Assert.Equal(result.UserId, audit.EntityId);
        Assert.Contains("nadia", audit.Details);
        Assert.Contains("Northgate Motors", audit.Details);
        Assert.DoesNotContain(NewPassword, audit.Details);
    }

    [Fact]
    public async Task CreateAsync_GeneratePassword_ReturnsAPasswordThatMeetsThePolicyAndSignsIn()
    {
        var command = NewAgent();
        command.GeneratePassword = true;
        command.Password = "";

        var result = await Service.CreateAsync(command, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.NotNull(result.Password);
        Assert.Empty(UserAdminPasswords.Problems(result.Password, new PasswordOptions { RequiredLength = 10 }));
        Assert.True(await PasswordWorksAsync(result.UserId!, result.Password));
        Assert.DoesNotContain(result.Password, Assert.Single(await _db.AuditAsync("user.created")).Details);
    }

    [Fact]
    public async Task CreateAsync_ByNonAdmin_IsForbiddenAndCreatesNothing()
    {
        var supervisor = await _db.CreateUserAsync("sasha", Roles.Supervisor);

        var result = await Service.CreateAsync(NewAgent(), supervisor);

        Assert.Equal(UserAdminOutcome.Forbidden, result.Outcome);
        Assert.Null(await _db.WithUsersAsync(users => users.FindByNameAsync("nadia")));
        Assert.Empty(await _db.AuditAsync("user.created"));
    }

    [Fact]
    public async Task CreateAsync_AdminDisabledSinceTheirPageLoaded_IsForbidden()
    {
        var other = await _db.CreateUserAsync("grace", Roles.Admin);
        Assert.Equal(UserAdminOutcome.Done, (await Service.DisableAsync(other.UserId, _admin)).Outcome);

        // "other" still holds the scope their page loaded before they were disabled.
        var result = await Service.CreateAsync(NewAgent(), other);

        Assert.Equal(UserAdminOutcome.Forbidden, result.Outcome);
    }

    [Fact]
    public async Task CreateAsync_DealershipLeftEmpty_IsInvalidAndCreatesNoHeadOfficeUser()
    {
        var command = NewAgent();
        command.HeadOffice = false; // Dealership left empty, Head office not chosen

        var result = await Service.CreateAsync(command, _admin);

        Assert.Equal(UserAdminOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(CreateUserCommand.DealershipId) && e.Error == CreateUserCommandValidator.NoDealershipMessage);
        Assert.Null(await _db.WithUsersAsync(users => users.FindByNameAsync("nadia")));
    }

    [Fact]
    public async Task CreateAsync_ShortPassword_IsInvalidAndCreatesNothing()
    {
        var command = NewAgent();
        command.Password = "Sh0rt!";

        var result = await Service.CreateAsync(command, _admin);

        Assert.Equal(UserAdminOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(CreateUserCommand.Password) && e.Error.Contains("at least 10 characters"));
        Assert.Null(await _db.WithUsersAsync(users => users.FindByNameAsync("nadia")));
    }

    [Fact]
    public async Task CreateAsync_TakenUserName_IsInvalidAndNotAudited()
    {
        Assert.Equal(UserAdminOutcome.Done, (await Service.CreateAsync(NewAgent(), _admin)).Outcome);

        var result = await Service.CreateAsync(NewAgent(), _admin);

        Assert.Equal(UserAdminOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(CreateUserCommand.UserName) && e.Error == "That user name is already taken.");
        Assert.Single(await _db.AuditAsync("user.created"));
    }

    [Fact]
    public async Task CreateAsync_UnknownDealership_IsInvalid()
    {
        var result = await Service.CreateAsync(NewAgent(dealershipId: 999), _admin);

        Assert.Equal(UserAdminOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Property == nameof(CreateUserCommand.DealershipId));
    }

    [Fact]
    public async Task CreateAsync_Extension_IsSavedListedAndAudited()
    {
        var command = NewAgent();
        command.Extension = " 2001 ";

        var result = await Service.CreateAsync(command, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.Equal("2001", (await _db.FindUserAsync(result.UserId!)).Extension);
        Assert.Equal("2001", (await Service.ListAsync(_admin)).Single(u => u.Id == result.UserId).Extension);
        Assert.Contains("extension 2001", Assert.Single(await _db.AuditAsync("user.created")).Details);
    }

    [Fact]
    public async Task CreateAsync_TakenExtension_IsInvalidNamingWhoHasIt()
    {
        var first = NewAgent();
        first.Extension = "2001";
        Assert.Equal(UserAdminOutcome.Done, (await Service.CreateAsync(first, _admin)).Outcome);
        var second = NewAgent("noah");
        second.Extension = "2001";

        var result = await Service.CreateAsync(second, _admin);

        Assert.Equal(UserAdminOutcome.Invalid, result.Outcome);
        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(CreateUserCommand.Extension), error.Property);
        Assert.Equal("Extension 2001 is already Nadia North's (nadia): choose another, or remove it from them first.", error.Error);
        Assert.Single(await _db.AuditAsync("user.created"));
    }

    [Fact]
    public async Task EditAsync_Extension_ChangesAuditsAndKeepsTheirSessions_AndATakenOneIsRefused()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);
        var other = NewAgent();
        other.Extension = "2002";
        await Service.CreateAsync(other, _admin);
        var stampBefore = (await _db.FindUserAsync(agent.UserId)).SecurityStamp;
        EditUserCommand Edit(string? extension) => new()
        {
            UserId = agent.UserId, DisplayName = agent.DisplayName, Roles = [Roles.Agent], DealershipId = null, CsiVoiceEnabled = true, Extension = extension,
        };

        var set = await Service.EditAsync(Edit("2001"), _admin);
        var taken = await Service.EditAsync(Edit("2002"), _admin);

        Assert.Equal(UserAdminOutcome.Done, set.Outcome);
        Assert.Equal(UserAdminOutcome.Invalid, taken.Outcome);
        Assert.Contains("Extension 2002 is already Nadia North's", taken.Message);
        Assert.Equal("2001", (await _db.FindUserAsync(agent.UserId)).Extension);
        Assert.Equal(stampBefore, (await _db.FindUserAsync(agent.UserId)).SecurityStamp);
        Assert.Contains("extension none → 2001", Assert.Single(await _db.AuditAsync("user.updated")).Details);

        Assert.Equal(UserAdminOutcome.Done, (await Service.EditAsync(Edit(""), _admin)).Outcome);
        Assert.Null((await _db.FindUserAsync(agent.UserId)).Extension);
    }

    // ---- edit ----

    [Fact]
    public async Task EditAsync_NewRightsAndDealership_SavesAuditsAndEndsTheirSessions()
    {
        var north = await _db.AddDealershipAsync();
        var agent = await _db.CreateUserAsync("noah", Roles.Agent, north.Id);
        var stampBefore = (await _db.FindUserAsync(agent.UserId)).SecurityStamp;

        var result = await Service.EditAsync(new EditUserCommand
        {
            UserId = agent.UserId, DisplayName = "Noah Northcote", Roles = [Roles.Agent, Roles.Supervisor], DealershipId = null, CsiVoiceEnabled = false,
        }, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        var scope = (await Loader.LoadAsync(agent.UserId))!;
        Assert.Equal("Noah Northcote", scope.DisplayName);
        Assert.True(scope.IsHeadOffice);
        Assert.False(scope.CsiVoiceEnabled);
        Assert.Equal([Roles.Agent, Roles.Supervisor], scope.Roles.Order());
        Assert.NotEqual(stampBefore, (await _db.FindUserAsync(agent.UserId)).SecurityStamp);
        var details = Assert.Single(await _db.AuditAsync("user.updated")).Details!;
        Assert.Contains("roles added: Supervisor", details);
        Assert.Contains("head office", details);
        Assert.Contains("CSI Voice on → off", details);
    }

    [Fact]
    public async Task EditAsync_DisplayNameOnly_KeepsTheirSessions()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);
        var stampBefore = (await _db.FindUserAsync(agent.UserId)).SecurityStamp;

        var result = await Service.EditAsync(new EditUserCommand
        {
            UserId = agent.UserId, DisplayName = "Noah N.", Roles = [Roles.Agent], DealershipId = null, CsiVoiceEnabled = true,
        }, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.Equal(stampBefore, (await _db.FindUserAsync(agent.UserId)).SecurityStamp);
        Assert.Equal("Noah N.", (await _db.FindUserAsync(agent.UserId)).DisplayName);
    }

    [Fact]
    public async Task EditAsync_NoChanges_IsUnchangedAndNotAudited()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);

        var result = await Service.EditAsync(new EditUserCommand
        {
            UserId = agent.UserId, DisplayName = agent.DisplayName, Roles = [Roles.Agent], DealershipId = null, CsiVoiceEnabled = true,
        }, _admin);

        Assert.Equal(UserAdminOutcome.Unchanged, result.Outcome);
        Assert.Empty(await _db.AuditAsync("user.updated"));
    }

    [Fact]
    public async Task EditAsync_LastAdminRemovesOwnAdminRole_IsRefusedAndStaysAdmin()
    {
        var result = await Service.EditAsync(new EditUserCommand
        {
            UserId = _admin.UserId, DisplayName = _admin.DisplayName, Roles = [Roles.Supervisor], CsiVoiceEnabled = true,
        }, _admin);

        Assert.Equal(UserAdminOutcome.Refused, result.Outcome);
        Assert.Equal([Roles.Admin], (await Loader.LoadAsync(_admin.UserId))!.Roles);
        Assert.Empty(await _db.AuditAsync("user.updated"));
    }

    [Fact]
    public async Task EditAsync_AnotherAdminDemoted_IsAllowedWhileAnAdminRemains()
    {
        var other = await _db.CreateUserAsync("grace", Roles.Admin);

        var result = await Service.EditAsync(new EditUserCommand
        {
            UserId = other.UserId, DisplayName = other.DisplayName, Roles = [Roles.Supervisor], CsiVoiceEnabled = true,
        }, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.Equal([Roles.Supervisor], (await Loader.LoadAsync(other.UserId))!.Roles);
        Assert.Contains("roles removed: Admin", Assert.Single(await _db.AuditAsync("user.updated")).Details);
    }

    [Fact]
    public async Task EditAsync_ByNonAdmin_IsForbiddenAndChangesNothing()
    {
        var supervisor = await _db.CreateUserAsync("sasha", Roles.Supervisor);

        var result = await Service.EditAsync(new EditUserCommand
        {
            UserId = supervisor.UserId, DisplayName = "Sasha", Roles = [Roles.Admin], CsiVoiceEnabled = true,
        }, supervisor);

        Assert.Equal(UserAdminOutcome.Forbidden, result.Outcome);
        Assert.Equal([Roles.Supervisor], (await Loader.LoadAsync(supervisor.UserId))!.Roles);
    }

    // ---- disable / enable ----

    [Fact]
    public async Task DisableAsync_Agent_LocksThemOutEndsSessionsAndAudits()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);
        var stampBefore = (await _db.FindUserAsync(agent.UserId)).SecurityStamp;

        var result = await Service.DisableAsync(agent.UserId, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        var user = await _db.FindUserAsync(agent.UserId);
        Assert.Equal(DateTimeOffset.MaxValue, user.LockoutEnd);
        Assert.NotEqual(stampBefore, user.SecurityStamp);
        Assert.Null(await Loader.LoadAsync(agent.UserId)); // every service refuses them now
        Assert.True(await _db.WithUsersAsync(async users => await users.IsLockedOutAsync((await users.FindByIdAsync(agent.UserId))!)));
        var audit = Assert.Single(await _db.AuditAsync("user.disabled"));
        Assert.Equal(agent.UserId, audit.EntityId);
        var row = Assert.Single(await Service.ListAsync(_admin, new UserListFilter(Search: "noah")));
        Assert.Equal(UserStatus.Disabled, row.Status);
    }

    /// <summary>
    /// Found by a new user: a disabled agent's page closed, but the customer they had open stayed "being called" by them
    /// for the rest of the lease (a minute), and nobody else could take it.
    /// </summary>
    [Fact]
    public async Task DisableAsync_AgentHoldingACustomer_GivesTheCustomerBackAtOnceAndSaysSo()
    {
        var north = await _db.AddDealershipAsync();
        var record = await _db.AddAwaitingRecordAsync(north.Id, phones: "07700 900123");
        var agent = await _db.CreateUserAsync("noah", Roles.Agent, north.Id);
        var colleague = await _db.CreateUserAsync("nina", Roles.Agent, north.Id);
        Assert.True((await _db.Locks.AcquireAsync(agent, record.Id, "noah-page")).Succeeded);
        Assert.False((await _db.Locks.AcquireAsync(colleague, record.Id, "nina-page")).Succeeded);
        _db.ClearEvents();

        var result = await Service.DisableAsync(agent.UserId, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.Contains("1 customer they had open went back to the chase list", result.Message);
        Assert.Null((await _db.GetRecordAsync(record.Id)).LockHolderId);
        var released = Assert.Single(_db.Events, e => e.Kind == KonnectLive.Core.Live.LiveEventKind.LockReleased);
        Assert.Equal(record.Id, released.RecordId);
        Assert.Equal(agent.UserId, released.AgentId);
        Assert.Equal("the account was disabled", released.Reason);
        var audit = Assert.Single(await _db.AuditAsync(KonnectLive.Core.Calling.CallLockService.ReleasedAction));
        Assert.Contains("the account was disabled", audit.Details);
        Assert.True((await _db.Locks.AcquireAsync(colleague, record.Id, "nina-page")).Succeeded);
    }

    [Fact]
    public async Task DisableAsync_Themselves_IsRefused()
    {
        var result = await Service.DisableAsync(_admin.UserId, _admin);

        Assert.Equal(UserAdminOutcome.Refused, result.Outcome);
        Assert.NotNull(await Loader.LoadAsync(_admin.UserId));
        Assert.Empty(await _db.AuditAsync("user.disabled"));
    }

    [Fact]
    public async Task DisableAsync_ByNonAdmin_IsForbidden()
    {
        var supervisor = await _db.CreateUserAsync("sasha", Roles.Supervisor);
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);

        var result = await Service.DisableAsync(agent.UserId, supervisor);

        Assert.Equal(UserAdminOutcome.Forbidden, result.Outcome);
        Assert.NotNull(await Loader.LoadAsync(agent.UserId));
    }

    [Fact]
    public async Task EnableAsync_DisabledUser_LetsThemBackInAndAudits()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);
        await Service.DisableAsync(agent.UserId, _admin);

        var result = await Service.EnableAsync(agent.UserId, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.Null((await _db.FindUserAsync(agent.UserId)).LockoutEnd);
        Assert.NotNull(await Loader.LoadAsync(agent.UserId));
        Assert.Single(await _db.AuditAsync("user.enabled"));
        Assert.Equal(UserAdminOutcome.Unchanged, (await Service.EnableAsync(agent.UserId, _admin)).Outcome);
    }

    [Fact]
    public async Task EnableAsync_ByNonAdmin_IsForbiddenAndStaysDisabled()
    {
        var supervisor = await _db.CreateUserAsync("sasha", Roles.Supervisor);
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);
        await Service.DisableAsync(agent.UserId, _admin);

        var result = await Service.EnableAsync(agent.UserId, supervisor);

        Assert.Equal(UserAdminOutcome.Forbidden, result.Outcome);
        Assert.Null(await Loader.LoadAsync(agent.UserId));
    }

    // ---- reset password ----

    [Fact]
    public async Task ResetPasswordAsync_AdminsPassword_ReplacesTheOldOneEndsSessionsAndAudits()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);
        var stampBefore = (await _db.FindUserAsync(agent.UserId)).SecurityStamp;

        var result = await Service.ResetPasswordAsync(new ResetPasswordCommand { UserId = agent.UserId, NewPassword = NewPassword }, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.Null(result.Password);
        Assert.True(await PasswordWorksAsync(agent.UserId, NewPassword));
        Assert.False(await PasswordWorksAsync(agent.UserId, DemoData.Password));
        Assert.NotEqual(stampBefore, (await _db.FindUserAsync(agent.UserId)).SecurityStamp);
        var audit = Assert.Single(await _db.AuditAsync("user.password-reset"));
        Assert.DoesNotContain(NewPassword, audit.Details);
    }

    [Fact]
    public async Task ResetPasswordAsync_Generate_ReturnsTheNewPasswordOnce()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);

        var result = await Service.ResetPasswordAsync(new ResetPasswordCommand { UserId = agent.UserId, GeneratePassword = true }, _admin);

        Assert.Equal(UserAdminOutcome.Done, result.Outcome);
        Assert.NotNull(result.Password);
        Assert.True(await PasswordWorksAsync(agent.UserId, result.Password));
        Assert.DoesNotContain(result.Password, Assert.Single(await _db.AuditAsync("user.password-reset")).Details);
    }

    [Fact]
    public async Task ResetPasswordAsync_PasswordWithoutASymbol_IsInvalidAndKeepsTheOldOne()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);

        var result = await Service.ResetPasswordAsync(new ResetPasswordCommand { UserId = agent.UserId, NewPassword = "Abcdefghij1" }, _admin);

        Assert.Equal(UserAdminOutcome.Invalid, result.Outcome);
        Assert.True(await PasswordWorksAsync(agent.UserId, DemoData.Password));
        Assert.Empty(await _db.AuditAsync("user.password-reset"));
    }

    [Fact]
    public async Task ResetPasswordAsync_ByNonAdmin_IsForbiddenAndKeepsTheOldOne()
    {
        var supervisor = await _db.CreateUserAsync("sasha", Roles.Supervisor);
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);

        var result = await Service.ResetPasswordAsync(new ResetPasswordCommand { UserId = agent.UserId, NewPassword = NewPassword }, supervisor);

        Assert.Equal(UserAdminOutcome.Forbidden, result.Outcome);
        Assert.True(await PasswordWorksAsync(agent.UserId, DemoData.Password));
    }

    // ---- list ----

    [Fact]
    public async Task ListAsync_Filters_BySearchRoleDealershipAndHeadOffice()
    {
        var north = await _db.AddDealershipAsync("Northgate Motors");
        var south = await _db.AddDealershipAsync("Southbank Cars");
        await _db.CreateUserAsync("agent.north", Roles.Agent, north.Id);
        await _db.CreateUserAsync("agent.south", Roles.Agent, south.Id);
        await _db.CreateUserAsync("supervisor", Roles.Supervisor);

        static string[] Names(IReadOnlyList<UserRow> rows) => [.. rows.Select(r => r.UserName).Order()];

        Assert.Equal(["ada", "agent.north", "agent.south", "supervisor"], Names(await Service.ListAsync(_admin)));
        Assert.Equal(["agent.north", "agent.south"], Names(await Service.ListAsync(_admin, new UserListFilter(Search: "AGENT"))));
        Assert.Equal(["agent.north", "agent.south"], Names(await Service.ListAsync(_admin, new UserListFilter(Role: Roles.Agent))));
        Assert.Equal(["agent.south"], Names(await Service.ListAsync(_admin, new UserListFilter(DealershipId: south.Id))));
        Assert.Equal(["ada", "supervisor"], Names(await Service.ListAsync(_admin, new UserListFilter(HeadOfficeOnly: true))));
        Assert.Empty(await Service.ListAsync(_admin, new UserListFilter(Search: "a%")));
        var row = Assert.Single(await Service.ListAsync(_admin, new UserListFilter(DealershipId: north.Id)));
        Assert.Equal("Northgate Motors", row.DealershipName);
        Assert.Equal(UserStatus.Active, row.Status);
    }

    [Fact]
    public async Task ListAsync_ByNonAdmin_Throws()
    {
        var agent = await _db.CreateUserAsync("noah", Roles.Agent);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListAsync(agent));
    }
}
