using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KonnectLive.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<KonnectDbContext>
{
    public KonnectDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KonnectDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>The same for PostgreSQL (<c>--context PostgreSqlKonnectDbContext</c>); adding a migration needs no server.</summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlKonnectDbContext>
{
    public PostgreSqlKonnectDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlKonnectDbContext>()
            .UseNpgsql(args.FirstOrDefault() ?? "Host=127.0.0.1;Database=konnectlive_design").Options);
}
