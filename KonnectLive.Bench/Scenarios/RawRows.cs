using Microsoft.Data.Sqlite;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// The rows one new Awaiting FOCUS record becomes (customer, phone, vehicle, survey record, status change, scheduled
/// message), written with prepared ADO.NET commands, one transaction per batch: the floor ingest is measured against.
/// </summary>
public sealed class RawRows : IDisposable
{
    private readonly SqliteConnection _c;
    private readonly SqliteCommand _customer, _phone, _vehicle, _record, _change, _message;

    public RawRows(string databasePath)
    {
        _c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        _c.Open();
        using (var pragma = _c.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
        }
        _customer = Prepare("INSERT INTO Customers (DealershipId, Title, FirstName, LastName, Email) VALUES ($d, 'Ms', $f, $l, $e) RETURNING Id", "$d", "$f", "$l", "$e");
        _phone = Prepare("INSERT INTO CustomerPhones (CustomerId, Position, Number, Type) VALUES ($c, 1, $n, 'Mobile')", "$c", "$n");
        _vehicle = Prepare("INSERT INTO Vehicles (CustomerId, Registration, Make, Model) VALUES ($c, $r, 'Kestrel', 'Aero') RETURNING Id", "$c", "$r");
        _record = Prepare("INSERT INTO SurveyRecords (FocusRecordId, DealershipId, CustomerId, VehicleId, Status, StatusChangedAt, Score, EventType, EventDate, ReceivedAt, AttemptCount, ChaseKey) " +
                          "VALUES ($id, $d, $c, $v, 'Awaiting', $at, 10, 'Service', $ev, $now, 0, '1970-01-01 00:00:00') RETURNING Id", "$id", "$d", "$c", "$v", "$at", "$ev", "$now");
        _change = Prepare("INSERT INTO SurveyStatusChanges (SurveyRecordId, Status, ChangedAt, ReceivedAt) VALUES ($r, 'Awaiting', $at, $now)", "$r", "$at", "$now");
        _message = Prepare("INSERT INTO ScheduledMessages (SurveyRecordId, CustomerId, DealershipId, Channel, TriggerStatus, State, CreatedAt, DueAt, Attempts, IdempotencyKey) " +
                           "VALUES ($r, $c, $d, 'Sms', 'Awaiting', 'Scheduled', $now, $due, 0, $key)", "$r", "$c", "$d", "$now", "$due", "$key");
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = _c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names) cmd.Parameters.AddWithValue(n, DBNull.Value);
        return cmd;
    }

    private static string T(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");

    /// <summary>Inserts records <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/>-1 in one transaction.</summary>
    public void InsertBatch(int dealershipId, string prefix, int from, int count, DateTime now, DateTime due)
    {
        using var tx = _c.BeginTransaction();
        foreach (var cmd in new[] { _customer, _phone, _vehicle, _record, _change, _message })
        {
            cmd.Transaction = tx;
            cmd.Prepare();
        }
        for (var n = from; n < from + count; n++)
        {
            _customer.Parameters["$d"].Value = dealershipId;
            _customer.Parameters["$f"].Value = $"First{n}";
            _customer.Parameters["$l"].Value = $"Last{n}";
            _customer.Parameters["$e"].Value = $"{prefix.ToLowerInvariant()}{n}@example.com";
            var customer = (long)_customer.ExecuteScalar()!;
            _phone.Parameters["$c"].Value = customer;
            _phone.Parameters["$n"].Value = $"+447911{n:D6}";
            _phone.ExecuteNonQuery();
            _vehicle.Parameters["$c"].Value = customer;
            _vehicle.Parameters["$r"].Value = $"{prefix}{n:D6}";
            var vehicle = (long)_vehicle.ExecuteScalar()!;
            _record.Parameters["$id"].Value = $"{prefix}-{n}";
            _record.Parameters["$d"].Value = dealershipId;
            _record.Parameters["$c"].Value = customer;
            _record.Parameters["$v"].Value = vehicle;
            _record.Parameters["$at"].Value = T(now.AddHours(-1));
            _record.Parameters["$ev"].Value = T(now.Date.AddDays(-3));
            _record.Parameters["$now"].Value = T(now);
            var record = (long)_record.ExecuteScalar()!;
            _change.Parameters["$r"].Value = record;
            _change.Parameters["$at"].Value = T(now.AddHours(-1));
            _change.Parameters["$now"].Value = T(now);
            _change.ExecuteNonQuery();
            _message.Parameters["$r"].Value = record;
            _message.Parameters["$c"].Value = customer;
            _message.Parameters["$d"].Value = dealershipId;
            _message.Parameters["$now"].Value = T(now);
            _message.Parameters["$due"].Value = T(due);
            _message.Parameters["$key"].Value = $"{prefix}-{n}-awaiting";
            _message.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>
    /// The least a send can be: claim up to <paramref name="batch"/> due rows with one UPDATE, then per row an outbox
    /// insert and the update to Sent, one transaction per batch. Returns how many were sent.
    /// </summary>
    public int SendDue(int batch)
    {
        var sent = 0;
        while (true)
        {
            using var tx = _c.BeginTransaction();
            var token = Guid.NewGuid().ToString("N");
            var now = T(DateTime.UtcNow);
            using var claim = _c.CreateCommand();
            claim.Transaction = tx;
            claim.CommandText = "UPDATE ScheduledMessages SET State = 'Sending', ClaimToken = $t WHERE Id IN " +
                                "(SELECT Id FROM ScheduledMessages WHERE State = 'Scheduled' AND DueAt <= $now ORDER BY DueAt, Id LIMIT $n)";
            claim.Parameters.AddWithValue("$t", token);
            claim.Parameters.AddWithValue("$now", now);
            claim.Parameters.AddWithValue("$n", batch);
            if (claim.ExecuteNonQuery() == 0) return sent;
            var rows = new List<(long Id, string Key)>();
            using (var read = _c.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = "SELECT Id, IdempotencyKey FROM ScheduledMessages WHERE ClaimToken = $t";
                read.Parameters.AddWithValue("$t", token);
                using var r = read.ExecuteReader();
                while (r.Read()) rows.Add((r.GetInt64(0), r.GetString(1)));
            }
            using var outbox = _c.CreateCommand();
            outbox.Transaction = tx;
            outbox.CommandText = "INSERT INTO OutboxMessages (ScheduledMessageId, Channel, Recipient, Body, SentAt, IdempotencyKey) VALUES ($m, 'Sms', '+447911000000', 'Hello', $now, $k)";
            var oM = outbox.Parameters.AddWithValue("$m", 0L);
            outbox.Parameters.AddWithValue("$now", now);
            var oK = outbox.Parameters.AddWithValue("$k", "");
            using var done = _c.CreateCommand();
            done.Transaction = tx;
            done.CommandText = "UPDATE ScheduledMessages SET State = 'Sent', SentAt = $now, CompletedAt = $now, Attempts = Attempts + 1, ClaimToken = NULL WHERE Id = $m AND ClaimToken = $t";
            var dM = done.Parameters.AddWithValue("$m", 0L);
            done.Parameters.AddWithValue("$now", now);
            done.Parameters.AddWithValue("$t", token);
            foreach (var (id, key) in rows)
            {
                oM.Value = id; oK.Value = key; outbox.ExecuteNonQuery();
                dM.Value = id; done.ExecuteNonQuery();
                sent++;
            }
            tx.Commit();
        }
    }

    public void Dispose()
    {
        foreach (var cmd in new[] { _customer, _phone, _vehicle, _record, _change, _message }) cmd.Dispose();
        _c.Dispose();
    }
}
