using KonnectLive.Core.Common;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Settings;

public sealed class SecuritySettingsServiceTests : IAsyncLifetime
{
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, true, [Roles.Admin]);
    private static readonly UserScope Supervisor = new("super-1", "Sam Supervisor", null, false, [Roles.Supervisor]);
    private CoreTestDatabase _db = null!;
    private SecuritySettingsService Service => _db.Services.GetRequiredService<SecuritySettingsService>();

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task UpdateAsync_AdminTurnsItOn_StoredAuditedAndAppliesAtOnce_OnlyToAdminsAndSupervisorsWithoutTwoFactor()
    {
        Assert.False(await Service.RequiresTwoFactorForStaffAsync()); // off until an admin turns it on

        var result = await Service.UpdateAsync(Admin, new SecuritySettingsInput { RequireTwoFactorForStaff = true });

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        Assert.True(await Service.RequiresTwoFactorForStaffAsync()); // no wait for the cache on the instance that changed it
        await using var db = _db.NewDbContext();
        var row = await db.AppSettings.AsNoTracking().SingleAsync();
        Assert.True(row.RequireTwoFactorForStaff);
        Assert.Equal("Ada Admin", row.UpdatedBy);
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == SecuritySettingsService.AuditAction);
        Assert.Contains("no → yes", audit.Details);

        Assert.True(await Service.MustEnrolAsync(r => r == Roles.Admin, twoFactorEnabled: false));
        Assert.True(await Service.MustEnrolAsync(r => r == Roles.Supervisor, twoFactorEnabled: false));
        Assert.False(await Service.MustEnrolAsync(r => r == Roles.Admin, twoFactorEnabled: true));
        Assert.False(await Service.MustEnrolAsync(r => r == Roles.Agent, twoFactorEnabled: false));
        Assert.Equal(CommandOutcome.Unchanged, (await Service.UpdateAsync(Admin, new SecuritySettingsInput { RequireTwoFactorForStaff = true })).Outcome);
    }

    [Fact]
    public async Task UpdateAsync_NotAnAdminOrNoAnswer_RefusedAndNothingStored()
    {
        Assert.Equal(CommandOutcome.Forbidden, (await Service.UpdateAsync(Supervisor, new SecuritySettingsInput { RequireTwoFactorForStaff = true })).Outcome);
        var invalid = await Service.UpdateAsync(Admin, new SecuritySettingsInput { RequireTwoFactorForStaff = null });
        Assert.Equal(CommandOutcome.Invalid, invalid.Outcome);
        Assert.Contains(invalid.Errors, e => e.Property == nameof(SecuritySettingsInput.RequireTwoFactorForStaff));

        Assert.False(await Service.RequiresTwoFactorForStaffAsync());
        await using var db = _db.NewDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == SecuritySettingsService.AuditAction));
    }
}
