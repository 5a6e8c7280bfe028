using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KonnectLive.Core.Data;

/// <summary>The one place that knows how each provider says "a unique index refused this row".</summary>
public static class UniqueViolation
{
    private const int SqliteConstraintUnique = 2067;     // SQLITE_CONSTRAINT_UNIQUE
    private const int SqliteConstraintPrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY

    /// <summary>True when <paramref name="e"/> failed on a unique index or key (SQLite 19/2067, PostgreSQL 23505).</summary>
    public static bool Is(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
