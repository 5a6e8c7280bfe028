using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Duplicates;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Duplicates;

public sealed class PossibleDuplicatesServiceTests : IAsyncLifetime
{
    private const string Home = "+441134960000";
    private CoreTestDatabase _db = null!;
    private UserScope _admin = null!;
    private int _dealer;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _admin = await _db.CreateUserAsync("ada", Roles.Admin);
        _dealer = (await _db.AddDealershipAsync()).Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private PossibleDuplicatesService Service => _db.Services.GetRequiredService<PossibleDuplicatesService>();

    private Task<SurveyRecord> CustomerAsync(string first, string last, string? email = null, int? dealership = null, string registration = "AB12 CDE",
        params string[] phones) =>
        _db.AddAwaitingRecordAsync(dealership ?? _dealer, first, last, registration: registration, email: email, phones: phones);

    private static HashSet<(int, int)> Pairs(DuplicatePage page) => [.. page.Pairs.Select(p => (p.First.Id, p.Second.Id))];

    [Fact]
    public async Task ListAsync_SharedNumberAndLastName_ListsThePairsOfOneDealership()
    {
        var anna = await CustomerAsync("Anna", "Family", phones: [Home, "+447700900001"]);
        var annaAgain = await CustomerAsync("Anne", "FAMILY", phones: ["+447700900001"]);
        var ben = await CustomerAsync("Ben", "Family", phones: [Home]);
        var lodger = await CustomerAsync("Lou", "Lodger", phones: [Home]);              // shares the number, not the name
        var muller = await CustomerAsync("Zoë", "Müller", phones: ["+447700900005"]);
        var muller2 = await CustomerAsync("Zoe", "Muller", phones: ["+447700900005"]);  // accents do not make two names
        var elsewhere = await CustomerAsync("Anna", "Family", dealership: (await _db.AddDealershipAsync("South")).Id, phones: [Home]);

        var page = await Service.ListAsync(_admin);

        Assert.Equal(new HashSet<(int, int)>
        {
            (anna.CustomerId, annaAgain.CustomerId), (anna.CustomerId, ben.CustomerId), (muller.CustomerId, muller2.CustomerId),
        }, Pairs(page));
        Assert.Equal(3, page.Total);
        var pair = page.Pairs.Single(p => p.First.Id == anna.CustomerId && p.Second.Id == annaAgain.CustomerId);
        Assert.Equal(["+447700900001"], pair.SharedNumbers);
        Assert.Equal("Anna Family", pair.First.FullName);
        Assert.Equal([Home, "+447700900001"], pair.First.Phones.Select(p => p.Number));
        Assert.Equal("AB12 CDE", Assert.Single(pair.Second.Vehicles).Registration);
        Assert.Equal(SurveyStatus.Awaiting, Assert.Single(pair.Second.Surveys).Status);
        Assert.DoesNotContain(Pairs(page), p => p.Item1 == lodger.CustomerId || p.Item2 == lodger.CustomerId || p.Item2 == elsewhere.CustomerId);

        Assert.Equal(Pairs(await Service.ListAsync(_admin, ben.CustomerId)), new HashSet<(int, int)> { (anna.CustomerId, ben.CustomerId) });
    }

    [Fact]
    public async Task MarkDifferentPeopleAsync_Pair_RememberedAndAudited()
    {
        var anna = await CustomerAsync("Anna", "Family", phones: [Home]);
        var ben = await CustomerAsync("Ben", "Family", phones: [Home]);

        var result = await Service.MarkDifferentPeopleAsync(_admin, ben.CustomerId, anna.CustomerId);
        var again = await Service.MarkDifferentPeopleAsync(_admin, anna.CustomerId, ben.CustomerId);

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        Assert.Equal(CommandOutcome.Unchanged, again.Outcome);
        Assert.Empty((await Service.ListAsync(_admin)).Pairs);
        Assert.Empty(await Service.ForCustomerAsync(_admin, anna.CustomerId));
        var audit = await _db.AuditAsync(PossibleDuplicatesService.DifferentPeopleAction);
        Assert.Equal([anna.CustomerId, ben.CustomerId], audit.Select(a => a.CustomerId!.Value).Order());
        Assert.Contains("different people", audit[0].Details);
    }

    [Fact]
    public async Task ForCustomerAsync_AnyoneWhoMaySeeTheCustomer_OthersNothing()
    {
        var anna = await CustomerAsync("Anna", "Family", phones: [Home]);
        var annaAgain = await CustomerAsync("Anna", "Family", phones: [Home]);
        var agent = CoreTestDatabase.Agent("Nadia North", _dealer);
        var otherAgent = CoreTestDatabase.Agent("Sam South", (await _db.AddDealershipAsync("South")).Id);

        Assert.Equal([annaAgain.CustomerId], await Service.ForCustomerAsync(agent, anna.CustomerId));
        Assert.Equal([anna.CustomerId], await Service.ForCustomerAsync(agent, annaAgain.CustomerId));
        Assert.Empty(await Service.ForCustomerAsync(otherAgent, anna.CustomerId));
    }

    [Theory]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.Supervisor)]
    public async Task EveryAction_NotAnAdmin_RefusedAndNothingChanges(string role)
    {
        var user = await _db.CreateUserAsync($"user-{role}", role, _dealer);
        var anna = await CustomerAsync("Anna", "Family", phones: [Home]);
        var annaAgain = await CustomerAsync("Anna", "Family", phones: [Home]);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListAsync(user));
        Assert.Equal(CommandOutcome.Forbidden, (await Service.MergeAsync(user, anna.CustomerId, annaAgain.CustomerId)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await Service.MarkDifferentPeopleAsync(user, anna.CustomerId, annaAgain.CustomerId)).Outcome);
        // A scope that claims to be an admin is read again from the database.
        var pretending = user with { Roles = [Roles.Admin] };
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListAsync(pretending));
        Assert.Equal(CommandOutcome.Forbidden, (await Service.MergeAsync(pretending, anna.CustomerId, annaAgain.CustomerId)).Outcome);

        await using var db = _db.NewDbContext();
        Assert.Equal(2, await db.Customers.CountAsync());
        Assert.Equal(0, await db.DifferentPeople.CountAsync());
    }

    [Fact]
    public async Task MergeAsync_RealDuplicates_EverythingMovesStricterConsentWinsAndAudited()
    {
        var survivorRecord = await CustomerAsync("Anna", "Family", registration: "AB12 CDE", phones: [Home, "+447700900001"]);
        var mergedRecord = await CustomerAsync("Anna", "Family", email: "anna@family.example", registration: "ab12cde", phones: ["+447700900001", "+447700900002"]);
        var third = await CustomerAsync("Cara", "Family", phones: ["+447700900009"]);
        var (survivorId, mergedId) = (survivorRecord.CustomerId, mergedRecord.CustomerId);
        var noAnswer = await _db.OutcomeIdAsync(DatabaseInitializer.NoAnswerOutcome);
        await using (var db = _db.NewDbContext())
        {
            var merged = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles).SingleAsync(c => c.Id == mergedId);
            merged.UnsubscribeEmail("Nadia North", _db.Now);
            merged.Phones.Single(p => p.Number == "+447700900001").Unsubscribe(ContactChannel.Sms, "Nadia North", _db.Now);
            merged.Phones.Single(p => p.Number == "+447700900002").MarkWrongNumber("Noah Northcote", _db.Now);
            merged.Vehicles.Add(new Vehicle { Registration = "ZZ99 ZZZ", Make = "Kestrel" });
            var fieldA = new CustomFieldDefinition { Name = "Preferred time", Type = CustomFieldType.Text };
            var fieldB = new CustomFieldDefinition { Name = "Loyalty", Type = CustomFieldType.Text };
            db.CustomFieldDefinitions.AddRange(fieldA, fieldB);
            await db.SaveChangesAsync();
            db.CustomFieldValues.AddRange(
                new CustomFieldValue { CustomerId = survivorId, DefinitionId = fieldA.Id, Value = "Mornings", UpdatedAt = _db.Now },
                new CustomFieldValue { CustomerId = mergedId, DefinitionId = fieldA.Id, Value = "Evenings", UpdatedAt = _db.Now },
                new CustomFieldValue { CustomerId = mergedId, DefinitionId = fieldB.Id, Value = "Gold", UpdatedAt = _db.Now });
            db.CustomerNotes.AddRange(
                new CustomerNote { CustomerId = mergedId, AuthorId = "a", AuthorName = "Nadia North", Text = "Prefers email", CreatedAt = _db.Now },
                new CustomerNote { CustomerId = survivorId, AuthorId = "a", AuthorName = "Nadia North", Text = "Home after six", CreatedAt = _db.Now });
            db.CallAttempts.Add(new CallAttempt
            {
                SurveyRecordId = mergedRecord.Id, CustomerId = mergedId, DealershipId = _dealer, AgentId = "a", AgentName = "Nadia North",
                OutcomeId = noAnswer, StartedAt = _db.Now, RecordedAt = _db.Now,
            });
            db.ScheduledMessages.Add(new ScheduledMessage
            {
                SurveyRecordId = mergedRecord.Id, CustomerId = mergedId, DealershipId = _dealer, Channel = MessageChannel.Email, CustomBody = "Hello",
                CreatedAt = _db.Now, DueAt = _db.Now.AddHours(1), IdempotencyKey = "merge-test-1",
            });
            db.DifferentPeople.Add(DifferentPeople.Of(_dealer, mergedId, third.CustomerId, _admin.UserId, _admin.DisplayName, _db.Now));
            await db.SaveChangesAsync();
        }
        _db.ClearEvents();

        var result = await Service.MergeAsync(_admin, survivorId, mergedId);

        Assert.True(result.Outcome == CommandOutcome.Done, result.Message);
        await using var check = _db.NewDbContext();
        Assert.False(await check.Customers.AnyAsync(c => c.Id == mergedId));
        var survivor = await check.Customers.AsNoTracking().Include(c => c.Phones).Include(c => c.Vehicles).SingleAsync(c => c.Id == survivorId);
        // Surveys and their history, calls, notes, messages.
        var moved = await check.SurveyRecords.AsNoTracking().Include(r => r.History).SingleAsync(r => r.Id == mergedRecord.Id);
        Assert.Equal(survivorId, moved.CustomerId);
        Assert.Single(moved.History);
        Assert.Equal(2, await check.SurveyRecords.CountAsync(r => r.CustomerId == survivorId));
        Assert.Equal(1, await check.CallAttempts.CountAsync(a => a.CustomerId == survivorId));
        Assert.Equal(2, await check.CustomerNotes.CountAsync(n => n.CustomerId == survivorId));
        Assert.Equal(1, await check.ScheduledMessages.CountAsync(m => m.CustomerId == survivorId));
        // The same car once (its records point at the survivor's copy), the other car moved.
        Assert.Equal(["AB12 CDE", "ZZ99 ZZZ"], survivor.Vehicles.Select(v => v.Registration).Order());
        Assert.Equal(survivor.Vehicles.Single(v => v.Registration == "AB12 CDE").Id, moved.VehicleId);
        // Numbers once each; the stricter consent kept.
        Assert.Equal([Home, "+447700900001", "+447700900002"], survivor.Phones.OrderBy(p => p.Position).Select(p => p.Number));
        Assert.Equal([1, 2, 3], survivor.Phones.Select(p => p.Position).Order());
        Assert.True(survivor.Phones.Single(p => p.Number == "+447700900001").SmsUnsubscribed);
        Assert.True(survivor.Phones.Single(p => p.Number == "+447700900002").IsWrongNumber);
        Assert.False(survivor.Phones.Single(p => p.Number == Home).SmsUnsubscribed);
        Assert.Equal(("anna@family.example", true), (survivor.Email, survivor.EmailUnsubscribed));
        // Custom fields: the survivor's value where both had one.
        var fields = await check.CustomFieldValues.AsNoTracking().Where(v => v.CustomerId == survivorId).Select(v => v.Value).OrderBy(v => v).ToListAsync();
        Assert.Equal(["Gold", "Mornings"], fields);
        // "Different people" answers now speak of the survivor.
        Assert.True(await check.DifferentPeople.AnyAsync(d => d.LowerCustomerId == survivorId && d.HigherCustomerId == third.CustomerId));
        // Audited on both customers, by the admin.
        var audit = await _db.AuditAsync(PossibleDuplicatesService.MergedAction);
        Assert.Equal([survivorId, mergedId], audit.Select(a => a.CustomerId!.Value).Order());
        Assert.All(audit, a => Assert.Equal(_admin.UserId, a.UserId));
        Assert.Contains("1 survey record(s), 1 call(s), 1 note(s), 1 message(s) moved", audit[0].Details);
        Assert.Contains("anna@family.example", audit[0].Details);
        // The chase lists hear the moved record's new customer name.
        var changed = Assert.Single(_db.Events, e => e.RecordId == mergedRecord.Id);
        Assert.Equal((LiveEventKind.RecordChanged, "Anna Family"), (changed.Kind, changed.CustomerName));
        Assert.Empty((await Service.ListAsync(_admin)).Pairs);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MergeAsync_EitherCustomerBeingCalled_RefusedAndNothingChanges(bool survivorLocked)
    {
        var survivor = await CustomerAsync("Anna", "Family", phones: [Home]);
        var merged = await CustomerAsync("Anna", "Family", registration: "ZZ99 ZZZ", phones: [Home, "+447700900002"]);
        var agent = CoreTestDatabase.Agent("Nadia North", _dealer);
        Assert.Equal(LockOutcome.Acquired, (await _db.Locks.AcquireAsync(agent, survivorLocked ? survivor.Id : merged.Id, "page-1")).Outcome);

        var result = await Service.MergeAsync(_admin, survivor.CustomerId, merged.CustomerId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Contains("is being called by Nadia North", result.Message);
        await using var db = _db.NewDbContext();
        Assert.True(await db.Customers.AnyAsync(c => c.Id == merged.CustomerId));
        Assert.Equal(merged.CustomerId, (await db.SurveyRecords.AsNoTracking().SingleAsync(r => r.Id == merged.Id)).CustomerId);
        Assert.Equal(agent.UserId, (await _db.GetRecordAsync(survivorLocked ? survivor.Id : merged.Id)).LockHolderId);
        Assert.Equal(2, await db.CustomerPhones.CountAsync(p => p.CustomerId == merged.CustomerId));
        Assert.Empty(await _db.AuditAsync(PossibleDuplicatesService.MergedAction));
    }

    [Fact]
    public async Task MergeAsync_TwoFocusCustomerIdsOrTooManyNumbers_Refused()
    {
        var a = await CustomerAsync("Anna", "Family", phones: [Home, "+447700900001", "+447700900002"]);
        var b = await CustomerAsync("Anna", "Family", phones: [Home, "+447700900003", "+447700900004", "+447700900005"]);
        var c = await CustomerAsync("Anna", "Family", phones: [Home]);
        await using (var db = _db.NewDbContext())
        {
            await db.Customers.Where(x => x.Id == a.CustomerId).ExecuteUpdateAsync(s => s.SetProperty(x => x.FocusCustomerId, "FC-1"));
            await db.Customers.Where(x => x.Id == c.CustomerId).ExecuteUpdateAsync(s => s.SetProperty(x => x.FocusCustomerId, "FC-2"));
        }

        var twoIds = await Service.MergeAsync(_admin, a.CustomerId, c.CustomerId);
        var sixNumbers = await Service.MergeAsync(_admin, a.CustomerId, b.CustomerId);

        Assert.Equal(CommandOutcome.Refused, twoIds.Outcome);
        Assert.Contains("FOCUS knows these as two customers", twoIds.Message);
        Assert.Equal(CommandOutcome.Refused, sixNumbers.Outcome);
        Assert.Contains("6 different numbers", sixNumbers.Message);
        await using var check = _db.NewDbContext();
        Assert.Equal(3, await check.Customers.CountAsync());
    }

    [Fact]
    public async Task MergeAsync_KeepsTheFocusCustomerIdOfEither()
    {
        var survivor = await CustomerAsync("Anna", "Family", phones: [Home]);
        var merged = await CustomerAsync("Anna", "Family", phones: [Home]);
        await using (var db = _db.NewDbContext())
            await db.Customers.Where(x => x.Id == merged.CustomerId).ExecuteUpdateAsync(s => s.SetProperty(x => x.FocusCustomerId, "FC-9"));

        Assert.Equal(CommandOutcome.Done, (await Service.MergeAsync(_admin, survivor.CustomerId, merged.CustomerId)).Outcome);

        await using var check = _db.NewDbContext();
        Assert.Equal("FC-9", (await check.Customers.SingleAsync(c => c.Id == survivor.CustomerId)).FocusCustomerId);
    }

    [Fact]
    public async Task MergeAsync_DealershipAdminAndAnotherDealershipsCustomers_NotFound()
    {
        var south = (await _db.AddDealershipAsync("South")).Id;
        var southAdmin = await _db.CreateUserAsync("south-admin", Roles.Admin, south);
        var a = await CustomerAsync("Anna", "Family", phones: [Home]);
        var b = await CustomerAsync("Anna", "Family", phones: [Home]);

        Assert.Equal(CommandOutcome.NotFound, (await Service.MergeAsync(southAdmin, a.CustomerId, b.CustomerId)).Outcome);
        Assert.Empty((await Service.ListAsync(southAdmin)).Pairs);
    }
}
