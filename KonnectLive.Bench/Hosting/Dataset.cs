using Microsoft.Data.Sqlite;

namespace KonnectLive.Bench.Hosting;

/// <summary>
/// Generated customers written straight into an app database with set-based SQL (a 100,000-record file in a few
/// seconds): the bench measures the app, not how fast EF's change tracker inserts. Every customer has one vehicle, one
/// mobile and one Awaiting survey record; half were never attempted, half at spread-out times.
/// </summary>
public static class Dataset
{
    public const string BenchDealershipCode = "BEN";

    /// <summary>The bench's own dealership, open for messages all day (demo dealerships send 09:00–20:00 only).</summary>
    public static async Task<int> AddBenchDealershipAsync(string databasePath)
    {
        await using var c = Open(databasePath);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO Dealerships (Code, Name, TimeZone, SendFrom, SendUntil) VALUES ($code, 'Bench Motors', 'Europe/London', '00:00:00', '23:59:59');
            SELECT last_insert_rowid();
            """;
        cmd.Parameters.AddWithValue("$code", BenchDealershipCode);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Adds <paramref name="count"/> Awaiting customers to a dealership; ids from <paramref name="idBase"/> + 1.</summary>
    public static async Task AddAwaitingAsync(string databasePath, int dealershipId, int count, int idBase, string prefix)
    {
        await using var c = Open(databasePath);
        // The search columns (Customers.SearchKeys) are filled here as the app would fill them; SQLite has no reverse().
        c.CreateFunction("kl_reverse", (string s) => new string(s.Reverse().ToArray()));
        await using var tx = c.BeginTransaction();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"""
            CREATE TEMP TABLE n AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $count) SELECT i FROM s;
            INSERT INTO Customers (Id, DealershipId, FirstName, LastName, Email, SearchName)
              SELECT $base + i, $dealer, '{prefix}' || i, 'Surname' || (i % 7919), '{prefix}' || i || '@example.com',
                     upper('{prefix}' || i || ' Surname' || (i % 7919)) FROM n;
            INSERT INTO Vehicles (Id, CustomerId, Registration, Make, Model, RegistrationKey)
              SELECT $base + i, $base + i, '{prefix}' || printf('%06d', i), 'Kestrel', 'Bench', upper('{prefix}' || printf('%06d', i)) FROM n;
            INSERT INTO CustomerPhones (CustomerId, Position, Number, Type, SearchDigits, SearchDigitsReversed)
              SELECT $base + i, 1, '+4470' || printf('%08d', $base + i), 'Mobile', '70' || printf('%08d', $base + i),
                     kl_reverse('70' || printf('%08d', $base + i)) FROM n;
            INSERT INTO SurveyRecords (FocusRecordId, DealershipId, CustomerId, VehicleId, Status, StatusChangedAt, Score, EventType,
                                       EventDate, ReceivedAt, AttemptCount, LastAttemptAt, ChaseKey)
              SELECT '{prefix}-' || ($base + i), $dealer, $base + i, $base + i, 'Awaiting', '2026-11-01 09:00:00', i % 11, 'Service', '2026-10-20 00:00:00',
                     '2026-11-01 09:00:00',
                     CASE WHEN i % 2 = 0 THEN 0 ELSE 1 + i % 4 END,
                     CASE WHEN i % 2 = 0 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', '2026-11-01', '+' || (i % 20000) || ' minutes') END,
                     CASE WHEN i % 2 = 0 THEN '1970-01-01 00:00:00' ELSE strftime('%Y-%m-%d %H:%M:%S', '2026-11-01', '+' || (i % 20000) || ' minutes') END
              FROM n;
            DROP TABLE n;
            """;
        cmd.Parameters.AddWithValue("$count", count);
        cmd.Parameters.AddWithValue("$base", idBase);
        cmd.Parameters.AddWithValue("$dealer", dealershipId);
        await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        await using var analyze = c.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        await analyze.ExecuteNonQueryAsync();
    }

    public static SqliteConnection Open(string databasePath)
    {
        var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 10000;";
        cmd.ExecuteNonQuery();
        return c;
    }
}
