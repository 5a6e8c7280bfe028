using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Fields;

public sealed class CustomFieldServiceTests : IAsyncLifetime
{
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, false, [Roles.Admin]);
    private CoreTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CustomFieldService Fields => _db.Services.GetRequiredService<CustomFieldService>();

    [Fact]
    public async Task SaveAsync_NewField_CreatesLastAndAudits()
    {
        await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "First", Type = CustomFieldType.Text });
        var result = await Fields.SaveAsync(Admin, new CustomFieldInput { Name = " Tier ", Type = CustomFieldType.Choice, Choices = "Silver\n\nGold\nsilver" });

        Assert.True(result.Succeeded);
        Assert.Equal(("Tier", 1), (result.Field!.Name, result.Field.SortOrder));
        Assert.Equal(["Silver", "Gold"], result.Field.Choices);
        await using var db = _db.NewDbContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == CustomFieldService.CreatedAction));
    }

    [Theory]
    [InlineData("", CustomFieldType.Text, null, "name")]
    [InlineData("Choice without choices", CustomFieldType.Choice, " \n ", "at least one choice")]
    public async Task SaveAsync_InvalidInput_IsRefused(string name, CustomFieldType type, string? choices, string expected)
    {
        var result = await Fields.SaveAsync(Admin, new CustomFieldInput { Name = name, Type = type, Choices = choices });

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(expected));
    }

    [Fact]
    public async Task SaveAsync_NameTooLongOrTaken_IsRefused()
    {
        await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "Colour" });

        var taken = await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "colour" });
        var tooLong = await Fields.SaveAsync(Admin, new CustomFieldInput { Name = new string('n', 81) });

        Assert.Contains(taken.Errors, e => e.Contains("already exists"));
        Assert.Contains(tooLong.Errors, e => e.Contains("at most 80"));
    }

    [Fact]
    public async Task SaveAsync_TypeChangeOnceValuesExist_IsRefused()
    {
        var field = (await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "Score", Type = CustomFieldType.Number })).Field!;
        var customer = (await _db.AddAwaitingRecordAsync((await _db.AddDealershipAsync()).Id, phones: "+447700900123")).CustomerId;
        var free = await Fields.SaveAsync(Admin, new CustomFieldInput { Id = field.Id, Name = "Score", Type = CustomFieldType.Text });
        Assert.True(free.Succeeded); // no values yet: allowed
        await _db.Services.GetRequiredService<CustomFieldValueService>().SetAsync(Admin, customer, field.Id, "x");

        var refused = await Fields.SaveAsync(Admin, new CustomFieldInput { Id = field.Id, Name = "Score", Type = CustomFieldType.Date });
        var renamed = await Fields.SaveAsync(Admin, new CustomFieldInput { Id = field.Id, Name = "Score (old)", Type = CustomFieldType.Text });

        Assert.Contains(refused.Errors, e => e.Contains("type cannot change"));
        Assert.True(renamed.Succeeded);
        await using var db = _db.NewDbContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == CustomFieldService.UpdatedAction));
    }

    [Fact]
    public async Task SaveAsync_NonAdmin_IsRefused()
    {
        var result = await Fields.SaveAsync(CoreTestDatabase.Agent("Andy", null), new CustomFieldInput { Name = "X" });

        Assert.False(result.Succeeded);
        Assert.Empty(await Fields.ListAsync());
    }

    [Fact]
    public async Task MoveAsync_Down_SwapsWithNeighbour()
    {
        var a = (await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "A" })).Field!;
        await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "B" });
        await Fields.SaveAsync(Admin, new CustomFieldInput { Name = "C" });

        await Fields.MoveAsync(Admin, a.Id, +1);
        await Fields.MoveAsync(Admin, a.Id, +1);
        await Fields.MoveAsync(Admin, a.Id, +1); // already last: nothing changes

        Assert.Equal(["B", "C", "A"], (await Fields.ListAsync()).Select(f => f.Name));
    }
}
