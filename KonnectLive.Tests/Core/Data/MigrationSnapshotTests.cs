using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KonnectLive.Tests.Core.Data;

/// <summary>
/// A model change with no migration is caught here, for both providers, instead of by MigrateAsync on every start (the
/// app ignores EF's PendingModelChangesWarning: building the design-time model to check costs start-up time). No
/// database is needed: the check compares the migrations' snapshot with the model.
/// </summary>
public sealed class MigrationSnapshotTests
{
    [Fact]
    public void HasPendingModelChanges_Sqlite_EveryModelChangeHasAMigration()
    {
        using var context = Sqlite();
        Assert.False(context.Database.HasPendingModelChanges(),
            "The model has changes with no SQLite migration: from KonnectLive.Core run `dotnet ef migrations add <Name> --context KonnectDbContext --configuration Release`.");
    }

    [Fact]
    public void HasPendingModelChanges_PostgreSql_EveryModelChangeHasAMigration()
    {
        using var context = PostgreSql();
        Assert.False(context.Database.HasPendingModelChanges(),
            "The model has changes with no PostgreSQL migration: from KonnectLive.Core run `dotnet ef migrations add <Name> --context PostgreSqlKonnectDbContext " +
            "--output-dir Data/PostgreSql/Migrations --namespace KonnectLive.Core.Data.PostgreSql.Migrations --configuration Release`.");
    }

    /// <summary>The check above can fail: a column the migrations do not know is seen, on either provider.</summary>
    [Fact]
    public void HasPendingModelChanges_ColumnWithoutMigration_IsSeenOnBothProviders()
    {
        using var sqlite = Sqlite(o => o.ReplaceService<IModelCustomizer, ColumnWithoutMigration>());
        using var postgreSql = PostgreSql(o => o.ReplaceService<IModelCustomizer, ColumnWithoutMigration>());

        Assert.True(sqlite.Database.HasPendingModelChanges());
        Assert.True(postgreSql.Database.HasPendingModelChanges());
    }

    /// <summary>The app's contexts skip MigrateAsync's own check (the reason these tests exist).</summary>
    [Fact]
    public void Options_BothProviders_IgnorePendingModelChangesWarning()
    {
        using var sqlite = Sqlite();
        using var postgreSql = PostgreSql();
        foreach (var context in new KonnectDbContext[] { sqlite, postgreSql })
        {
            var warnings = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.WarningsConfiguration;
            Assert.Equal(WarningBehavior.Ignore,
                warnings.GetBehavior(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));
        }
    }

    private static KonnectDbContext Sqlite(Action<DbContextOptionsBuilder>? configure = null)
    {
        var options = new DbContextOptionsBuilder<KonnectDbContext>().UseSqlite("Data Source=:memory:");
        configure?.Invoke(options);
        return new KonnectDbContext(options.Options);
    }

    private static PostgreSqlKonnectDbContext PostgreSql(Action<DbContextOptionsBuilder>? configure = null)
    {
        var options = new DbContextOptionsBuilder<PostgreSqlKonnectDbContext>().UseNpgsql("Host=127.0.0.1;Database=never_opened");
        configure?.Invoke(options);
        return new PostgreSqlKonnectDbContext(options.Options);
    }

    private sealed class ColumnWithoutMigration(ModelCustomizerDependencies dependencies) : ModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<Dealership>().Property<string>("NotInAnyMigration");
        }
    }
}
