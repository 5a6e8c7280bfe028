using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KonnectLive.Tests.Core.Requests.RequestTestData;

namespace KonnectLive.Tests.Core.Requests;

public sealed class RequestTypeServiceTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private RequestTypeService Types => _db.Services.GetRequiredService<RequestTypeService>();

    [Fact]
    public async Task SaveAsync_NewType_StoresFieldsInOrderAndAudits()
    {
        var type = await AddServiceBookingAsync(_db);

        Assert.Equal(["Preferred date", "Mileage", "Reason", "Courtesy car", "Notes"], type.Fields.Select(f => f.Name));
        Assert.True(type.Fields[0].IsRequired);
        Assert.Equal(["Recall", "Repair"], type.Fields[2].Choices);
        await using var db = _db.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == RequestTypeService.CreatedAction && a.EntityId == type.Id.ToString()));
    }

    [Fact]
    public async Task SaveAsync_NameTakenInOtherCase_IsRefusedNamingTheClash()
    {
        await AddServiceBookingAsync(_db, "Complaint");

        var result = await Types.SaveAsync(Admin, new RequestTypeInput { Name = " complaint " });

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Contains("A request type called 'complaint' already exists", result.Message);
    }

    [Fact]
    public async Task SaveAsync_ChoiceWithoutChoicesOrTwoFieldsSameName_IsRefused()
    {
        var result = await Types.SaveAsync(Admin, new RequestTypeInput
        {
            Name = "Info",
            Fields = [new() { Name = "Topic", Type = CustomFieldType.Choice }, new() { Name = "topic" }],
        });

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Contains("needs at least one choice", result.Message);
        Assert.Contains("Two fields are called 'Topic'", result.Message);
    }

    [Fact]
    public async Task SaveAsync_NotAdmin_IsForbidden()
    {
        var agent = CoreTestDatabase.Agent("Amy Agent", null);

        var result = await Types.SaveAsync(agent, new RequestTypeInput { Name = "Complaint" });

        Assert.Equal(CommandOutcome.Forbidden, result.Outcome);
        Assert.Empty(await Types.ListAsync());
    }

    [Fact]
    public async Task UsedType_CannotBeDeletedOrLoseAUsedField_ButCanBeDeactivated()
    {
        var type = await AddServiceBookingAsync(_db);
        var dealershipId = (await _db.AddDealershipAsync()).Id;
        var customerId = (await _db.AddAwaitingRecordAsync(dealershipId, phones: "+447700900123")).CustomerId;
        var agent = CoreTestDatabase.Agent("Amy Agent", dealershipId);
        var requests = _db.Services.GetRequiredService<CustomerRequestService>();
        var raised = await requests.SubmitAsync(agent, new RequestContext(customerId),
            new RequestSubmission(null, type.Id, new Dictionary<int, string?> { [Field(type, "Preferred date")] = "2026-03-10", [Field(type, "Mileage")] = "12000" }, Save: true));
        Assert.True(raised.Succeeded, raised.Message);

        var delete = await Types.DeleteAsync(Admin, type.Id);
        var input = (await Types.ListAsync()).Single().ToInput();
        input.Fields.RemoveAll(f => f.Name == "Mileage");
        var dropField = await Types.SaveAsync(Admin, input);
        input = (await Types.ListAsync()).Single().ToInput();
        input.Fields.Single(f => f.Name == "Mileage").Type = CustomFieldType.Text;
        var retype = await Types.SaveAsync(Admin, input);
        var deactivate = await Types.SetActiveAsync(Admin, type.Id, false);

        Assert.Equal(CommandOutcome.Refused, delete.Outcome);
        Assert.Contains("Field 'Mileage' has values in requests", dropField.Message);
        Assert.Contains("the type cannot change", retype.Message);
        Assert.Equal(CommandOutcome.Done, deactivate.Outcome);
        var panel = await requests.GetPanelAsync(agent, new RequestContext(customerId));
        Assert.Empty(panel!.Types); // not offered any more, but the request stays
        Assert.Single(await _db.Services.GetRequiredService<RequestsQuery>().ForCustomerAsync(agent, customerId));
    }

    [Fact]
    public async Task SaveAsync_ReorderAndUnusedFieldRemoved_AreSaved()
    {
        var type = await AddServiceBookingAsync(_db);
        var input = type.ToInput();
        input.Fields.RemoveAll(f => f.Name == "Notes");
        input.Fields.Reverse();

        var result = await Types.SaveAsync(Admin, input);

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        Assert.Equal(["Courtesy car", "Reason", "Mileage", "Preferred date"], (await Types.ListAsync()).Single().Fields.Select(f => f.Name));
    }
}
