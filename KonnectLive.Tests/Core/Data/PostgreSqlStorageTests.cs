using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core;

/// <summary>The PostgreSQL provider from an empty database: migrations, seeding, start-up gating.</summary>
public sealed class PostgreSqlStorageTests
{
    [Fact]
    public async Task InitializeAsync_EmptyPostgreSqlDatabase_MigratesAndSeedsDemoData()
    {
        await using var db = await CoreTestDatabase.CreateAsync(seedDemoData: true, StorageProvider.PostgreSql, fromEmpty: true);
        await using var context = db.NewDbContext();

        Assert.IsType<PostgreSqlKonnectDbContext>(context);
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        Assert.Equal(3, await context.Dealerships.CountAsync());
        Assert.Equal(DatabaseInitializer.DemoCustomerCount, await context.SurveyRecords.CountAsync());
        // DateTime round trip: stored as timestamptz, read back as the same UTC instant.
        var record = await context.SurveyRecords.OrderBy(r => r.Id).FirstAsync();
        Assert.Equal(DateTimeKind.Utc, record.ChaseKey.Kind);
        Assert.Equal(DateTimeKind.Utc, record.EventDate.Kind);
    }

    [Fact]
    public async Task InitializeAsync_RunTwiceAtOnce_SeedsOnce()
    {
        await using var db = await CoreTestDatabase.CreateAsync(seedDemoData: false, StorageProvider.PostgreSql, fromEmpty: true);

        // Two more "instances" starting together on the same database.
        await Task.WhenAll(db.InitializeAsync(), db.InitializeAsync());

        await using var context = db.NewDbContext();
        Assert.Equal(DatabaseInitializer.DefaultOutcomes().Count(), await context.CallOutcomes.CountAsync());
        Assert.Equal(DatabaseInitializer.DefaultDeclineReasons.Count, await context.DeclineReasons.CountAsync());
    }

    [Fact]
    public async Task EnsureReadyAsync_UnmigratedDatabase_SaysSoAndNamesTheFix()
    {
        await using var db = await CoreTestDatabase.CreateAsync(seedDemoData: false, StorageProvider.PostgreSql);
        var server = await KonnectLive.Tests.Infrastructure.PostgreSqlServer.GetAsync();
        var empty = await server.CreateDatabaseAsync();
        try
        {
            var options = new DbContextOptionsBuilder<PostgreSqlKonnectDbContext>().UseNpgsql(empty).Options;
            await using var context = new PostgreSqlKonnectDbContext(options);
            await using var scope = db.Services.CreateAsyncScope();
            var initializer = ActivatorUtilities.CreateInstance<DatabaseInitializer>(scope.ServiceProvider, (KonnectDbContext)context);

            var e = await Assert.ThrowsAsync<DatabaseNotReadyException>(() => initializer.EnsureReadyAsync());

            Assert.Contains("not migrated", e.Message);
            Assert.Contains("--migrate", e.Message);
        }
        finally
        {
            await server.DropDatabaseAsync(empty);
        }
    }
}
