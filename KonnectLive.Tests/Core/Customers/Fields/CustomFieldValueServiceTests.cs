using System.Globalization;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Fields;

public sealed class CustomFieldValueServiceTests : IAsyncLifetime
{
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, false, [Roles.Admin]);
    private CoreTestDatabase _db = null!;
    private int _dealershipId;
    private int _customerId;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _dealershipId = (await _db.AddDealershipAsync()).Id;
        _customerId = (await _db.AddAwaitingRecordAsync(_dealershipId, phones: "+447700900123")).CustomerId;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CustomFieldService Fields => _db.Services.GetRequiredService<CustomFieldService>();
    private CustomFieldValueService Values => _db.Services.GetRequiredService<CustomFieldValueService>();

    private async Task<int> AddFieldAsync(string name, CustomFieldType type, string? choices = null)
    {
        var result = await Fields.SaveAsync(Admin, new CustomFieldInput { Name = name, Type = type, Choices = choices });
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Field!.Id;
    }

    [Theory]
    [InlineData(CustomFieldType.Number, "12.5", "12.5")]
    [InlineData(CustomFieldType.Number, " -3 ", "-3")]
    [InlineData(CustomFieldType.Number, "1,5", "1.5")]   // sv-SE decimal comma
    [InlineData(CustomFieldType.Number, "abc", null)]
    [InlineData(CustomFieldType.Number, "1e5", null)]
    [InlineData(CustomFieldType.Date, "2026-03-01", "2026-03-01")]
    [InlineData(CustomFieldType.Date, "01/03/2026", null)]
    [InlineData(CustomFieldType.Date, "2026-02-30", null)]
    [InlineData(CustomFieldType.YesNo, "true", "true")]
    [InlineData(CustomFieldType.YesNo, "FALSE", "false")]
    [InlineData(CustomFieldType.YesNo, "maybe", null)]
    [InlineData(CustomFieldType.Choice, "gold", "Gold")]
    [InlineData(CustomFieldType.Choice, "Platinum", null)]
    [InlineData(CustomFieldType.Text, "Prefers mornings", "Prefers mornings")]
    public async Task SetAsync_ValueOfType_StoresInvariantOrRefuses(CustomFieldType type, string input, string? stored)
    {
        var id = await AddFieldAsync("Field", type, type == CustomFieldType.Choice ? "Silver\nGold\n" : null);

        var result = await Values.SetAsync(Admin, _customerId, id, input, CultureInfo.GetCultureInfo("sv-SE"));

        await using var db = _db.NewDbContext();
        var row = await db.CustomFieldValues.SingleOrDefaultAsync(v => v.CustomerId == _customerId && v.DefinitionId == id);
        if (stored is null)
        {
            Assert.Equal(CustomFieldUpdateOutcome.Invalid, result.Outcome);
            Assert.True(result.Errors.ContainsKey(id));
            Assert.Null(row);
        }
        else
        {
            Assert.Equal(CustomFieldUpdateOutcome.Saved, result.Outcome);
            Assert.Equal(stored, row!.Value);
        }
    }

    [Fact]
    public async Task SetAsync_TextLongerThan1000_IsRefused()
    {
        var id = await AddFieldAsync("Notes", CustomFieldType.Text);

        var tooLong = await Values.SetAsync(Admin, _customerId, id, new string('x', 1001));
        var justRight = await Values.SetAsync(Admin, _customerId, id, new string('x', 1000));

        Assert.Equal(CustomFieldUpdateOutcome.Invalid, tooLong.Outcome);
        Assert.Equal(CustomFieldUpdateOutcome.Saved, justRight.Outcome);
    }

    [Fact]
    public async Task SetAsync_AgentWhenAgentsMayNotEdit_IsForbidden()
    {
        var id = await AddFieldAsync("Colour", CustomFieldType.Text);
        var agent = CoreTestDatabase.Agent("Andy Agent", _dealershipId);
        await Fields.SetAgentsMayEditContactsAsync(Admin, false);

        var result = await Values.SetAsync(agent, _customerId, id, "Blue");
        var view = await Values.GetAsync(agent, _customerId);

        Assert.Equal(CustomFieldUpdateOutcome.Forbidden, result.Outcome);
        Assert.False(view!.CanEdit);
        await using var db = _db.NewDbContext();
        Assert.False(await db.CustomFieldValues.AnyAsync());
    }

    [Fact]
    public async Task SetAsync_AgentWhenAgentsMayEdit_SavesAndAudits()
    {
        var id = await AddFieldAsync("Colour", CustomFieldType.Text);
        var agent = CoreTestDatabase.Agent("Andy Agent", _dealershipId);
        await Fields.SetAgentsMayEditContactsAsync(Admin, true);

        var result = await Values.SetAsync(agent, _customerId, id, "Blue");

        Assert.Equal(CustomFieldUpdateOutcome.Saved, result.Outcome);
        Assert.True(result.Fields!.CanEdit);
        Assert.Equal("Blue", Assert.Single(result.Fields.Fields).Value);
        await using var db = _db.NewDbContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == CustomFieldValueService.AuditAction);
        Assert.Equal((agent.UserId, _customerId), (audit.UserId, audit.CustomerId));
        Assert.Contains("Colour: (empty) → \"Blue\"", audit.Details);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == CustomFieldService.AppSettingsAction));
    }

    [Fact]
    public async Task SetAsync_AgentOfAnotherDealership_IsNotFound()
    {
        var id = await AddFieldAsync("Colour", CustomFieldType.Text);
        await Fields.SetAgentsMayEditContactsAsync(Admin, true);
        var other = (await _db.AddDealershipAsync("Elsewhere")).Id;
        var agent = CoreTestDatabase.Agent("Olga Other", other);

        var result = await Values.SetAsync(agent, _customerId, id, "Blue");

        Assert.Equal(CustomFieldUpdateOutcome.NotFound, result.Outcome);
        Assert.Null(await Values.GetAsync(agent, _customerId));
    }

    [Fact]
    public async Task GetAsync_InactiveAndOrderedFields_ShowsActiveInSortOrder()
    {
        var a = await AddFieldAsync("A", CustomFieldType.Text);
        var b = await AddFieldAsync("B", CustomFieldType.Number);
        var c = await AddFieldAsync("C", CustomFieldType.YesNo);
        await Fields.MoveAsync(Admin, c, -1); // A, C, B
        await Fields.SetActiveAsync(Admin, a, false);
        await Values.SetAsync(Admin, _customerId, b, "7");

        var view = await Values.GetAsync(Admin, _customerId);

        Assert.Equal(["C", "B"], view!.Fields.Select(f => f.Name));
        Assert.Equal("7", view.Fields[1].Value);
    }

    [Fact]
    public async Task SetAsync_BlankValue_ClearsIt()
    {
        var id = await AddFieldAsync("Colour", CustomFieldType.Text);
        await Values.SetAsync(Admin, _customerId, id, "Blue");

        var result = await Values.SetAsync(Admin, _customerId, id, "  ");

        Assert.Equal(CustomFieldUpdateOutcome.Saved, result.Outcome);
        Assert.Null(Assert.Single(result.Fields!.Fields).Value);
    }
}
