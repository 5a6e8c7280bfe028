using Bunit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Requests;
using KonnectLive.Desktop.Components.Pages.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class RequestTypesPageTests : ConfigurationPageTest
{
    private RequestTypeService Types => Ctx.Services.GetRequiredService<RequestTypeService>();

    [Fact]
    public async Task AddType_WithARequiredField_IsListedAndAudited()
    {
        var page = Ctx.Render<RequestTypes>();
        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("[data-testid=no-request-types]")), Patience);

        await page.Find("input[data-testid=type-name]").InputAsync(new() { Value = "Complaint" });
        await page.Find("[data-testid=type-add-field]").ClickAsync(new());
        await page.Find("input[data-testid=type-field-name]").InputAsync(new() { Value = "What happened" });
        var required = page.Find("[data-testid=type-field-required]");
        await (required.TagName == "INPUT" ? required : required.QuerySelector("input")!).ChangeAsync(new() { Value = true });
        await page.Find("[data-testid=type-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Equal("Complaint", page.Find("[data-testid=type-row-name]").TextContent.Trim()), Patience);
        Assert.Contains("What happened *", page.Find("[data-testid=type-row-fields]").TextContent);
        await using var db = await CreateDbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == RequestTypeService.CreatedAction));
    }

    [Fact]
    public async Task AddType_NameTaken_ShowsTheClashAboveTheForm()
    {
        await Types.SaveAsync(Admin, new RequestTypeInput { Name = "Complaint" });
        var page = Ctx.Render<RequestTypes>();
        await page.WaitForAssertionAsync(() => Assert.Single(page.FindAll("[data-testid=type-row-name]")), Patience);

        await page.Find("input[data-testid=type-name]").InputAsync(new() { Value = "COMPLAINT" });
        await page.Find("[data-testid=type-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(() =>
            Assert.Contains("A request type called 'COMPLAINT' already exists", page.Find("[data-testid=form-errors]").TextContent), Patience);
        Assert.Single(await Types.ListAsync());
    }

    [Fact]
    public async Task Deactivate_Type_ShowsItInactive()
    {
        await Types.SaveAsync(Admin, new RequestTypeInput { Name = "Information", Fields = [new() { Name = "Topic", Type = CustomFieldType.Text }] });
        var page = Ctx.Render<RequestTypes>();
        await page.WaitForAssertionAsync(() => Assert.Single(page.FindAll("[data-testid=type-row-name]")), Patience);

        await page.Find("[data-testid=type-toggle]").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Equal("Inactive", page.Find("[data-testid=type-row-state]").TextContent.Trim()), Patience);
        Assert.False((await Types.ListAsync()).Single().IsActive);
    }
}
