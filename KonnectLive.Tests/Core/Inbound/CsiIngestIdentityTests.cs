using KonnectLive.Core.Data;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Inbound.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Inbound;

/// <summary>FOCUS ingest keeps people apart: matching on identity, and only FOCUS's customer id may change who a customer is.</summary>
public class CsiIngestIdentityTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="CsiIngestIdentityTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private static readonly InboundCaller Caller = new(null, "identity");
    private CoreTestDatabase _db = null!;
    private string _dealer = "";

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _dealer = (await _db.AddDealershipAsync()).Code;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<CsiBatchResponse> SendAsync(params object[] records)
    {
        var outcome = await _db.Services.GetRequiredService<CsiIngestService>().IngestAsync(Caller, CsiPayloads.Batch(records));
        Assert.True(outcome.StatusCode == 200, outcome.Error);
        return outcome.Response!;
    }

    private async Task<Customer> CustomerOfAsync(string focusRecordId)
    {
        await using var db = _db.NewDbContext();
        var customerId = await db.SurveyRecords.Where(r => r.FocusRecordId == focusRecordId).Select(r => r.CustomerId).SingleAsync();
        return await db.Customers.AsNoTracking().Include(c => c.Phones).Include(c => c.Vehicles).SingleAsync(c => c.Id == customerId);
    }

    private async Task<List<string>> ProposalsAsync(int customerId)
    {
        await using var db = _db.NewDbContext();
        return await db.AuditEntries.Where(a => a.Action == CsiProposedChanges.AuditAction && a.CustomerId == customerId).Select(a => a.Details!).ToListAsync();
    }

    private Dictionary<string, object?> Anna(string focusId = "F-ANNA", DateTime? at = null, string? email = "anna@family.example",
        string? focusCustomerId = null, string status = "Awaiting") =>
        CsiPayloads.Record(focusId, _dealer, status, at ?? _db.Now.AddHours(-2), firstName: "Anna", lastName: "Family", title: "Mrs",
            phones: ["0113 496 0000|Home", "07700 900001|Mobile"], email: email, registration: "AN11 AAA", focusCustomerId: focusCustomerId);

    private Dictionary<string, object?> Ben(string focusId = "F-BEN") =>
        CsiPayloads.Record(focusId, _dealer, "Awaiting", _db.Now.AddHours(-1), firstName: "Ben", lastName: "Family", title: "Mr",
            phones: ["0113 496 0000|Home", "07700 900002|Mobile"], email: "ben@family.example", registration: "BE22 BBB");

    [Fact]
    public async Task IngestAsync_TwoBatchesAtOnceForOneNewPerson_CreateOneCustomer()
    {
        // Two batches for the same new person (two FOCUS records, one email) arrive together — on PostgreSQL they may be
        // on two instances: the dealership's ingest lock makes the second match the customer the first created.
        for (var round = 1; round <= 5; round++)
        {
            var email = $"race{round}@family.example";
            var batches = Enumerable.Range(1, 4).Select(i => CsiPayloads.Record($"F-RACE-{round}-{i}", _dealer, "Awaiting", _db.Now.AddHours(-2),
                firstName: "Rae", lastName: $"Racer{round}", phones: [$"07700 90010{round}"], email: email)).ToList();

            await Task.WhenAll(batches.Select(b => Task.Run(() => SendAsync(b))));

            await using var db = _db.NewDbContext();
            Assert.Equal(1, await db.Customers.CountAsync(c => c.Email == email));
        }
    }

    [Fact]
    public async Task IngestAsync_HouseholdSharingAHomeNumber_StaysTwoPeopleWithTheirOwnDetails()
    {
        await SendAsync(Anna());
        await SendAsync(Ben());

        var anna = await CustomerOfAsync("F-ANNA");
        var ben = await CustomerOfAsync("F-BEN");
        Assert.NotEqual(anna.Id, ben.Id);
        Assert.Equal(("Mrs Anna Family", "anna@family.example"), (anna.FullName, anna.Email));
        Assert.Equal(("Mr Ben Family", "ben@family.example"), (ben.FullName, ben.Email));
        Assert.Equal(["+441134960000", "+447700900001"], anna.Phones.OrderBy(p => p.Position).Select(p => p.Number));
        Assert.Equal(["+441134960000", "+447700900002"], ben.Phones.OrderBy(p => p.Position).Select(p => p.Number));
        Assert.Equal("AN11 AAA", Assert.Single(anna.Vehicles).Registration);
        Assert.Equal("BE22 BBB", Assert.Single(ben.Vehicles).Registration);
        Assert.Empty(await ProposalsAsync(anna.Id));
        await using var db = _db.NewDbContext();
        // Each survey message goes to its own person's mobile.
        var messages = await db.ScheduledMessages.Select(m => new { m.CustomerId, m.SurveyRecordId }).ToListAsync();
        Assert.Equal(2, messages.Select(m => m.CustomerId).Distinct().Count());
    }

    [Fact]
    public async Task IngestAsync_HouseholdInOneBatch_StaysTwoPeople()
    {
        await SendAsync(Anna(), Ben());

        Assert.NotEqual((await CustomerOfAsync("F-ANNA")).Id, (await CustomerOfAsync("F-BEN")).Id);
    }

    [Fact]
    public async Task IngestAsync_SamePersonNewRecordDifferentCase_SameCustomerNoProposal()
    {
        await SendAsync(Anna());
        var again = Anna("F-ANNA-2", email: null);
        ((Dictionary<string, object?>)again["customer"]!)["firstName"] = "ANNA";

        await SendAsync(again);

        var first = await CustomerOfAsync("F-ANNA");
        Assert.Equal(first.Id, (await CustomerOfAsync("F-ANNA-2")).Id);
        Assert.Equal("Anna", first.FirstName);
        Assert.Empty(await ProposalsAsync(first.Id));
    }

    [Fact]
    public async Task IngestAsync_WeakMatchWithConflictingIdentity_KeepsStoredValuesAndProposesOnce()
    {
        await SendAsync(Anna());
        // The same email (so the same person), another title and another first name: FOCUS's word, but not its customer id.
        var conflicting = CsiPayloads.Record("F-ANNA-2", _dealer, "Awaiting", _db.Now.AddHours(-1), firstName: "Annabel", lastName: "Family",
            title: "Dr", phones: ["07700 900077"], email: "anna@family.example", registration: "AN33 CCC");

        await SendAsync(conflicting);
        await SendAsync(conflicting); // a resend proposes nothing new

        var anna = await CustomerOfAsync("F-ANNA");
        Assert.Equal(anna.Id, (await CustomerOfAsync("F-ANNA-2")).Id);
        Assert.Equal(("Mrs", "Anna", "anna@family.example"), (anna.Title, anna.FirstName, anna.Email));
        Assert.Contains("+447700900077", anna.Phones.Select(p => p.Number)); // a new number is fine
        Assert.Equal(2, anna.Vehicles.Count);                                 // and so is a new car
        var proposal = Assert.Single(await ProposalsAsync(anna.Id));
        Assert.Contains("F-ANNA-2", proposal);
        Assert.Contains("Matched on email", proposal);
        Assert.Contains("title “Mrs” → “Dr”", proposal);
        Assert.Contains("first name “Anna” → “Annabel”", proposal);
    }

    [Fact]
    public async Task IngestAsync_ResendOfARecordWithAnotherName_NoFocusId_KeepsTheNameAndProposes()
    {
        var at = _db.Now.AddHours(-2);
        await SendAsync(Anna(at: at));
        var renamed = Anna(at: at.AddMinutes(30), email: "someone@else.example");
        ((Dictionary<string, object?>)renamed["customer"]!)["lastName"] = "Otherperson";

        var response = await SendAsync(renamed);

        var anna = await CustomerOfAsync("F-ANNA");
        Assert.Equal(("Family", "anna@family.example"), (anna.LastName, anna.Email));
        var proposal = Assert.Single(await ProposalsAsync(anna.Id));
        Assert.Contains("Matched on its survey record", proposal);
        Assert.Contains("email “anna@family.example” → “someone@else.example”", proposal);
        Assert.Equal(CsiRecordOutcome.Updated, Assert.Single(response.Results).Result);
    }

    [Fact]
    public async Task IngestAsync_SameFocusCustomerId_IsTheSamePersonAndMayChangeNameAndEmail()
    {
        await SendAsync(Anna(focusCustomerId: "FC-1"));
        var married = CsiPayloads.Record("F-ANNA-2", _dealer, "Awaiting", _db.Now.AddHours(-1), firstName: "Anna", lastName: "Newlywed",
            title: "Mrs", phones: ["07700 900088"], email: "anna@newlywed.example", registration: "AN44 DDD", focusCustomerId: "FC-1");

        await SendAsync(married);

        var anna = await CustomerOfAsync("F-ANNA");
        Assert.Equal(anna.Id, (await CustomerOfAsync("F-ANNA-2")).Id);
        Assert.Equal(("Newlywed", "anna@newlywed.example", "FC-1"), (anna.LastName, anna.Email, anna.FocusCustomerId));
        Assert.Empty(await ProposalsAsync(anna.Id));
    }

    [Fact]
    public async Task IngestAsync_DifferentFocusCustomerIds_NeverMergedEvenWithTheSameEmail()
    {
        await SendAsync(Anna(focusCustomerId: "FC-1", email: "family@example.com"));
        var ben = Ben();
        var customer = (Dictionary<string, object?>)ben["customer"]!;
        customer["email"] = "family@example.com";
        customer["focusCustomerId"] = "FC-2";

        await SendAsync(ben);

        var (anna, benCustomer) = (await CustomerOfAsync("F-ANNA"), await CustomerOfAsync("F-BEN"));
        Assert.NotEqual(anna.Id, benCustomer.Id);
        Assert.Equal(("FC-1", "FC-2"), (anna.FocusCustomerId, benCustomer.FocusCustomerId));
    }

    [Fact]
    public async Task IngestAsync_WeakMatchWithTheSameName_TakesTheFocusCustomerId()
    {
        await SendAsync(Anna());
        await SendAsync(Anna("F-ANNA-2", focusCustomerId: "FC-7"));
        // From now on the id alone finds her, whatever her email.
        await SendAsync(CsiPayloads.Record("F-ANNA-3", _dealer, "Pending", _db.Now.AddHours(-1), firstName: "Anna", lastName: "Family",
            phones: [], email: "anna@work.example", focusCustomerId: "FC-7"));

        var anna = await CustomerOfAsync("F-ANNA");
        Assert.Equal("FC-7", anna.FocusCustomerId);
        Assert.Equal(anna.Id, (await CustomerOfAsync("F-ANNA-3")).Id);
        Assert.Equal("anna@work.example", anna.Email);
    }

    [Fact]
    public async Task IngestAsync_HeldRecordSentWithAnotherCustomersFocusId_NoClashAndProposed()
    {
        await SendAsync(Anna(), Ben());
        await SendAsync(CsiPayloads.Record("F-CARA", _dealer, "Awaiting", _db.Now.AddHours(-1), firstName: "Cara", lastName: "Else",
            phones: ["07700 900333"], focusCustomerId: "FC-3"));
        var anna = Anna(at: _db.Now.AddMinutes(-30), focusCustomerId: "FC-3");

        var response = await SendAsync(anna);

        Assert.Equal(CsiRecordOutcome.Updated, Assert.Single(response.Results).Result);
        var stored = await CustomerOfAsync("F-ANNA");
        Assert.Null(stored.FocusCustomerId);
        Assert.Contains("FOCUS customer id “none” → “FC-3”", Assert.Single(await ProposalsAsync(stored.Id)));
    }
}

public sealed class CsiIngestIdentityTestsOnPostgreSql : CsiIngestIdentityTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
