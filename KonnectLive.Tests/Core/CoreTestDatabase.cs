using System.Collections.Concurrent;
using KonnectLive.Core;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KonnectLive.Tests.Core;

/// <summary>
/// KonnectLive.Core wired as the app wires it, on its own SQLite file in a temp directory — or, with
/// <see cref="StorageProvider.PostgreSql"/>, its own database on the run's <see cref="PostgreSqlServer"/> — with a
/// <see cref="FakeTimeProvider"/> and a recorder of every live event. Hosted services are not started.
/// </summary>
public sealed class CoreTestDatabase : IAsyncDisposable
{
    public const int LeaseSeconds = 60;
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dir;
    private readonly ConcurrentQueue<LiveEvent> _events = new();
    private int _serial;

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;
    private string? _postgreSql;

    private CoreTestDatabase(string dir, ServiceProvider services, FakeTimeProvider time)
    {
        _dir = dir;
        Services = services;
        Time = time;
        services.GetRequiredService<RecordingPublisher>().Recorded = e =>
        {
            _events.Enqueue(e);
            return OnPublish?.Invoke(e) ?? Task.CompletedTask;
        };
    }

    /// <summary>
    /// Runs inside the publisher's call, before the event reaches the bus: a test uses it to make something happen at
    /// an exact moment of a workflow (another agent taking a customer just as it is released).
    /// </summary>
    public Func<LiveEvent, Task>? OnPublish { get; set; }

    /// <summary>
    /// Records every event as it is published (the bus delivers on each listener's own queue, later): what the tests read
    /// as <see cref="Events"/> is complete the moment the publishing call returns.
    /// </summary>
    private sealed class RecordingPublisher(LiveEventBus bus) : ILiveEventPublisher
    {
        public Func<LiveEvent, Task>? Recorded { get; set; }

        public async Task PublishAsync(LiveEvent liveEvent, CancellationToken ct = default)
        {
            if (Recorded is { } recorded) await recorded(liveEvent);
            await bus.DispatchAsync(liveEvent);
        }
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Time { get; }
    public string DatabasePath => Path.Combine(_dir, "konnectlive.db");
    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    /// <summary>Every live event published so far, in order.</summary>
    public IReadOnlyList<LiveEvent> Events => [.. _events];

    public CallLockService Locks => Services.GetRequiredService<CallLockService>();
    public ChaseListQuery ChaseList => Services.GetRequiredService<ChaseListQuery>();
    public CallingService Calling => Services.GetRequiredService<CallingService>();

    public StorageProvider Provider { get; private set; }

    /// <summary>
    /// A migrated database with the reference data (and the demo data when asked): a copy of a template migrated and seeded
    /// once per run — on SQLite a file copy (<see cref="SqliteTemplate"/>), on PostgreSQL CREATE DATABASE … TEMPLATE (a
    /// tenth of a second; migrating and seeding take a third of a second of this process's CPU, emptying and re-seeding a
    /// used database the same), dropped when the test ends. <paramref name="fromEmpty"/> migrates an empty database instead.
    /// </summary>
    public static async Task<CoreTestDatabase> CreateAsync(bool seedDemoData = false, StorageProvider provider = StorageProvider.Sqlite,
        bool fromEmpty = false)
    {
        string? postgreSql = null;
        if (provider == StorageProvider.PostgreSql)
        {
            var server = await PostgreSqlServer.GetAsync();
            postgreSql = fromEmpty ? await server.CreateDatabaseAsync() : await server.CreateDatabaseAsync(await TemplateAsync(server));
        }
        var database = await CreateAsync(seedDemoData, provider, postgreSql, fromEmpty);
        database._postgreSql = postgreSql;
        return database;
    }

    private static async Task<string> TemplateAsync(PostgreSqlServer server)
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is not null) return _template;
            var connectionString = await server.CreateDatabaseAsync();
            await using (var template = await CreateAsync(false, StorageProvider.PostgreSql, connectionString, fromEmpty: true)) { }
            Npgsql.NpgsqlConnection.ClearAllPools();
            return _template = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task<CoreTestDatabase> CreateAsync(bool seedDemoData, StorageProvider provider, string? postgreSql, bool fromEmpty)
    {
        var dir = Directory.CreateTempSubdirectory("konnectlive-core-").FullName;
        // A copy of the run's migrated file (SqliteTemplate), which the initializer made: it would find nothing to do.
        // Every database but one asked to start empty is a copy of a template that DatabaseInitializer made: it would find
        // nothing to do (SqliteTemplate says what running it again costs).
        var templated = !fromEmpty && !seedDemoData;
        if (templated && provider == StorageProvider.Sqlite) await SqliteTemplate.CopyToAsync(Path.Combine(dir, "konnectlive.db"), Start);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider.ToString(),
            ["ConnectionStrings:KonnectLive"] = postgreSql,
            ["Storage:SqlitePath"] = Path.Combine(dir, "konnectlive.db"),
            ["Storage:SeedDemoData"] = seedDemoData ? "true" : "false",
            ["Locking:LeaseSeconds"] = LeaseSeconds.ToString(),
            ["Locking:RenewEverySeconds"] = "15",
            ["Locking:SweepEverySeconds"] = "10",
        }).Build();

        var time = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKonnectLiveCore(configuration);
        services.AddSingleton<TimeProvider>(time); // registered after Core's TimeProvider.System, so it wins
        services.AddSingleton<RecordingPublisher>();
        services.AddSingleton<ILiveEventPublisher>(sp => sp.GetRequiredService<RecordingPublisher>());
        services.AddIdentityCore<AppUser>(o => o.Password.RequiredLength = 10) // as the app's AddKonnectLiveIdentity
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KonnectDbContext>();

        var serviceProvider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var database = new CoreTestDatabase(dir, serviceProvider, time) { Provider = provider };
        if (!templated) await database.InitializeAsync();
        return database;
    }

    /// <summary>Runs <see cref="DatabaseInitializer"/> in its own scope, as the app does at start.</summary>
    public async Task InitializeAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    }

    public KonnectDbContext NewDbContext() => Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContext();

    public void ClearEvents() => _events.Clear();

    public async Task<Dealership> AddDealershipAsync(string name = "Northgate Motors")
    {
        var dealership = new Dealership { Code = $"D{Interlocked.Increment(ref _serial):D3}", Name = name };
        await using var db = NewDbContext();
        db.Dealerships.Add(dealership);
        await db.SaveChangesAsync();
        return dealership;
    }

    /// <summary>An Awaiting survey record for a new customer; the phones are stored exactly as given.</summary>
    public async Task<SurveyRecord> AddAwaitingRecordAsync(
        int dealershipId,
        string firstName = "Alice",
        string lastName = "Archer",
        string? title = null,
        string registration = "AB12 CDE",
        string? email = null,
        params string[] phones)
    {
        var n = Interlocked.Increment(ref _serial);
        var customer = new Customer { DealershipId = dealershipId, Title = title, FirstName = firstName, LastName = lastName, Email = email };
        for (var i = 0; i < phones.Length; i++)
            customer.Phones.Add(new CustomerPhone { Position = i + 1, Number = phones[i], Type = PhoneType.Mobile });
        var vehicle = new Vehicle { Registration = registration, Make = "Kestrel", Model = "Aero" };
        customer.Vehicles.Add(vehicle);
        var record = SurveyRecord.Create($"TEST-{n:D6}", dealershipId, customer, vehicle, SurveyStatus.Awaiting,
            Now.AddDays(-1), null, EventType.Service, Now.AddDays(-3), Now.AddDays(-1));
        await using var db = NewDbContext();
        db.SurveyRecords.Add(record);
        await db.SaveChangesAsync();
        return record;
    }

    public async Task<SurveyRecord> GetRecordAsync(int recordId)
    {
        await using var db = NewDbContext();
        return await db.SurveyRecords.AsNoTracking().SingleAsync(r => r.Id == recordId);
    }

    public async Task ChangeStatusAsync(int recordId, SurveyStatus status)
    {
        await using var db = NewDbContext();
        var record = await db.SurveyRecords.Include(r => r.History).SingleAsync(r => r.Id == recordId);
        record.ChangeStatus(status, Now, Now);
        await db.SaveChangesAsync();
    }

    /// <summary>An agent as <see cref="UserScopeLoader"/> would load them; lock columns only store the id and name.</summary>
    public static UserScope Agent(string displayName, int? dealershipId, bool csiVoice = true) =>
        new($"user-{Guid.NewGuid():N}", displayName, dealershipId, csiVoice, [Roles.Agent]);

    public async Task<int> OutcomeIdAsync(string name = "No answer")
    {
        await using var db = NewDbContext();
        return await db.CallOutcomes.Where(o => o.Name == name).Select(o => o.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgreSql is not null) await (await PostgreSqlServer.GetAsync()).DropDatabaseAsync(_postgreSql);
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
