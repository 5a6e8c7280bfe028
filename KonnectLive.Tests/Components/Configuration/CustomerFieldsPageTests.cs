using Bunit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Desktop.Components.Pages.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class CustomerFieldsPageTests : ConfigurationPageTest
{
    private CustomFieldService Fields => Ctx.Services.GetRequiredService<CustomFieldService>();

    [Fact]
    public async Task Render_Fields_ListsThemInOrderWithState()
    {
        await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "Nickname" });
        var tier = (await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "Tier", Type = CustomFieldType.Choice, Choices = "Silver\nGold" })).Field!;
        await Fields.SetActiveAsync(Admin, tier.Id, false);

        var page = Ctx.Render<CustomerFields>();

        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=field-row-name]").Count), Patience);
        Assert.Equal(["Nickname", "Tier"], page.FindAll("[data-testid=field-row-name]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["Active", "Inactive"], page.FindAll("[data-testid=field-row-state]").Select(e => e.TextContent.Trim()));
        Assert.Contains("Choice", page.FindAll("[data-testid=field-row-type]")[1].TextContent);
    }

    [Fact]
    public async Task Render_NoFields_SaysSo()
    {
        var page = Ctx.Render<CustomerFields>();

        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("[data-testid=no-fields]")), Patience);
    }

    [Fact]
    public async Task MoveDown_FirstField_ReordersTheList()
    {
        await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "A" });
        await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "B" });
        var page = Ctx.Render<CustomerFields>();
        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=field-row-name]").Count), Patience);

        await page.FindAll("[data-testid=move-down]")[0].ClickAsync(new());

        await page.WaitForAssertionAsync(() =>
            Assert.Equal(["B", "A"], page.FindAll("[data-testid=field-row-name]").Select(e => e.TextContent.Trim())), Patience);
    }

    [Fact]
    public async Task AgentsMayEditSwitch_TurnedOn_SavesSettingAndAudits()
    {
        var page = Ctx.Render<CustomerFields>();
        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("[data-testid=no-fields]")), Patience);
        var agentsMayEdit = page.FindComponents<MudBlazor.MudSwitch<bool>>()[0]; // the first switch on the page
        Assert.Contains("Agents may edit contacts", agentsMayEdit.Markup);

        await agentsMayEdit.Find("input").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        await EventuallyAsync(async () =>
        {
            await using var db = await CreateDbAsync();
            return await db.AppSettings.AnyAsync(s => s.AgentsMayEditContacts)
                   && await db.AuditEntries.AnyAsync(a => a.Action == CustomFieldService.AppSettingsAction);
        }, "the switch is saved and audited");
    }
}
