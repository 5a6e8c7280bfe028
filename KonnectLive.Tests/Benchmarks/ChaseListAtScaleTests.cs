using System.Data.Common;
using System.Diagnostics;
using KonnectLive.Core;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using KonnectLive.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Benchmarks;

/// <summary>
/// The chase list with 100,000 Awaiting records in a real SQLite file. Asserts that the database does the
/// ordering and paging (no sort of the whole table, one page of rows back), and writes the measured
/// timings to artifacts/benchmarks/chase-list.md. Timings are reported, never asserted.
/// </summary>
[Collection(BenchmarkCollection.Name)]
public sealed class ChaseListAtScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Records = 100_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("konnectlive-scale-").FullName;
    private readonly SqlCapture _capture = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = Path.Combine(_dir, "scale.db"),
            ["Storage:SeedDemoData"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddKonnectLiveCore(config);
        services.AddIdentityCore<AppUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<KonnectDbContext>();
        services.AddSingleton<IDbContextFactory<KonnectDbContext>>(sp => new CapturingFactory(config, _capture));
        _services = services.BuildServiceProvider();
        await using (var scope = _services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await SeedAsync();
    }

    private async Task SeedAsync()
    {
        var sw = Stopwatch.StartNew();
        await using var db = await _services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        // The search columns (Customers.SearchKeys) are filled as the app would fill them; SQLite has no reverse().
        await db.Database.OpenConnectionAsync();
        ((SqliteConnection)db.Database.GetDbConnection()).CreateFunction("kl_reverse", (string s) => new string(s.Reverse().ToArray()));
        // Set-based inserts: the benchmark measures the chase list, not EF's change tracker.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO Dealerships (Code, Name, TimeZone) VALUES ('B1','Bench One','Europe/London'),('B2','Bench Two','Europe/London'),('B3','Bench Three','Europe/London');
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
            INSERT INTO Customers (Id, DealershipId, FirstName, LastName, Email, SearchName)
              SELECT i, 1 + (i % 3), 'Bench' || i, 'Surname' || (i % 7919), 'bench' || i || '@example.com',
                     upper('Bench' || i || ' Surname' || (i % 7919)) FROM n;
            INSERT INTO Vehicles (Id, CustomerId, Registration, Make, Model, RegistrationKey)
              SELECT Id, Id, 'BN' || printf('%06d', Id), 'Kestrel', 'Bench', 'BN' || printf('%06d', Id) FROM Customers;
            INSERT INTO CustomerPhones (CustomerId, Position, Number, Type, SearchDigits, SearchDigitsReversed)
              SELECT Id, 1, '+447' || printf('%09d', Id), 'Mobile', '7' || printf('%09d', Id), kl_reverse('7' || printf('%09d', Id)) FROM Customers;
            INSERT INTO SurveyRecords (FocusRecordId, DealershipId, CustomerId, VehicleId, Status, StatusChangedAt, Score, EventType,
                                       EventDate, ReceivedAt, AttemptCount, LastAttemptAt, ChaseKey)
              SELECT 'BENCH-' || Id, DealershipId, Id, Id, 'Awaiting', '2026-11-01 09:00:00', Id % 11, 'Service', '2026-10-20 00:00:00',
                     '2026-11-01 09:00:00',
                     CASE WHEN Id % 2 = 0 THEN 0 ELSE 1 + Id % 4 END,
                     CASE WHEN Id % 2 = 0 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', '2026-11-01', '+' || (Id % 20000) || ' minutes') END,
                     CASE WHEN Id % 2 = 0 THEN '1970-01-01 00:00:00' ELSE strftime('%Y-%m-%d %H:%M:%S', '2026-11-01', '+' || (Id % 20000) || ' minutes') END
              FROM Customers;
            ANALYZE;
            """);
        output.WriteLine($"Seeded {Records:N0} records in {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task GetPage_With100kRecords_DatabaseOrdersAndPages()
    {
        var query = _services.GetRequiredService<ChaseListQuery>();
        var headOffice = new UserScope("bench-ho", "Bench HO", null, true, [Roles.Agent]);
        var dealer = new UserScope("bench-d1", "Bench Dealer", 1, true, [Roles.Agent]);
        var report = new List<string> { "| query | rows returned | total | median ms | max ms |", "| --- | ---: | ---: | ---: | ---: |" };

        async Task<ChaseListPage> Measure(string name, UserScope user, ChaseListRequest request)
        {
            ChaseListPage page = null!;
            var times = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var sw = Stopwatch.StartNew();
                page = await query.GetPageAsync(user, request);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            report.Add($"| {name} | {page.Rows.Count} | {page.Total:N0} | {times[3]:F1} | {times[^1]:F1} |");
            return page;
        }

        var first = await Measure("head office, first page of 25", headOffice, new(0, 25));
        Assert.Equal(Records, first.Total);
        Assert.Equal(25, first.Rows.Count);
        Assert.All(first.Rows, r => Assert.Null(r.LastAttemptAt)); // never-attempted first

        var deep = await Measure("head office, page 3,000 of 25", headOffice, new(74_975, 25));
        Assert.Equal(25, deep.Rows.Count);
        Assert.All(deep.Rows, r => Assert.NotNull(r.LastAttemptAt));
        Assert.True(deep.Rows.Zip(deep.Rows.Skip(1)).All(p => p.First.LastAttemptAt <= p.Second.LastAttemptAt), "rows are in last-attempt order");

        var own = await Measure("one dealership, first page of 25", dealer, new(0, 25));
        Assert.All(own.Rows, r => Assert.Equal(1, r.DealershipId));

        var byPhone = await Measure("search by phone 07000 012345", headOffice, new(0, 25, "07000 012345"));
        Assert.Contains(byPhone.Rows, r => r.CustomerId == 12345);
        var byReg = await Measure("search by registration BN 054321", headOffice, new(0, 25, "BN 054321"));
        Assert.Single(byReg.Rows);
        await Measure("search by surname Surname77", headOffice, new(0, 25, "Surname77"));

        // The page query must be served in index order: no sort of the whole table in a temporary b-tree.
        _capture.Clear();
        await query.GetPageAsync(headOffice, new(0, 25));
        await query.GetPageAsync(dealer, new(0, 25));
        var pageCommands = _capture.Commands.Where(c => c.Text.Contains("LIMIT")).ToList();
        Assert.Equal(2, pageCommands.Count);
        foreach (var command in pageCommands)
        {
            var plan = await ExplainAsync(command);
            output.WriteLine(plan);
            Assert.DoesNotContain("TEMP B-TREE FOR ORDER BY", plan);
        }

        // A deep numbered page (its anchors read by the Measure above), and the page after / before a row's place: each band
        // asked as one range of the index from a place, read in order — no merge of both bands and sort, no walk from the top.
        _capture.Clear();
        await query.GetPageAsync(headOffice, new(74_975, 25));
        var after = await query.GetPageAsync(headOffice, new(0, 25, After: deep.Rows[^1].Place));
        var before = await query.GetPageAsync(headOffice, new(0, 25, Before: after.Rows[0].Place));
        var seekCommands = _capture.Commands.Where(c => c.Text.Contains("LIMIT")).ToList();
        Assert.Equal(deep.Rows.Select(r => r.RecordId), before.Rows.Select(r => r.RecordId));
        Assert.Equal((await query.GetPageAsync(headOffice, new(75_000, 25))).Rows.Select(r => r.RecordId), after.Rows.Select(r => r.RecordId));
        Assert.NotEmpty(seekCommands);
        foreach (var command in seekCommands)
        {
            var plan = await ExplainAsync(command);
            output.WriteLine(plan);
            Assert.DoesNotContain("TEMP B-TREE FOR ORDER BY", plan);
            Assert.Matches(@"ChaseKey[<>]\?", plan);
        }
        await Measure("head office, the page after page 3,000 (Next)", headOffice, new(0, 25, After: deep.Rows[^1].Place));

        // Previous / Next from the middle of the list: a seek into the index at the record's place, not a walk from the top.
        var at = deep.Rows.Take(24).ToList().FindIndex(r => r.DealershipId == 1); // the dealer may see it
        var middle = deep.Rows[at].RecordId;
        _capture.Clear();
        var next = await query.FindNeighbourAsync(headOffice, middle, ChaseDirection.Next);
        var previous = await query.FindNeighbourAsync(dealer, middle, ChaseDirection.Previous);
        Assert.Equal(deep.Rows[at + 1].RecordId, next);
        Assert.NotNull(previous);
        var neighbourCommands = _capture.Commands.Where(c => c.Text.Contains("ORDER BY")).ToList(); // not the lookup of the record itself
        Assert.Equal(2, neighbourCommands.Count);
        foreach (var command in neighbourCommands)
        {
            var plan = await ExplainAsync(command);
            output.WriteLine(plan);
            Assert.DoesNotContain("TEMP B-TREE FOR ORDER BY", plan);
            Assert.Matches(@"ChaseKey[<>]\?", plan); // a range on the index, from the record's place on
        }
        foreach (var (name, user, direction) in new[] { ("next from page 3,000", headOffice, ChaseDirection.Next), ("previous from page 3,000, one dealership", dealer, ChaseDirection.Previous) })
        {
            var times = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var sw = Stopwatch.StartNew();
                await query.FindNeighbourAsync(user, middle, direction);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            report.Add($"| {name} | 1 | – | {times[3]:F1} | {times[^1]:F1} |");
        }

        var path = Path.Combine(RepositoryRoot.Path, "artifacts", "benchmarks");
        Directory.CreateDirectory(path);
        var text = $"# Chase list with {Records:N0} Awaiting records (SQLite file, {Environment.ProcessorCount} cores)\n\n{string.Join('\n', report)}\n";
        await File.WriteAllTextAsync(Path.Combine(path, "chase-list.md"), text);
        output.WriteLine(text);
    }

    private async Task<string> ExplainAsync(CapturedCommand command)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "scale.db")}");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + command.Text;
        foreach (var (name, value) in command.Parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
        return string.Join('\n', lines);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private sealed record CapturedCommand(string Text, List<(string Name, object? Value)> Parameters);

    private sealed class SqlCapture : DbCommandInterceptor
    {
        private readonly List<CapturedCommand> _commands = [];
        public IReadOnlyList<CapturedCommand> Commands { get { lock (_commands) return _commands.ToList(); } }
        public void Clear() { lock (_commands) _commands.Clear(); }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
            lock (_commands) _commands.Add(new CapturedCommand(command.CommandText, parameters));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed class CapturingFactory(IConfiguration config, SqlCapture capture) : IDbContextFactory<KonnectDbContext>
    {
        private readonly DbContextOptions<KonnectDbContext> _options = new DbContextOptionsBuilder<KonnectDbContext>()
            .UseSqlite(config.GetSection(StorageOptions.Section).Get<StorageOptions>()!.SqliteConnectionString())
            .AddInterceptors(capture)
            .Options;

        public KonnectDbContext CreateDbContext() => new(_options);
    }
}

/// <summary>The at-scale tests share one 100,000-record file; they assert query plans and order, never times, so they run beside the rest.</summary>
[CollectionDefinition(Name)]
public sealed class BenchmarkCollection
{
    public const string Name = "benchmark";
}

