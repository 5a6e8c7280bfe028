using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Inbound;

/// <summary>
/// The ingest writes the rows a batch adds set-based (<c>IngestRowWriter</c>) instead of through EF's change tracker. The
/// same batches go into two databases — one through the change tracker as before, one set-based — and every row of every
/// table the ingest writes must come out the same, column by column as stored, ids included, with the same per-record
/// results and live events.
/// </summary>
public class CsiIngestSetWritesTests : IAsyncLifetime
{
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private static readonly InboundCaller Caller = new(null, "test");
    private static readonly string[] Tables =
        ["Customers", "CustomerPhones", "Vehicles", "SurveyRecords", "SurveyStatusChanges", "ScheduledMessages", "AuditEntries", "InboundRequests"];

    private CoreTestDatabase _old = null!;
    private CoreTestDatabase _new = null!;

    public async Task InitializeAsync()
    {
        _old = await CoreTestDatabase.CreateAsync(provider: Provider);
        _new = await CoreTestDatabase.CreateAsync(provider: Provider);
    }

    public async Task DisposeAsync()
    {
        await _old.DisposeAsync();
        await _new.DisposeAsync();
    }

    [Fact]
    public async Task IngestAsync_MixedThousandRecordBatch_StoresWhatTheChangeTrackerStored()
    {
        var north = (await _old.AddDealershipAsync("North")).Code;
        var south = (await _old.AddDealershipAsync("South")).Code;
        Assert.Equal(north, (await _new.AddDealershipAsync("North")).Code);
        Assert.Equal(south, (await _new.AddDealershipAsync("South")).Code);
        var now = _old.Now;

        // The same history in both, through the change tracker: customers and records the big batch then meets.
        var seed = Seed(north, south, now.AddDays(-2)).ToList();
        foreach (var chunk in seed.Chunk(250))
            await BothAsync(CsiPayloads.Batch(chunk), newPathFirst: false, setBased: false);

        var batch = Mixed(north, south, now.AddHours(-1)).ToList();
        Assert.Equal(1_000, batch.Count);
        var (oldResponse, newResponse) = await BothAsync(CsiPayloads.Batch(batch), newPathFirst: true, setBased: true);

        // Every kind of outcome happened, so the comparison covers each path through the ingest.
        var outcomes = newResponse.Results.GroupBy(r => r.Result).ToDictionary(g => g.Key!, g => g.Count());
        foreach (var outcome in new[] { CsiRecordOutcome.Created, CsiRecordOutcome.Updated, CsiRecordOutcome.Unchanged, CsiRecordOutcome.Rejected,
                     CsiRecordOutcome.IgnoredOutOfOrder, CsiRecordOutcome.IgnoredClosed, CsiRecordOutcome.OutsideMatchWindow })
            Assert.True(outcomes.GetValueOrDefault(outcome) > 0, $"no {outcome} in {string.Join(", ", outcomes)}");

        var oldDb = await SnapshotAsync(_old);
        var newDb = await SnapshotAsync(_new);
        Assert.Equal(oldDb.Ids(Json(oldResponse.Results)), newDb.Ids(Json(newResponse.Results)));
        Assert.Equal(oldResponse.Counts.ToString(), newResponse.Counts.ToString());
        Assert.Equal(oldDb.Events(_old.Events), newDb.Events(_new.Events));
        foreach (var table in Tables)
        {
            var oldRows = oldDb.Canonical(table);
            var newRows = newDb.Canonical(table);
            Assert.True(oldRows.Count > 0, $"{table} is empty");
            Assert.Equal(oldRows.Count, newRows.Count);
            for (var i = 0; i < oldRows.Count; i++) Assert.Equal(oldRows[i], newRows[i]);
        }
        // The proposals and the batch's own audit row are among them.
        var audit = newDb.Canonical("AuditEntries");
        Assert.Contains(audit, a => a.Contains("customer.change-proposed"));
        Assert.Contains(audit, a => a.Contains("inbound.csi.received"));
    }

    /// <summary>The batch into both databases; the new path goes first when asked, so a shared clock or id cannot favour it.</summary>
    private async Task<(CsiBatchResponse Old, CsiBatchResponse New)> BothAsync(string body, bool newPathFirst, bool setBased)
    {
        var oldService = _old.Services.GetRequiredService<CsiIngestService>();
        var newService = _new.Services.GetRequiredService<CsiIngestService>();
        oldService.ChangeTrackedWrites = true;
        newService.ChangeTrackedWrites = !setBased;
        _old.ClearEvents();
        _new.ClearEvents();
        CsiIngestOutcome o, n;
        if (newPathFirst)
        {
            n = await newService.IngestAsync(Caller, body);
            o = await oldService.IngestAsync(Caller, body);
        }
        else
        {
            o = await oldService.IngestAsync(Caller, body);
            n = await newService.IngestAsync(Caller, body);
        }
        Assert.True(o.StatusCode == 200, o.Error);
        Assert.True(n.StatusCode == 200, n.Error);
        return (o.Response!, n.Response!);
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value);

    private static async Task<Snapshot> SnapshotAsync(CoreTestDatabase database)
    {
        var tables = new Dictionary<string, List<Dictionary<string, string>>>();
        await using var db = database.NewDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY \"Id\"";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = tables[table] = [];
            while (await reader.ReadAsync())
            {
                var row = new Dictionary<string, string>();
                for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? "NULL" : Text(reader, i);
                rows.Add(row);
            }
        }
        return new Snapshot(tables);
    }

    private static string Text(DbDataReader reader, int i) => reader.GetValue(i) switch
    {
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };

    /// <summary>
    /// The stored rows with every generated id replaced by what the row is (a record by its FOCUS id, a customer by its
    /// records, a vehicle by its customer and registration): which id a row gets depends on the order rows are inserted in,
    /// and EF orders its inserts by its own dependency sort, not by the batch.
    /// </summary>
    private sealed class Snapshot(Dictionary<string, List<Dictionary<string, string>>> tables)
    {
        private readonly Dictionary<string, string> _records = tables["SurveyRecords"].ToDictionary(r => r["Id"], r => r["FocusRecordId"]);
        private Dictionary<string, string>? _customers;
        private Dictionary<string, string>? _vehicles;

        private Dictionary<string, string> Customers => _customers ??= tables["Customers"].ToDictionary(c => c["Id"], c =>
            "C(" + string.Join(",", tables["SurveyRecords"].Where(r => r["CustomerId"] == c["Id"]).Select(r => r["FocusRecordId"]).Order(StringComparer.Ordinal)) + ")");

        private Dictionary<string, string> Vehicles => _vehicles ??= tables["Vehicles"].ToDictionary(v => v["Id"], v => Customers[v["CustomerId"]] + "/" + v["Registration"]);

        private string Record(string id) => id == "NULL" ? id : _records[id];
        private string Customer(string id) => id == "NULL" ? id : Customers[id];
        private string Vehicle(string id) => id == "NULL" ? id : Vehicles[id];

        public List<string> Canonical(string table) => [.. tables[table].Select(row =>
        {
            var r = new Dictionary<string, string>(row);
            switch (table)
            {
                case "Customers": r["Id"] = Customer(r["Id"]); break;
                case "CustomerPhones": r["Id"] = "-"; r["CustomerId"] = Customer(r["CustomerId"]); break;
                case "Vehicles": r["Id"] = Vehicle(r["Id"]); r["CustomerId"] = Customer(r["CustomerId"]); break;
                case "SurveyRecords": r["Id"] = Record(r["Id"]); r["CustomerId"] = Customer(r["CustomerId"]); r["VehicleId"] = Vehicle(r["VehicleId"]); break;
                case "SurveyStatusChanges": r["Id"] = "-"; r["SurveyRecordId"] = Record(r["SurveyRecordId"]); break;
                case "ScheduledMessages": r["Id"] = "-"; r["SurveyRecordId"] = Record(r["SurveyRecordId"]); r["CustomerId"] = Customer(r["CustomerId"]); break;
                case "AuditEntries":
                    r["Id"] = "-";
                    r["CustomerId"] = Customer(r["CustomerId"]);
                    if (r["EntityType"] == "Customer") r["EntityId"] = Customer(r["EntityId"]);
                    break;
                case "InboundRequests":
                    r["DurationMs"] = "(timing)";
                    r["ResultsJson"] = Ids(r["ResultsJson"]);
                    break;
            }
            return string.Join('|', r.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        }).Order(StringComparer.Ordinal)];

        /// <summary>Per-record results with each record id as the record's FOCUS id.</summary>
        public string Ids(string json) =>
            System.Text.RegularExpressions.Regex.Replace(json, "\"(recordId)\":(\\d+)", m => $"\"{m.Groups[1].Value}\":\"{Record(m.Groups[2].Value)}\"",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase);

        public List<string> Events(IEnumerable<KonnectLive.Core.Live.LiveEvent> events) => [.. events.Select(e =>
            $"{e.Kind} {e.DealershipId} {e.Reason} " + (e.Records is { } c
                ? $"+[{Labels(c.Added)}] -[{Labels(c.Removed)}] ~[{Labels(c.Changed)}]" : ""))];

        private string Labels(int[] ids) => string.Join(",", ids.Select(i => Record(i.ToString(CultureInfo.InvariantCulture))).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// 400 records in two dealerships: customers known by FOCUS customer id, by email, by number only; Awaiting, Pending
    /// and closed records.
    /// </summary>
    private static IEnumerable<object> Seed(string north, string south, DateTime at)
    {
        for (var i = 0; i < 400; i++)
        {
            var dealer = i % 4 == 3 ? south : north;
            var status = (i % 5) switch { 0 or 1 => "Awaiting", 2 or 3 => "Pending", _ => "Completed" };
            yield return CsiPayloads.Record($"S-{i}", dealer, status, at.AddMinutes(i), score: i % 11,
                firstName: $"Seed{i}", lastName: $"Person{i}", phones: [$"07700 9{i:D5}", $"0113 49{i:D5}|Home"],
                email: i % 3 == 0 ? null : $"seed{i}@example.com", registration: $"SE{i:D4} AAA",
                focusCustomerId: i % 2 == 0 ? $"FC-{i}" : null);
        }
    }

    /// <summary>The 1,000-record batch: new people, matches on each key, updates, resends, stale and invalid records.</summary>
    private static IEnumerable<object> Mixed(string north, string south, DateTime at)
    {
        // 400 new customers, some of whom come twice in the batch (the second record finds the first, not yet saved).
        for (var i = 0; i < 400; i++)
        {
            var status = i % 3 == 0 ? "Pending" : "Awaiting";
            yield return CsiPayloads.Record($"N-{i}", i % 5 == 0 ? south : north, status, at.AddSeconds(i), score: i % 11,
                firstName: $"New{i}", lastName: $"Comer{i}", phones: i % 7 == 0 ? [] : [$"07800 1{i:D5}"],
                email: i % 4 == 0 ? null : $"new{i}@example.com", registration: $"NW{i:D4} BBB", vin: i % 6 == 0 ? $"VXN{i:D14}" : null,
                focusCustomerId: i % 2 == 0 ? $"NC-{i}" : null, title: i % 9 == 0 ? null : "Mx");
        }
        for (var i = 0; i < 50; i++)
            yield return CsiPayloads.Record($"N2-{i}", i % 5 == 0 ? south : north, "Awaiting", at.AddSeconds(400 + i),
                firstName: $"New{i * 2}", lastName: $"Comer{i * 2}", phones: [$"07800 1{i * 2:D5}", $"07800 2{i:D5}"],
                email: i * 2 % 4 == 0 ? null : $"new{i * 2}@example.com", registration: $"NX{i:D4} BBB");

        // Seed customers matched by FOCUS customer id (their names change), by email (a different name: a proposal), and by
        // number and the same name (a new number is added).
        for (var i = 0; i < 100; i++)
        {
            var s = i * 4; // even: has FC id; north
            yield return CsiPayloads.Record($"MF-{i}", north, "Awaiting", at.AddSeconds(500 + i), firstName: $"Renamed{s}",
                lastName: $"Person{s}", phones: [$"07700 9{s:D5}"], focusCustomerId: $"FC-{s}", registration: $"MF{i:D4} CCC",
                email: $"changed{s}@example.com");
        }
        for (var i = 0; i < 100; i++)
        {
            var s = i * 4 + 1; // odd, email (1 % 3 != 0 for most); no FC id
            yield return CsiPayloads.Record($"ME-{i}", north, "Pending", at.AddSeconds(600 + i), score: 10, firstName: $"Other{s}",
                lastName: $"Name{s}", phones: [$"07900 3{i:D5}"], email: s % 3 == 0 ? null : $"seed{s}@example.com",
                registration: $"SE{s:D4} AAA", focusCustomerId: i % 10 == 0 ? $"XC-{i}" : null);
        }
        for (var i = 0; i < 100; i++)
        {
            var s = i * 4 + 3; // south, by number and name
            yield return CsiPayloads.Record($"MP-{i}", south, "Awaiting", at.AddSeconds(700 + i), firstName: $"SEED{s}", lastName: $"person{s}",
                phones: [$"0113 49{s:D5}|Home", $"07911 4{i:D5}"], email: null, registration: $"MP{i:D4} DDD");
        }

        // Records FOCUS sent before: a newer status, a resend with new vehicle details, a resend as it was, an older time,
        // a closed record, one that tries to move dealership, an event outside the match window.
        for (var i = 0; i < 200; i++)
        {
            var s = i;
            var dealer = s % 4 == 3 ? south : north;
            var seededStatus = (s % 5) switch { 0 or 1 => "Awaiting", 2 or 3 => "Pending", _ => "Completed" };
            var seededPhones = new[] { $"07700 9{s:D5}", $"0113 49{s:D5}|Home" };
            yield return (i % 8) switch
            {
                0 => CsiPayloads.Record($"S-{s}", dealer, "Completed", at.AddSeconds(800 + i), firstName: $"Seed{s}", lastName: $"Person{s}",
                    phones: seededPhones, registration: $"SE{s:D4} AAA", focusCustomerId: s % 2 == 0 ? $"FC-{s}" : null),
                1 => CsiPayloads.Record($"S-{s}", dealer, seededStatus, SeedTime(s, at), score: s % 11, firstName: $"Seed{s}", lastName: $"Person{s}",
                    phones: seededPhones, email: s % 3 == 0 ? null : $"seed{s}@example.com", registration: $"RE{s:D4} NEW", vin: $"VXN{s:D14}",
                    focusCustomerId: s % 2 == 0 ? $"FC-{s}" : null),
                2 => CsiPayloads.Record($"S-{s}", dealer, seededStatus, SeedTime(s, at), score: s % 11, firstName: $"Seed{s}", lastName: $"Person{s}",
                    phones: seededPhones, email: s % 3 == 0 ? null : $"seed{s}@example.com", registration: $"SE{s:D4} AAA",
                    focusCustomerId: s % 2 == 0 ? $"FC-{s}" : null),
                3 => CsiPayloads.Record($"S-{s}", dealer, "Pending", at.AddDays(-10), firstName: $"Seed{s}", lastName: $"Person{s}",
                    phones: seededPhones, registration: $"SE{s:D4} AAA"),
                4 => CsiPayloads.Record($"S-{s}", dealer == north ? south : north, "Pending", at.AddSeconds(800 + i), firstName: $"Seed{s}",
                    lastName: $"Person{s}", registration: $"SE{s:D4} AAA"),
                5 => CsiPayloads.Record($"S-{s}", dealer, "Awaiting", at.AddSeconds(800 + i), score: 9, firstName: $"Seed{s}", lastName: $"Person{s}",
                    phones: [.. seededPhones, $"07555 5{s:D5}"], registration: $"SE{s:D4} AAA"),
                6 => CsiPayloads.Record($"S-{s}", dealer, "Pending", at.AddSeconds(800 + i), score: 10, firstName: $"Seed{s}", lastName: $"Person{s}",
                    phones: seededPhones, registration: $"SE{s:D4} AAA", eventDate: at.AddDays(-400)),
                _ => CsiPayloads.Record($"OLD-{s}", dealer, "Awaiting", at.AddSeconds(800 + i), firstName: "Stale", lastName: $"Event{s}",
                    eventDate: at.AddDays(-400)),
            };
        }

        // Invalid: no last name, an unknown status, an unknown dealership, a number that is not one.
        for (var i = 0; i < 50; i++)
            yield return (i % 4) switch
            {
                0 => CsiPayloads.Record($"BAD-{i}", north, "Awaiting", at, lastName: ""),
                1 => CsiPayloads.Record($"BAD-{i}", north, "Sleeping", at),
                2 => CsiPayloads.Record($"BAD-{i}", "NOWHERE", "Awaiting", at),
                _ => CsiPayloads.Record($"BAD-{i}", north, "Awaiting", at, phones: ["not a number"]),
            };
    }

    /// <summary>The time <see cref="Seed"/> gave record <paramref name="s"/>, from the big batch's time (one day and an hour later).</summary>
    private static DateTime SeedTime(int s, DateTime batchAt) => batchAt.AddHours(1).AddDays(-2).AddMinutes(s);
}

public sealed class CsiIngestSetWritesTestsOnPostgreSql : CsiIngestSetWritesTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
