using KonnectLive.Core.Data;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Profile;

public class ContactLookupTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="ContactLookupTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private int _north;
    private int _south;

    private ContactLookup Lookup => _db.Services.GetRequiredService<ContactLookup>();

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _north = (await _db.AddDealershipAsync("Northgate Motors")).Id;
        _south = (await _db.AddDealershipAsync("Southbank Cars")).Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("07700 900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("0044 7700 900123")]
    [InlineData("(07700) 900-123")]
    [InlineData("+447700900123")]
    public async Task SearchAsync_SameNumberInAnyFormat_FindsTheCustomer(string typed)
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", phones: "+447700900123");
        await _db.AddAwaitingRecordAsync(_north, "Bob", "Baker", phones: "+447700900456");

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), typed);

        Assert.Equal(LookupKind.Phone, result.Kind);
        Assert.Equal("+447700900123", result.Phone);
        Assert.True(result.IsSingle);
        Assert.Equal(record.CustomerId, Assert.Single(result.Matches).CustomerId);
    }

    [Theory]
    [InlineData("07700 9001")]
    [InlineData("077009001")]
    [InlineData("7700 9001")]
    [InlineData("+44 7700 9001")]
    [InlineData("0123")]
    [InlineData("900123")]
    public async Task SearchAsync_TheStartOrTheEndOfANumber_FindsOnlyThatCustomer(string typed)
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", phones: "+447700900123");
        await _db.AddAwaitingRecordAsync(_north, "Bob", "Baker", phones: "+447700900456");

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), typed);

        Assert.Equal(record.CustomerId, Assert.Single(result.Matches).CustomerId);
    }

    [Fact]
    public async Task SearchAsync_NumberStoredInNationalForm_FoundByNationalDigits()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", phones: "07700900123");

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), "+44 7700 900123");

        Assert.Equal(record.CustomerId, Assert.Single(result.Matches).CustomerId);
    }

    [Fact]
    public async Task SearchAsync_EmailInOtherCase_FindsExactlyThatCustomer()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", email: "alice.archer@example.com");
        await _db.AddAwaitingRecordAsync(_north, "Al", "Archer", email: "al.archer@example.com");

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), "  Alice.Archer@Example.COM ");

        Assert.Equal(LookupKind.Email, result.Kind);
        Assert.Equal(record.CustomerId, Assert.Single(result.Matches).CustomerId);
    }

    [Fact]
    public async Task SearchAsync_RegistrationWithoutSpacesInLowerCase_FindsTheCustomer()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", registration: "YX21 ABC");
        await _db.AddAwaitingRecordAsync(_north, "Bob", "Baker", registration: "LM70 XYZ");

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), "yx21abc");

        Assert.Equal(record.CustomerId, Assert.Single(result.Matches).CustomerId);
    }

    [Fact]
    public async Task SearchAsync_NameMatchingSeveral_ReturnsAllPagedAndOrdered()
    {
        await _db.AddAwaitingRecordAsync(_north, "Zoe", "Smith");
        await _db.AddAwaitingRecordAsync(_north, "Adam", "Smith");
        await _db.AddAwaitingRecordAsync(_north, "Carl", "Smithers");
        await _db.AddAwaitingRecordAsync(_north, "Dan", "Jones");

        var agent = CoreTestDatabase.Agent("Nadia", _north);
        var first = await Lookup.SearchAsync(agent, "smith", skip: 0, take: 2);
        var second = await Lookup.SearchAsync(agent, "smith", skip: 2, take: 2);

        Assert.Equal(3, first.Total);
        Assert.False(first.IsSingle);
        Assert.Equal(["Adam Smith", "Zoe Smith"], first.Matches.Select(m => m.Name));
        Assert.Equal(["Carl Smithers"], second.Matches.Select(m => m.Name));
    }

    [Fact]
    public async Task SearchAsync_FilterWithinResults_NarrowsTheMatches()
    {
        await _db.AddAwaitingRecordAsync(_north, "Zoe", "Smith", registration: "AA11 AAA");
        var adam = await _db.AddAwaitingRecordAsync(_north, "Adam", "Smith", registration: "BB22 BBB");

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), "smith", filter: "bb22");

        Assert.Equal(adam.CustomerId, Assert.Single(result.Matches).CustomerId);
    }

    [Fact]
    public async Task SearchAsync_DealershipAgentByExactPhoneOfOtherDealership_FindsNothing()
    {
        var south = await _db.AddAwaitingRecordAsync(_south, "Sally", "South", email: "sally@example.com", phones: "+447700900777");

        var agent = CoreTestDatabase.Agent("Nadia", _north);
        var byPhone = await Lookup.SearchAsync(agent, "07700 900777");
        var byEmail = await Lookup.SearchAsync(agent, "sally@example.com");
        var byName = await Lookup.SearchAsync(agent, "Sally");
        var headOffice = await Lookup.SearchAsync(CoreTestDatabase.Agent("Harper", null), "07700 900777");

        Assert.Equal(0, byPhone.Total);
        Assert.Empty(byPhone.Matches);
        Assert.Equal(0, byEmail.Total);
        Assert.Equal(0, byName.Total);
        Assert.Equal(south.CustomerId, Assert.Single(headOffice.Matches).CustomerId);
    }

    [Fact]
    public async Task SearchAsync_NoMatchForNumber_ReturnsNormalisedNumberWithItsInteractions()
    {
        // A customer whose number was changed since: the old number's calls and SMS still belong to the history of that number.
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", phones: "+447700900999");
        var call = await _db.AddCallAsync(record, "+447700900555", _db.Now.AddHours(-3));
        var sms = await _db.AddMessageAsync(record, MessageChannel.Sms, "+447700900555", _db.Now.AddHours(-1));
        await _db.AddCallAsync(record, "+447700900999", _db.Now.AddHours(-2)); // another number: not listed
        var south = await _db.AddAwaitingRecordAsync(_south, "Sally", "South", phones: "+447700900888");
        await _db.AddCallAsync(south, "+447700900555", _db.Now.AddHours(-4)); // another dealership: not listed

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), "07700 900555");

        Assert.Equal(0, result.Total);
        Assert.Equal("+447700900555", result.Phone);
        Assert.NotNull(result.UnmatchedInteractions);
        Assert.Equal([sms, call], result.UnmatchedInteractions.Items.Select(i => i.Id));
        Assert.Equal([InteractionKind.Message, InteractionKind.Call], result.UnmatchedInteractions.Items.Select(i => i.Kind));
    }

    [Fact]
    public async Task SearchAsync_NoMatchForEmail_ReturnsEmailWithItsMessages()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, "Alice", "Archer", email: "new@example.com");
        var email = await _db.AddMessageAsync(record, MessageChannel.Email, "old@example.com", _db.Now.AddHours(-1));

        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), "OLD@example.com");

        Assert.Equal(0, result.Total);
        Assert.Equal("old@example.com", result.Email);
        Assert.Equal(email, Assert.Single(result.UnmatchedInteractions!.Items).Id);
    }

    [Fact]
    public async Task SearchAsync_BlankText_ReturnsEmptyWithoutQuerying()
    {
        var result = await Lookup.SearchAsync(CoreTestDatabase.Agent("Nadia", _north), "   ");

        Assert.Equal(LookupKind.Empty, result.Kind);
        Assert.Empty(result.Matches);
    }
}

public sealed class ContactLookupTestsOnPostgreSql : ContactLookupTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
