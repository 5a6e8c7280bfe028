using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Calling;

/// <summary>The chase list's search, explained: who it found that is not on the list, and why.</summary>
public sealed class OffChaseListQueryTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private Dealership _north = null!;
    private Dealership _south = null!;
    private UserScope _nadia = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = await _db.AddDealershipAsync("Northgate Motors");
        _south = await _db.AddDealershipAsync("Southbank Cars");
        _nadia = CoreTestDatabase.Agent("Nadia North", _north.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private OffChaseListQuery Query => _db.Services.GetRequiredService<OffChaseListQuery>();

    private Task<SurveyRecord> AddAsync(string firstName, Dealership? dealership = null, string registration = "AB12 CDE") =>
        _db.AddAwaitingRecordAsync((dealership ?? _north).Id, firstName, "Family", registration: registration, phones: "+447700900123");

    private async Task RecordAsync(int recordId, string outcome, DateTime? callbackAt = null, int? reasonId = null) =>
        await _db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(recordId, await _db.OutcomeIdAsync(outcome), null, _db.Now, null,
            callbackAt, reasonId));

    private async Task<int> ReasonIdAsync(string name)
    {
        await using var db = _db.NewDbContext();
        return await db.DeclineReasons.Where(r => r.Name == name).Select(r => r.Id).SingleAsync();
    }

    [Fact]
    public async Task FindAsync_CustomersOffTheList_EachWithWhy()
    {
        // 09:00 UTC on 2 March is 09:00 in London (GMT).
        var anna = await AddAsync("Anna");
        var bella = await AddAsync("Bella");
        var cara = await AddAsync("Cara");
        var dora = await AddAsync("Dora");
        var edna = await AddAsync("Edna");
        await AddAsync("Fay"); // on the list: the list shows her, the explanation does not
        await RecordAsync(anna.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: _db.Now.AddHours(5.5));
        await RecordAsync(bella.Id, DatabaseInitializer.DeclinedOutcome, reasonId: await ReasonIdAsync("No time"));
        await RecordAsync(cara.Id, DatabaseInitializer.WillCompleteOutcome);
        await _db.ChangeStatusAsync(dora.Id, SurveyStatus.Completed);
        await _db.ChangeStatusAsync(edna.Id, SurveyStatus.Pending);

        var found = await Query.FindAsync(_nadia, "family");

        Assert.Equal(
        [
            ("Anna Family", OffListReason.CallbackPending, "call-back at 14:30 (booked by Nadia North)"),
            ("Bella Family", OffListReason.Declined, "declined (No time)"),
            ("Cara Family", OffListReason.ChaseEnded, $"taken off the list: {DatabaseInitializer.WillCompleteOutcome}"),
            ("Dora Family", OffListReason.Completed, "survey completed"),
            ("Edna Family", OffListReason.Pending, "survey pending: not awaiting a call yet"),
        ], found.Matches.OrderBy(m => m.CustomerName).Select(m => (m.CustomerName, m.Reason, m.Explanation)));
        Assert.Equal(0, found.More);
        Assert.All(found.Matches, m => Assert.Equal("Northgate Motors", m.DealershipName));
    }

    [Fact]
    public async Task FindAsync_CallbackAnotherDay_SaysTheDay_DeclineReasonRenamed_SaysTheNewName()
    {
        var anna = await AddAsync("Anna");
        var bella = await AddAsync("Bella");
        await RecordAsync(anna.Id, DatabaseInitializer.CallBackLaterOutcome, callbackAt: new DateTime(2026, 3, 4, 10, 0, 0, DateTimeKind.Utc));
        var noTime = await ReasonIdAsync("No time");
        await RecordAsync(bella.Id, DatabaseInitializer.DeclinedOutcome, reasonId: noTime);
        await using (var db = _db.NewDbContext())
        {
            var reason = await db.DeclineReasons.SingleAsync(r => r.Id == noTime);
            reason.Name = "Too busy";
            await db.SaveChangesAsync();
        }

        var found = await Query.FindAsync(_nadia, "Family");

        Assert.Equal(["call-back at Wed 4 Mar 10:00 (booked by Nadia North)", "declined (Too busy)"],
            found.Matches.OrderBy(m => m.CustomerName).Select(m => m.Explanation));
    }

    [Fact]
    public async Task FindAsync_OtherDealershipOrOnTheList_LeftOut_HeadOfficeFilterApplies()
    {
        var north = await AddAsync("Anna");
        var south = await AddAsync("Anna", _south);
        await _db.ChangeStatusAsync(north.Id, SurveyStatus.Expired);
        await _db.ChangeStatusAsync(south.Id, SurveyStatus.Rejected);
        // A customer with one record off the list and another on it is on the list.
        var both = await AddAsync("Bea");
        await _db.ChangeStatusAsync(both.Id, SurveyStatus.Completed);
        await using (var db = _db.NewDbContext())
        {
            var customer = await db.Customers.Include(c => c.Vehicles).SingleAsync(c => c.Id == both.CustomerId);
            db.SurveyRecords.Add(SurveyRecord.Create("BEA-2", _north.Id, customer, customer.Vehicles[0], SurveyStatus.Awaiting, _db.Now, null,
                EventType.Sales, _db.Now.AddDays(-2), _db.Now));
            await db.SaveChangesAsync();
        }
        var harper = CoreTestDatabase.Agent("Harper Office", null);

        Assert.Equal([(north.Id, "survey expired")], (await Query.FindAsync(_nadia, "family")).Matches.Select(m => (m.RecordId, m.Explanation)));
        Assert.Equal(2, (await Query.FindAsync(harper, "family")).Matches.Count);
        Assert.Equal([(south.Id, "survey rejected")],
            (await Query.FindAsync(harper, "family", _south.Id)).Matches.Select(m => (m.RecordId, m.Explanation)));
        // A dealership agent's filter cannot reach another dealership.
        Assert.Equal([north.Id], (await Query.FindAsync(_nadia, "family", _south.Id)).Matches.Select(m => m.RecordId));
    }

    [Fact]
    public async Task FindAsync_ByRegistrationOrPhone_AsTheListSearches()
    {
        var anna = await AddAsync("Anna", registration: "KL70 ABC");
        await _db.ChangeStatusAsync(anna.Id, SurveyStatus.Completed);

        Assert.Single((await Query.FindAsync(_nadia, "kl70abc")).Matches);
        Assert.Single((await Query.FindAsync(_nadia, "07700 900123")).Matches);
        Assert.Empty((await Query.FindAsync(_nadia, "Zed")).Matches);
    }

    [Fact]
    public async Task FindAsync_BlankOrOneLetterOrNoVoice_FindsNothing()
    {
        var anna = await AddAsync("Anna");
        await _db.ChangeStatusAsync(anna.Id, SurveyStatus.Completed);

        Assert.Same(OffListMatches.None, await Query.FindAsync(_nadia, null));
        Assert.Same(OffListMatches.None, await Query.FindAsync(_nadia, " a "));
        Assert.Same(OffListMatches.None, await Query.FindAsync(_nadia with { CsiVoiceEnabled = false }, "Anna"));
    }

    [Fact]
    public async Task FindAsync_ManyMatches_ShowsTenAndCountsTheRest()
    {
        for (var i = 0; i < OffChaseListQuery.MaxShown + 3; i++)
        {
            var r = await AddAsync($"Anna{i:D2}");
            await _db.ChangeStatusAsync(r.Id, SurveyStatus.Completed);
        }

        var found = await Query.FindAsync(_nadia, "Family");

        Assert.Equal((OffChaseListQuery.MaxShown, 3), (found.Matches.Count, found.More));
    }
}
