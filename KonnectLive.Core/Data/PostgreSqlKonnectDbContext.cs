using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Data;

/// <summary>
/// <see cref="KonnectDbContext"/> on PostgreSQL. The model is the same; only the migrations differ (EF's "migrations with
/// multiple providers": each set is tied to a context type), so PostgreSQL's live in <c>Data/PostgreSql/Migrations</c>.
/// Add one with <c>dotnet ef migrations add Name --context PostgreSqlKonnectDbContext --output-dir Data/PostgreSql/Migrations</c>.
/// </summary>
public sealed class PostgreSqlKonnectDbContext(DbContextOptions<PostgreSqlKonnectDbContext> options) : KonnectDbContext(options);
