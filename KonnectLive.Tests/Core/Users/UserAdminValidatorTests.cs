using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Tests.Core.Users;

public sealed class UserAdminValidatorTests
{
    private static readonly IOptions<IdentityOptions> Identity = Options.Create(new IdentityOptions { Password = { RequiredLength = 10 } });

    private static CreateUserCommand Valid() => new()
    {
        UserName = "agent.north3", DisplayName = "Nia North", Password = "Good-pass-123", Roles = [Roles.Agent], HeadOffice = true, CsiVoiceEnabled = true,
    };

    [Theory]
    [InlineData("Sh0rt!pw", "at least 10 characters")]
    [InlineData("alllowercase1!", "upper-case")]
    [InlineData("NoDigitsHere!", "digit")]
    [InlineData("NoSymbols123", "symbol")]
    public void Validate_WeakPassword_FailsWithTheRule(string password, string expected)
    {
        var command = Valid();
        command.Password = password;

        var result = new CreateUserCommandValidator(Identity).Validate(command);

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(CreateUserCommand.Password) && e.ErrorMessage.Contains(expected));
    }

    [Theory]
    [InlineData("20a1", "digits only")]
    [InlineData("+442001", "digits only")]
    [InlineData("123456789012345678901", "at most 20 digits")]
    public void Validate_BadExtension_FailsOnCreateAndEdit(string extension, string expected)
    {
        var create = Valid();
        create.Extension = extension;
        var edit = new EditUserCommand { UserId = "u", DisplayName = "Nia North", Roles = [Roles.Agent], Extension = extension };

        Assert.Contains(new CreateUserCommandValidator(Identity).Validate(create).Errors,
            e => e.PropertyName == nameof(CreateUserCommand.Extension) && e.ErrorMessage.Contains(expected));
        Assert.Contains(new EditUserCommandValidator().Validate(edit).Errors,
            e => e.PropertyName == nameof(EditUserCommand.Extension) && e.ErrorMessage.Contains(expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2001")]
    [InlineData("12345678901234567890")]
    public void Validate_NoOrDigitsExtension_Passes(string? extension)
    {
        var create = Valid();
        create.Extension = extension;

        Assert.True(new CreateUserCommandValidator(Identity).Validate(create).IsValid);
    }

    [Fact]
    public void Validate_NeitherDealershipNorHeadOffice_FailsOnTheDealership()
    {
        var command = Valid();
        command.HeadOffice = false;
        command.DealershipId = null;

        var error = Assert.Single(new CreateUserCommandValidator(Identity).Validate(command).Errors);

        Assert.Equal((nameof(CreateUserCommand.DealershipId), CreateUserCommandValidator.NoDealershipMessage), (error.PropertyName, error.ErrorMessage));
    }

    [Fact]
    public void Validate_DealershipAndHeadOfficeBoth_Fails()
    {
        var command = Valid();
        command.DealershipId = 3;

        Assert.Contains(new CreateUserCommandValidator(Identity).Validate(command).Errors, e => e.PropertyName == nameof(CreateUserCommand.DealershipId));
    }

    [Fact]
    public void Validate_GeneratedPassword_IgnoresThePasswordField()
    {
        var command = Valid();
        command.Password = "";
        command.GeneratePassword = true;

        Assert.True(new CreateUserCommandValidator(Identity).Validate(command).IsValid);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("ab")]
    [InlineData("")]
    public void Validate_BadUserName_Fails(string userName)
    {
        var command = Valid();
        command.UserName = userName;

        Assert.Contains(new CreateUserCommandValidator(Identity).Validate(command).Errors, e => e.PropertyName == nameof(CreateUserCommand.UserName));
    }

    [Fact]
    public void Validate_NoRolesOrUnknownRole_Fails()
    {
        var none = new EditUserCommand { UserId = "x", DisplayName = "X", Roles = [] };
        var unknown = new EditUserCommand { UserId = "x", DisplayName = "X", Roles = ["Root"] };

        Assert.Contains(new EditUserCommandValidator().Validate(none).Errors, e => e.ErrorMessage == "Choose at least one role.");
        Assert.Contains(new EditUserCommandValidator().Validate(unknown).Errors, e => e.PropertyName == nameof(EditUserCommand.Roles));
    }

    [Fact]
    public void Generate_ManyTimes_AlwaysMeetsTheDefaultPolicyAndDiffers()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => UserAdminPasswords.Generate()).ToList();

        Assert.All(passwords, p => Assert.Empty(UserAdminPasswords.Problems(p, Identity.Value.Password)));
        Assert.Equal(passwords.Count, passwords.Distinct().Count());
    }

    [Fact]
    public void Validate_ResetWithWeakPassword_FailsUnlessGenerated()
    {
        var validator = new ResetPasswordCommandValidator(Identity);

        Assert.False(validator.Validate(new ResetPasswordCommand { UserId = "x", NewPassword = "weak" }).IsValid);
        Assert.True(validator.Validate(new ResetPasswordCommand { UserId = "x", GeneratePassword = true }).IsValid);
    }
}
