using KonnectLive.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Data;

/// <summary>
/// An installation made before outcome behaviours existed (schema at CustomerNotesFieldsAndSettings, its outcomes
/// seeded by name, calls already recorded) upgrades in place: the seeded outcomes get their follow-up behaviours and
/// Wrong number its next-contact-method templates, and recorded calls keep their data.
/// </summary>
public sealed class MigrationUpgradeTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kl-upgrade-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _services = new ServiceCollection()
            .AddDbContext<KonnectDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_dir, "old.db")};Pooling=False"))
            .BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Migrate_DatabaseFromBeforeOutcomeBehaviours_SeededOutcomesGetTheirBehavioursAndCallsSurvive()
    {
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KonnectDbContext>();
            await db.GetService<IMigrator>().MigrateAsync("CustomerNotesFieldsAndSettings");
            // What that version's initializer seeded, written as that version's schema had it.
            var names = new[] { "Spoke – will complete survey", "Spoke – declined", "No answer", "Voicemail", "Wrong number", "Call back later" };
            for (var i = 0; i < names.Length; i++)
                await db.Database.ExecuteSqlAsync($"INSERT INTO CallOutcomes (Name, Colour, SortOrder, IsActive) VALUES ({names[i]}, 'Default', {i * 10}, 1)");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO MessageTemplates (Name, Channel, Subject, Body, IsActive, UpdatedAt, UpdatedBy) VALUES ('CSI survey reminder (SMS)', 'Sms', NULL, 'Hi', 1, '2026-01-01', 'system');
                INSERT INTO Dealerships (Code, Name, TimeZone, SendFrom, SendUntil) VALUES ('OLD', 'Old Motors', 'Europe/London', '09:00:00', '20:00:00');
                INSERT INTO Customers (DealershipId, FirstName, LastName) VALUES (1, 'Olive', 'Old');
                INSERT INTO SurveyRecords (FocusRecordId, DealershipId, CustomerId, Status, StatusChangedAt, EventType, EventDate, ReceivedAt, AttemptCount, ChaseKey)
                    VALUES ('OLD-1', 1, 1, 'Awaiting', '2026-01-01', 'Sales', '2026-01-01', '2026-01-01', 1, '2026-01-02');
                INSERT INTO CallAttempts (CallType, SurveyRecordId, CustomerId, DealershipId, AgentId, AgentName, StartedAt, DurationSeconds, OutcomeId, RecordedAt)
                    VALUES ('Outbound', 1, 1, 1, 'agent', 'Agent', '2026-01-02', 30, (SELECT Id FROM CallOutcomes WHERE Name = 'Spoke – declined'), '2026-01-02');
                """);
        }

        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KonnectDbContext>();
            await db.Database.MigrateAsync();

            var outcomes = await db.CallOutcomes.AsNoTracking().ToDictionaryAsync(o => o.Name);
            Assert.Equal(global::KonnectLive.Core.Calling.OutcomeBehaviour.TakeOffList, outcomes["Spoke – will complete survey"].Behaviour);
            Assert.Equal(global::KonnectLive.Core.Calling.OutcomeBehaviour.CustomerDeclined, outcomes["Spoke – declined"].Behaviour);
            Assert.Equal(global::KonnectLive.Core.Calling.OutcomeBehaviour.KeepOnList, outcomes["No answer"].Behaviour);
            Assert.Equal(global::KonnectLive.Core.Calling.OutcomeBehaviour.CallBackLater, outcomes["Call back later"].Behaviour);
            Assert.Equal(60, outcomes["Call back later"].CallbackReserveMinutes);
            var wrong = outcomes["Wrong number"];
            Assert.Equal(global::KonnectLive.Core.Calling.OutcomeBehaviour.WrongNumber, wrong.Behaviour);
            Assert.Equal(await db.MessageTemplates.Where(t => t.Name == "CSI survey reminder (SMS)").Select(t => (int?)t.Id).SingleAsync(), wrong.NextSmsTemplateId);
            Assert.Null(wrong.NextEmailTemplateId); // that template did not exist yet

            var attempt = await db.CallAttempts.AsNoTracking().SingleAsync();
            Assert.Equal(global::KonnectLive.Core.Calling.OutcomeBehaviour.CustomerDeclined, attempt.Behaviour); // the declined report counts it
            Assert.Equal(30, attempt.DurationSeconds);
            Assert.Null((await db.SurveyRecords.AsNoTracking().SingleAsync()).ChaseEndedAt);
        }
    }

    [Fact]
    public async Task Migrate_DatabaseFromBeforeProposals_EveryExistingDeclineReasonIsApproved()
    {
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KonnectDbContext>();
            await db.GetService<IMigrator>().MigrateAsync("OutcomeBehavioursForExistingOutcomes");
            // One seeded, one an agent added with "+" under the old rule (offered to everyone at once).
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO DeclineReasons (Name, SortOrder, IsActive, CreatedAt, CreatedBy) VALUES ('No time', 10, 1, '2026-01-01', 'system');
                INSERT INTO DeclineReasons (Name, SortOrder, IsActive, CreatedAt, CreatedBy) VALUES ('Moved abroad', 20, 0, '2026-01-02', 'Nadia North');
                """);
        }

        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KonnectDbContext>();
            await db.Database.MigrateAsync();

            var reasons = await db.DeclineReasons.AsNoTracking().OrderBy(r => r.SortOrder).ToListAsync();
            Assert.Equal([("No time", true), ("Moved abroad", false)], reasons.Select(r => (r.Name, r.IsActive)));
            Assert.All(reasons, r => Assert.Equal((global::KonnectLive.Core.Calling.DeclineReasonStatus.Approved, (string?)null, (int?)null),
                (r.Status, r.ProposedById, r.MergedIntoId)));
        }
    }
}
