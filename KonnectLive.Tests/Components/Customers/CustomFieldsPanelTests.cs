using Bunit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Components.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Components.Customers;

/// <summary>The panel against the real services and database, as an admin and as an agent.</summary>
public sealed class CustomFieldsPanelTests : ConfigurationPageTest
{
    private int _customerId;
    private readonly Dictionary<string, int> _fields = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await CreateDbAsync();
        var dealership = new Dealership { Code = "N01", Name = "Northgate" };
        var customer = new Customer { Dealership = dealership, FirstName = "Zoë", LastName = "O'Brien" };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        _customerId = customer.Id;

        var service = Ctx.Services.GetRequiredService<CustomFieldService>();
        foreach (var (name, type, choices) in new[]
                 {
                     ("Nickname", CustomFieldType.Text, (string?)null), ("Visits", CustomFieldType.Number, null),
                     ("Birthday", CustomFieldType.Date, null), ("Wants loan car", CustomFieldType.YesNo, null),
                     ("Tier", CustomFieldType.Choice, "Silver\nGold"),
                 })
            _fields[name] = (await service.SaveAsync(Admin, new CustomFieldInput { Name = name, Type = type, Choices = choices })).Field!.Id;
        var values = Ctx.Services.GetRequiredService<CustomFieldValueService>();
        await values.SetManyAsync(Admin, _customerId, new Dictionary<int, string?>
        {
            [_fields["Nickname"]] = "Zo", [_fields["Visits"]] = "3", [_fields["Birthday"]] = "1990-04-05", [_fields["Wants loan car"]] = "true", [_fields["Tier"]] = "Gold",
        });
    }

    private IRenderedComponent<CustomFieldsPanel> Render(UserScope scope) =>
        Ctx.Render<CustomFieldsPanel>(p => p.Add(x => x.CustomerId, _customerId).Add(x => x.Scope, scope));

    [Fact]
    public async Task Render_Admin_ShowsTypedInputsInOrder()
    {
        var panel = Render(Admin);

        await panel.WaitForAssertionAsync(() => Assert.Equal(5, panel.FindAll("[data-testid=custom-field-input]").Count), Patience);
        var inputs = panel.FindAll("[data-testid=custom-field-input]");
        Assert.Equal(["Text", "Number", "Date", "YesNo", "Choice"], inputs.Select(i => i.GetAttribute("data-type")));
        Assert.Single(panel.FindComponents<MudBlazor.MudNumericField<decimal?>>());
        Assert.Single(panel.FindComponents<MudBlazor.MudDatePicker>());
        Assert.Single(panel.FindComponents<MudBlazor.MudSwitch<bool>>());
        Assert.Single(panel.FindComponents<MudBlazor.MudSelect<string>>());
        Assert.Equal("3", panel.Find("[data-testid=custom-field-input][data-field=Visits] input").GetAttribute("value"));
        Assert.Equal("Gold", panel.Find("[data-testid=custom-field-input][data-field=Tier] input").GetAttribute("value"));
        Assert.Empty(panel.FindAll("[data-testid=custom-fields-readonly]"));
    }

    [Fact]
    public async Task Render_AgentWhenAgentsMayNotEdit_IsReadOnly()
    {
        var agent = await CreateUserAsync("andy", "Andy Agent", Roles.Agent);

        var panel = Render(agent);

        await panel.WaitForAssertionAsync(() => Assert.Equal(5, panel.FindAll("[data-testid=custom-field-value]").Count), Patience);
        Assert.Empty(panel.FindAll("[data-testid=custom-field-input]"));
        Assert.Empty(panel.FindAll("[data-testid=custom-fields-save]"));
        Assert.NotEmpty(panel.FindAll("[data-testid=custom-fields-readonly]"));
        var values = panel.FindAll("[data-testid=custom-field-value]").ToDictionary(e => e.GetAttribute("data-field")!, e => e.TextContent.Trim());
        Assert.Equal(("Zo", "Yes", "Gold"), (values["Nickname"], values["Wants loan car"], values["Tier"]));
        Assert.Contains("1990", values["Birthday"]);
    }

    [Fact]
    public async Task Save_AgentWhenAgentsMayEdit_SavesChangedField()
    {
        await Ctx.Services.GetRequiredService<CustomFieldService>().SetAgentsMayEditContactsAsync(Admin, true);
        var agent = await CreateUserAsync("andy", "Andy Agent", Roles.Agent);
        var panel = Render(agent);
        await panel.WaitForAssertionAsync(() => Assert.Equal(5, panel.FindAll("[data-testid=custom-field-input]").Count), Patience);

        var nickname = panel.Find("[data-testid=custom-field-input][data-field=Nickname] input");
        await nickname.InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Zozo" });
        await panel.Find("[data-testid=custom-fields-save]").ClickAsync(new());

        await EventuallyAsync(async () =>
        {
            await using var db = await CreateDbAsync();
            return await db.CustomFieldValues.AnyAsync(v => v.DefinitionId == _fields["Nickname"] && v.Value == "Zozo" && v.UpdatedBy == "Andy Agent");
        }, "the agent's value is saved");
    }
}
