using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Requests;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Components.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Components.Shared;

/// <summary>The requests panel against the real services and database (the configuration pages' base gives both).</summary>
public sealed class RequestsPanelTests : ConfigurationPageTest
{
    private UserScope _agent = null!;
    private int _customerId;
    private int _recordId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var db = await CreateDbAsync())
        {
            var dealership = new Dealership { Code = "RQ1", Name = "Northgate Motors" };
            db.Dealerships.Add(dealership);
            await db.SaveChangesAsync();
            var customer = new Customer { DealershipId = dealership.Id, FirstName = "Alice", LastName = "Archer" };
            customer.Phones.Add(new CustomerPhone { Position = 1, Number = "+447700900123", Type = PhoneType.Mobile });
            var vehicle = new Vehicle { Registration = "AB12 CDE" };
            customer.Vehicles.Add(vehicle);
            var record = SurveyRecord.Create("RQ-000001", dealership.Id, customer, vehicle, SurveyStatus.Awaiting, Now.AddDays(-1), null,
                EventType.Service, Now.AddDays(-3), Now.AddDays(-1));
            db.SurveyRecords.Add(record);
            await db.SaveChangesAsync();
            (_customerId, _recordId) = (customer.Id, record.Id);
            _agent = await CreateUserAsync("amy", "Amy Agent", Roles.Agent);
            await db.Users.Where(u => u.Id == _agent.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DealershipId, dealership.Id));
            _agent = _agent with { DealershipId = dealership.Id };
        }
        var saved = await Ctx.Services.GetRequiredService<RequestTypeService>().SaveAsync(Admin, new RequestTypeInput
        {
            Name = "Service booking",
            Fields = [new() { Name = "Preferred date", Type = CustomFieldType.Date, IsRequired = true }, new() { Name = "Work needed", Type = CustomFieldType.Text }],
        });
        Assert.True(saved.Succeeded, saved.Message);
    }

    private async Task<IRenderedComponent<RequestsPanel>> RaiseAsync(int? recordId = null, string? token = null)
    {
        var panel = Ctx.Render<RequestsPanel>(p => p.Add(x => x.CustomerId, _customerId).Add(x => x.Scope, _agent)
            .Add(x => x.RecordId, recordId).Add(x => x.PageToken, token));
        await panel.WaitForAssertionAsync(() => Assert.False(panel.Find("[data-testid=request-raise]").HasAttribute("disabled")), Patience);
        await panel.Find("[data-testid=request-raise]").ClickAsync(new());
        await panel.WaitForAssertionAsync(() => Assert.Single(panel.FindAll("[data-testid=request-item]")), Patience);
        return panel;
    }

    [Fact]
    public async Task Save_RequiredFieldEmpty_ShowsTheErrorAndKeepsTheDraft()
    {
        var panel = await RaiseAsync();

        await panel.Find("[data-field='Work needed'] textarea").InputAsync(new() { Value = "Brakes" });
        await panel.Find("[data-testid=request-save]").ClickAsync(new());

        await panel.WaitForAssertionAsync(() => Assert.Contains("Preferred date is required.", panel.Find("[data-field='Preferred date']").TextContent), Patience);
        Assert.Equal("Draft", panel.Find("[data-testid=request-status]").TextContent.Trim());
        await using var db = await CreateDbAsync();
        Assert.Equal("Brakes", (await db.CustomerRequestValues.SingleAsync()).Value);
    }

    [Fact]
    public async Task RequiredField_IsAnnouncedAsRequired_OptionalOneIsNot()
    {
        var panel = await RaiseAsync();

        var required = panel.Find("[data-field='Preferred date'] input");
        Assert.True(required.GetAttribute("aria-required") == "true", panel.Find("[data-field='Preferred date']").OuterHtml);
        var optional = panel.Find("[data-field='Work needed'] textarea");
        Assert.NotEqual("true", optional.GetAttribute("aria-required"));
        // One asterisk on the required field's label, none on the optional one.
        Assert.Equal(1, panel.Find("[data-field='Preferred date'] label").TextContent.Count(ch => ch == '*'));
        Assert.DoesNotContain("*", panel.Find("[data-field='Work needed'] label").TextContent);
    }

    [Fact]
    public async Task Typing_IsKeptOnTheServerWithoutSaving()
    {
        var panel = await RaiseAsync();

        await panel.Find("[data-field='Work needed'] textarea").InputAsync(new() { Value = "Wipers squeak" });

        await EventuallyAsync(async () =>
        {
            await using var db = await CreateDbAsync();
            return await db.CustomerRequestValues.AnyAsync(v => v.Value == "Wipers squeak");
        }, "the typed text is kept as a draft");
        // A reload (new circuit) shows it again.
        var again = Ctx.Render<RequestsPanel>(p => p.Add(x => x.CustomerId, _customerId).Add(x => x.Scope, _agent));
        await again.WaitForAssertionAsync(() => Assert.Equal("Wipers squeak", again.Find("[data-field='Work needed'] textarea").GetAttribute("value")
            ?? again.Find("[data-field='Work needed'] textarea").TextContent), Patience);
    }

    [Fact]
    public async Task CallingPageWithoutTheLock_IsReadOnlyAndSaysWhy()
    {
        var panel = Ctx.Render<RequestsPanel>(p => p.Add(x => x.CustomerId, _customerId).Add(x => x.Scope, _agent)
            .Add(x => x.RecordId, _recordId).Add(x => x.PageToken, CallLockService.NewPageToken()));

        await panel.WaitForAssertionAsync(() =>
            Assert.Equal(CustomerRequestService.LockLost, panel.Find("[data-testid=requests-readonly-reason]").TextContent.Trim()), Patience);
        Assert.Empty(panel.FindAll("[data-testid=request-raise]"));
    }
}
