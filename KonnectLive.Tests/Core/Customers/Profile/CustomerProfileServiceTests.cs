using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Profile;

public sealed class CustomerProfileServiceTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private int _north;
    private int _south;

    private CustomerProfileService Profiles => _db.Services.GetRequiredService<CustomerProfileService>();

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = (await _db.AddDealershipAsync("Northgate Motors")).Id;
        _south = (await _db.AddDealershipAsync("Southbank Cars")).Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static ContactInput Input(string first = "Alice", string last = "Archer", string? email = null, params string[] phones) => new()
    {
        FirstName = first, LastName = last, Email = email,
        Phones = [.. phones.Select(p => new PhoneInput { Number = p, Type = KonnectLive.Core.Customers.PhoneType.Mobile })],
    };

    [Fact]
    public async Task GetAsync_CustomerOfOtherDealership_ReturnsNull()
    {
        var south = await _db.AddAwaitingRecordAsync(_south, "Sally", "South");

        Assert.Null(await Profiles.GetAsync(CoreTestDatabase.Agent("Nadia", _north), south.CustomerId));
        Assert.NotNull(await Profiles.GetAsync(CoreTestDatabase.Agent("Harper", null), south.CustomerId));
    }

    [Fact]
    public async Task GetAsync_RecordWithStatusChanges_ReturnsTimelineNewestFirst()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        _db.Time.Advance(TimeSpan.FromHours(1));
        await _db.ChangeStatusAsync(record.Id, SurveyStatus.Completed);

        var profile = await Profiles.GetAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId);

        var survey = Assert.Single(profile!.Surveys);
        Assert.Equal(SurveyStatus.Completed, survey.Status);
        Assert.Equal([SurveyStatus.Completed, SurveyStatus.Awaiting], survey.Timeline.Select(t => t.Status));
        Assert.Equal("+447700900123", Assert.Single(profile.Phones).Number);
    }

    [Fact]
    public async Task UpdateAsync_AgentWhileAgentsMayNotEdit_RefusedAndUnchanged()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", phones: "+447700900123");
        await _db.SetAgentsMayEditContactsAsync(false);

        var result = await Profiles.UpdateAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId, Input("Alicia", "Archer", null, "07700 900123"));

        Assert.Equal(ContactSaveStatus.Refused, result.Status);
        await using var db = _db.NewDbContext();
        Assert.Equal("Alice", (await db.Customers.SingleAsync(c => c.Id == record.CustomerId)).FirstName);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "customer.updated"));
    }

    [Fact]
    public async Task UpdateAsync_AgentWhileAgentsMayEdit_SavedNormalisedAndAudited()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", phones: "+447700900123");
        await _db.SetAgentsMayEditContactsAsync(true);
        var agent = CoreTestDatabase.Agent("Nadia North", _north);

        var result = await Profiles.UpdateAsync(agent, record.CustomerId,
            Input("Alicia", "Archer", "Alicia@Example.com", "07700 900123", "(0113) 496-0000"));

        Assert.True(result.Succeeded, result.Message);
        await using var db = _db.NewDbContext();
        var customer = await db.Customers.Include(c => c.Phones).SingleAsync(c => c.Id == record.CustomerId);
        Assert.Equal("Alicia", customer.FirstName);
        Assert.Equal("alicia@example.com", customer.Email);
        Assert.Equal(["+447700900123", "+441134960000"], customer.Phones.OrderBy(p => p.Position).Select(p => p.Number));
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "customer.updated");
        Assert.Equal(agent.UserId, audit.UserId);
        Assert.Equal(record.CustomerId, audit.CustomerId);
        Assert.Contains("FirstName", audit.Details);
        Assert.Contains("Email", audit.Details);
        Assert.Contains("+441134960000", audit.Details);
        Assert.DoesNotContain("LastName", audit.Details);
    }

    [Fact]
    public async Task UpdateAsync_KeptNumber_KeepsItsUnsubscribe()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: ["+447700900123", "+447700900456"]);
        await using (var db = _db.NewDbContext())
        {
            var phone = await db.CustomerPhones.SingleAsync(p => p.Number == "+447700900456");
            phone.Unsubscribe(KonnectLive.Core.Customers.ContactChannel.Call, "test", _db.Now);
            await db.SaveChangesAsync();
        }

        // The first number is removed, the second (unsubscribed) is kept, and a new one takes the freed position.
        var result = await Profiles.UpdateAsync(ProfileTestData.Admin(), record.CustomerId, Input("Alice", "Archer", null, "07700 900456", "07700 900789"));

        Assert.True(result.Succeeded, result.Message);
        await using var check = _db.NewDbContext();
        var phones = await check.CustomerPhones.Where(p => p.CustomerId == record.CustomerId).OrderBy(p => p.Position).ToListAsync();
        Assert.Equal(["+447700900789", "+447700900456"], phones.Select(p => p.Number));
        Assert.True(phones.Single(p => p.Number == "+447700900456").CallUnsubscribed);
    }

    [Fact]
    public async Task UpdateAsync_InvalidPhone_RejectedWithFieldError()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");

        var result = await Profiles.UpdateAsync(ProfileTestData.Admin(), record.CustomerId, Input("Alice", "Archer", null, "12"));

        Assert.Equal(ContactSaveStatus.Invalid, result.Status);
        Assert.Contains("Phones[0].Number", result.Errors!.Keys);
        await using var db = _db.NewDbContext();
        Assert.Equal("+447700900123", (await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId)).Number);
    }

    [Fact]
    public async Task UpdateAsync_AdminOfOtherDealership_NotFound()
    {
        var record = await _db.AddAwaitingRecordAsync(_south, phones: "+447700900123");

        var result = await Profiles.UpdateAsync(ProfileTestData.Admin(_north), record.CustomerId, Input("X", "Y"));

        Assert.Equal(ContactSaveStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task CreateAsync_SameNumberInDealership_WarnsWithExistingCustomer()
    {
        var existing = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", phones: "+447700900123");

        var result = await Profiles.CreateAsync(ProfileTestData.Admin(_north), Input("Al", "Archer", null, "07700 900123"));

        Assert.Equal(ContactSaveStatus.Duplicate, result.Status);
        Assert.Equal(existing.CustomerId, result.Duplicate!.CustomerId);
        await using var db = _db.NewDbContext();
        Assert.Equal(1, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task CreateAsync_SameNumberInOtherDealership_CreatedInOwnDealershipAndAudited()
    {
        await _db.AddAwaitingRecordAsync(_south, phones: "+447700900123");
        await _db.SetAgentsMayEditContactsAsync(true);

        var input = Input("New", "Person", "New@Example.com", "07700 900123");
        input.DealershipId = _south; // a dealership user's own dealership wins whatever the form sends
        var result = await Profiles.CreateAsync(CoreTestDatabase.Agent("Nadia", _north), input);

        Assert.True(result.Succeeded, result.Message);
        await using var db = _db.NewDbContext();
        var created = await db.Customers.Include(c => c.Phones).SingleAsync(c => c.Id == result.CustomerId);
        Assert.Equal(_north, created.DealershipId);
        Assert.Equal("new@example.com", created.Email);
        Assert.Equal("+447700900123", Assert.Single(created.Phones).Number);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "customer.created" && a.CustomerId == created.Id));
    }

    [Fact]
    public async Task CreateAsync_AgentWhileAgentsMayNotEdit_Refused()
    {
        await _db.SetAgentsMayEditContactsAsync(false);

        var result = await Profiles.CreateAsync(CoreTestDatabase.Agent("Nadia", _north), Input("New", "Person", null, "07700 900123"));

        Assert.Equal(ContactSaveStatus.Refused, result.Status);
        await using var db = _db.NewDbContext();
        Assert.False(await db.Customers.AnyAsync());
    }

    [Fact]
    public async Task CreateAsync_HeadOfficeWithoutDealership_Invalid()
    {
        var result = await Profiles.CreateAsync(ProfileTestData.Admin(), Input("New", "Person"));

        Assert.Equal(ContactSaveStatus.Invalid, result.Status);
        Assert.Contains(nameof(ContactInput.DealershipId), result.Errors!.Keys);
    }
}
