using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Settings;

public sealed class CsiSettingsServiceTests : IAsyncLifetime
{
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, true, [Roles.Admin]);
    private CoreTestDatabase _db = null!;
    private CsiSettingsService Service => _db.Services.GetRequiredService<CsiSettingsService>();

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task GetAsync_SeededRow_ReturnsValuesWithTemplateNames()
    {
        var view = await Service.GetAsync();

        Assert.Equal(DatabaseInitializer.AwaitingTemplateName, view.AwaitingTemplateName);
        Assert.Equal(DatabaseInitializer.PendingTemplateName, view.PendingTemplateName);
        Assert.NotNull(view.AwaitingTemplateId);
        Assert.Equal(60, view.AwaitingDelayMinutes);
        Assert.Equal(90, view.FocusMatchCutOffDays);
        Assert.Equal(9, view.PositiveResponseThreshold);
        Assert.Equal("system", view.UpdatedBy);
    }

    [Fact]
    public async Task UpdateAsync_Admin_PersistsValuesAndWhoAndWhen()
    {
        var before = await Service.GetAsync();
        _db.Time.Advance(TimeSpan.FromHours(2));
        var input = before.ToInput();
        input.AwaitingDelayMinutes = 90;
        input.PendingTemplateId = null;
        input.FocusMatchCutOffDays = 30;
        input.PositiveResponseThreshold = 7;
        input.PendingDelayMinutes = 0;

        var result = await Service.UpdateAsync(Admin, input);

        Assert.Equal(CsiSettingsUpdateOutcome.Saved, result.Outcome);
        await using var db = _db.NewDbContext();
        var row = await db.CsiSettings.AsNoTracking().SingleAsync();
        Assert.Equal((before.AwaitingTemplateId, 90, 30, (int?)null, 0, 7),
            (row.AwaitingTemplateId, row.AwaitingDelayMinutes, row.FocusMatchCutOffDays, row.PendingTemplateId, row.PendingDelayMinutes, row.PositiveResponseThreshold));
        Assert.Equal(_db.Now, row.UpdatedAt);
        Assert.Equal("Ada Admin", row.UpdatedBy);
        Assert.Equal(90, result.Settings!.AwaitingDelayMinutes);
        Assert.Null(result.Settings.PendingTemplateName);
    }

    [Fact]
    public async Task UpdateAsync_Admin_AuditsOldAndNewValuesOfEachChange()
    {
        var before = await Service.GetAsync();
        var input = before.ToInput();
        input.AwaitingDelayMinutes = 90;
        input.PendingTemplateId = null;

        await Service.UpdateAsync(Admin, input);

        await using var db = _db.NewDbContext();
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "settings.csi.updated");
        Assert.Equal(("admin-1", "Ada Admin", "CsiSettings", "1", _db.Now), (entry.UserId, entry.UserName, entry.EntityType, entry.EntityId, entry.At));
        Assert.Equal(
            "CSI Awaiting State Message Delay: 60 min → 90 min\n" +
            $"CSI Pending State Message Contact Template: \"{DatabaseInitializer.PendingTemplateName}\" (#{before.PendingTemplateId}) → No message",
            entry.Details);
    }

    [Fact]
    public async Task UpdateAsync_NothingChanged_SavesNothingAndWritesNoAudit()
    {
        var before = await Service.GetAsync();
        _db.Time.Advance(TimeSpan.FromHours(1));

        var result = await Service.UpdateAsync(Admin, before.ToInput());

        Assert.Equal(CsiSettingsUpdateOutcome.Unchanged, result.Outcome);
        await using var db = _db.NewDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == CsiSettingsService.AuditAction));
        Assert.Equal(before.UpdatedAt, (await db.CsiSettings.AsNoTracking().SingleAsync()).UpdatedAt);
    }

    [Theory]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.Supervisor)]
    public async Task UpdateAsync_NotAdmin_IsRefusedAndChangesNothing(string role)
    {
        var user = new UserScope("user-2", "Sam Super", null, true, [role]);
        var input = (await Service.GetAsync()).ToInput();
        input.AwaitingDelayMinutes = 5;

        var result = await Service.UpdateAsync(user, input);

        Assert.Equal(CsiSettingsUpdateOutcome.Forbidden, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal("Only administrators can change the CSI settings.", result.Message);
        await using var db = _db.NewDbContext();
        Assert.Equal(60, (await db.CsiSettings.AsNoTracking().SingleAsync()).AwaitingDelayMinutes);
        Assert.False(await db.AuditEntries.AnyAsync());
    }

    [Fact]
    public async Task UpdateAsync_InactiveTemplate_IsRejectedAndChangesNothing()
    {
        int inactiveId;
        await using (var db = _db.NewDbContext())
        {
            var t = new MessageTemplate { Name = "Retired", Channel = MessageChannel.Email, Body = "x", IsActive = false, UpdatedAt = _db.Now };
            db.MessageTemplates.Add(t);
            await db.SaveChangesAsync();
            inactiveId = t.Id;
        }
        var input = (await Service.GetAsync()).ToInput();
        input.AwaitingTemplateId = inactiveId;
        input.AwaitingDelayMinutes = 5;

        var result = await Service.UpdateAsync(Admin, input);

        Assert.Equal(CsiSettingsUpdateOutcome.Invalid, result.Outcome);
        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(CsiSettingsInput.AwaitingTemplateId), error.Property);
        Assert.Contains("\"Retired\" is inactive", error.Message);
        await using var check = _db.NewDbContext();
        var row = await check.CsiSettings.AsNoTracking().SingleAsync();
        Assert.NotEqual(inactiveId, row.AwaitingTemplateId);
        Assert.Equal(60, row.AwaitingDelayMinutes);
        Assert.False(await check.AuditEntries.AnyAsync());
    }

    [Fact]
    public async Task UpdateAsync_UnknownTemplate_IsRejected()
    {
        var input = (await Service.GetAsync()).ToInput();
        input.PendingTemplateId = 4_242;

        var result = await Service.UpdateAsync(Admin, input);

        Assert.Equal(CsiSettingsUpdateOutcome.Invalid, result.Outcome);
        Assert.Equal(nameof(CsiSettingsInput.PendingTemplateId), Assert.Single(result.Errors).Property);
        Assert.Contains("#4242 does not exist", result.Message);
    }

    [Fact]
    public async Task UpdateAsync_OutOfRangeValues_ReportsEachAndChangesNothing()
    {
        var input = (await Service.GetAsync()).ToInput();
        input.PositiveResponseThreshold = 11;
        input.PendingDelayMinutes = -1;

        var result = await Service.UpdateAsync(Admin, input);

        Assert.Equal(CsiSettingsUpdateOutcome.Invalid, result.Outcome);
        Assert.Equal([nameof(CsiSettingsInput.PendingDelayMinutes), nameof(CsiSettingsInput.PositiveResponseThreshold)],
            result.Errors.Select(e => e.Property).Order());
        await using var db = _db.NewDbContext();
        Assert.Equal(9, (await db.CsiSettings.AsNoTracking().SingleAsync()).PositiveResponseThreshold);
    }

    [Fact]
    public async Task UpdateAsync_NumbersMissing_RefusedAsRequiredAndChangesNothing()
    {
        var input = (await Service.GetAsync()).ToInput();
        input.AwaitingDelayMinutes = null; // a cleared field: never a silent 0 (that would send every Awaiting message at once)
        input.FocusMatchCutOffDays = null;
        input.PendingDelayMinutes = null;
        input.PositiveResponseThreshold = null;

        var result = await Service.UpdateAsync(Admin, input);

        Assert.Equal(CsiSettingsUpdateOutcome.Invalid, result.Outcome);
        Assert.Equal(
        [
            (nameof(CsiSettingsInput.AwaitingDelayMinutes), "CSI Awaiting State Message Delay is required."),
            (nameof(CsiSettingsInput.FocusMatchCutOffDays), "CSI Focus Match Cut Off Days is required."),
            (nameof(CsiSettingsInput.PendingDelayMinutes), "CSI Pending State Message Delay is required."),
            (nameof(CsiSettingsInput.PositiveResponseThreshold), "CSI Positive Response Threshold is required."),
        ], result.Errors.OrderBy(e => e.Property));
        await using var db = _db.NewDbContext();
        var row = await db.CsiSettings.AsNoTracking().SingleAsync();
        Assert.Equal((60, 90, 60, 9), (row.AwaitingDelayMinutes, row.FocusMatchCutOffDays, row.PendingDelayMinutes, row.PositiveResponseThreshold));
        Assert.False(await db.AuditEntries.AnyAsync());
    }

    [Fact]
    public async Task GetTemplateOptionsAsync_InactiveTemplateStillChosen_IsOfferedMarkedInactive()
    {
        var view = await Service.GetAsync();
        await using (var db = _db.NewDbContext())
        {
            await db.MessageTemplates.Where(t => t.Id == view.AwaitingTemplateId).ExecuteUpdateAsync(s => s.SetProperty(t => t.IsActive, false));
            db.MessageTemplates.Add(new MessageTemplate { Name = "Unused and retired", Channel = MessageChannel.Sms, Body = "x", IsActive = false, UpdatedAt = _db.Now });
            await db.SaveChangesAsync();
        }

        var options = await Service.GetTemplateOptionsAsync();

        Assert.Contains(options, o => o.Id == view.AwaitingTemplateId && !o.IsActive);
        Assert.DoesNotContain(options, o => o.Name == "Unused and retired");
        Assert.Contains(options, o => o.Name == DatabaseInitializer.PendingTemplateName && o.IsActive && o.Channel == MessageChannel.Email);
    }
}
