using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class MessageTemplateServiceTests : DispatcherTestBase
{
    private MessageTemplateService Service => Db.Services.GetRequiredService<MessageTemplateService>();
    private UserScope Admin { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Admin = await Db.CreateUserAsync("ada.admin", Roles.Admin);
    }

    [Fact]
    public async Task Save_NonAdmin_IsRefusedAndNothingChanges()
    {
        var supervisor = await Db.CreateUserAsync("sam.supervisor", Roles.Supervisor);

        var result = await Service.SaveAsync(supervisor, new MessageTemplate { Name = "Sneaky", Channel = MessageChannel.Sms, Body = "Hi" });

        Assert.False(result.Succeeded);
        Assert.Equal([MessageTemplateService.AdminsOnly], result.Errors);
        await using var db = Db.NewDbContext();
        Assert.False(await db.MessageTemplates.AnyAsync(t => t.Name == "Sneaky"));
        var existing = await db.MessageTemplates.FirstAsync();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.SetActiveAsync(supervisor, existing.Id, false));
    }

    [Fact]
    public async Task SaveAsync_NewValidTemplate_CreatedAndAudited()
    {
        var result = await Service.SaveAsync(Admin, new MessageTemplate { Name = "  Follow-up  ", Channel = MessageChannel.Sms, Body = "Hi {CustomerFirstName}", Subject = "ignored for SMS" });

        Assert.True(result.Succeeded);
        Assert.Equal("Follow-up", result.Template!.Name);
        Assert.Null(result.Template.Subject);
        Assert.Equal(Admin.DisplayName, result.Template.UpdatedBy);
        await using var db = Db.NewDbContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "template.created" && a.EntityId == result.Template.Id.ToString()));
    }

    [Fact]
    public async Task SaveAsync_ExistingTemplateEdited_UpdatedAndAudited()
    {
        var existing = (await Service.ListAsync()).First(t => t.Channel == MessageChannel.Sms);
        existing.Body = "Hello {CustomerName}, {SurveyLink}";

        var result = await Service.SaveAsync(Admin, existing);

        Assert.True(result.Succeeded);
        await using var db = Db.NewDbContext();
        Assert.Equal("Hello {CustomerName}, {SurveyLink}", (await db.MessageTemplates.SingleAsync(t => t.Id == existing.Id)).Body);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "template.updated" && a.EntityId == existing.Id.ToString()));
    }

    [Fact]
    public async Task SaveAsync_UnknownPlaceholder_RejectedAndNothingStored()
    {
        var result = await Service.SaveAsync(Admin, new MessageTemplate { Name = "Typo", Channel = MessageChannel.Sms, Body = "Hi {FirstNmae}" });

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("{FirstNmae}"));
        Assert.DoesNotContain(await Service.ListAsync(), t => t.Name == "Typo");
    }

    [Fact]
    public async Task SaveAsync_DuplicateName_Rejected()
    {
        var existing = (await Service.ListAsync()).First();

        var result = await Service.SaveAsync(Admin, new MessageTemplate { Name = existing.Name, Channel = MessageChannel.Sms, Body = "Hi" });

        Assert.False(result.Succeeded);
        Assert.Contains("already exists", Assert.Single(result.Errors));
    }

    [Fact]
    public async Task SetActiveAsync_Deactivate_StoredAndAudited()
    {
        var existing = (await Service.ListAsync()).First();

        await Service.SetActiveAsync(Admin, existing.Id, false);

        Assert.False((await Service.ListAsync()).Single(t => t.Id == existing.Id).IsActive);
        await using var db = Db.NewDbContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "template.deactivated"));
    }

    [Fact]
    public async Task Preview_AgainstRealAwaitingRecord_RendersItsDetails()
    {
        var record = await AddRecordAsync();
        var preview = (await Service.PreviewRecordsAsync(Admin)).Single(r => r.Id == record.Id);

        var rendered = Service.Preview(new MessageTemplate { Channel = MessageChannel.Email, Subject = "For {CustomerName}", Body = "{VehicleDescription} {Registration} {SurveyLink}" }, preview.Data);

        Assert.Equal("For Mrs Alice Archer", rendered.Subject);
        Assert.Equal($"Kestrel Aero AB12 CDE https://survey.example.com/r/{record.FocusRecordId}", rendered.Body);
    }
}
