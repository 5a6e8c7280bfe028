using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Inbound;

/// <summary>
/// Customers FOCUS sends are found by name, registration and number as soon as the batch commits. On SQLite the ingest
/// fills the trigram index for a batch's new customers and vehicles in one statement while the per-row triggers stand
/// aside; afterwards the triggers index everybody else's rows again and the index matches the tables exactly.
/// </summary>
public class CsiIngestSearchTests : IAsyncLifetime
{
    /// <summary><see cref="CsiIngestSearchTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private static readonly InboundCaller Caller = new(null, "search");
    private CoreTestDatabase _db = null!;
    private string _dealer = "";
    private int _dealerId;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        var dealership = await _db.AddDealershipAsync();
        (_dealer, _dealerId) = (dealership.Code, dealership.Id);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task SendAsync(params object[] records)
    {
        var outcome = await _db.Services.GetRequiredService<CsiIngestService>().IngestAsync(Caller, CsiPayloads.Batch(records));
        Assert.True(outcome.StatusCode == 200, outcome.Error);
    }

    [Fact]
    public async Task IngestAsync_NewCustomersAndVehicles_FoundByNameRegistrationAndNumber()
    {
        var at = _db.Now.AddHours(-1);
        await SendAsync(
            CsiPayloads.Record("SRCH-1", _dealer, "Awaiting", at, firstName: "Zoë", lastName: "Quibbleford", phones: ["07700 900481"],
                registration: "QB19 XYZ", focusCustomerId: "FC-Q"),
            // The same new customer again in the batch, with a second car and number.
            CsiPayloads.Record("SRCH-2", _dealer, "Awaiting", at, firstName: "Zoë", lastName: "Quibbleford", phones: ["07700 900482"],
                registration: "QB20 ABC", focusCustomerId: "FC-Q"),
            CsiPayloads.Record("SRCH-3", _dealer, "Pending", at, firstName: "Hamish", lastName: "Wolstenholme", phones: ["0113 496 0173"],
                registration: "WH05 MMM"));
        // A later batch: a new car for a customer stored by the first one.
        await SendAsync(CsiPayloads.Record("SRCH-4", _dealer, "Awaiting", at.AddMinutes(5), firstName: "Hamish", lastName: "Wolstenholme",
            phones: ["0113 496 0173"], registration: "WH71 NNN"));

        await using var db = _db.NewDbContext();
        var zoe = await db.Customers.Where(c => c.LastName == "Quibbleford").Select(c => c.Id).SingleAsync();
        var hamish = await db.Customers.Where(c => c.LastName == "Wolstenholme").Select(c => c.Id).SingleAsync();
        Assert.Equal([zoe], await SearchKeys.CustomersByName(db, "zoe quib").Distinct().ToListAsync());
        Assert.Equal([zoe], await SearchKeys.CustomersByRegistration(db, "b20 a").Distinct().ToListAsync());
        Assert.Equal([zoe], await SearchKeys.CustomersByPhone(db, "7700900482").Distinct().ToListAsync());
        Assert.Equal([hamish], await SearchKeys.CustomersByName(db, "WOLSTEN").Distinct().ToListAsync());
        Assert.Equal([hamish], await SearchKeys.CustomersByRegistration(db, "wh71").Distinct().ToListAsync());
        Assert.Equal([hamish], await SearchKeys.CustomersByPhone(db, "1134960173").Distinct().ToListAsync());
    }

    [Fact]
    public async Task IngestAsync_AfterABatch_RowsWrittenElsewhereAreIndexedAndTheIndexMatchesTheTables()
    {
        await SendAsync(CsiPayloads.Record("SRCH-10", _dealer, "Awaiting", _db.Now.AddHours(-1), firstName: "Imogen", lastName: "Thistlewaite",
            registration: "TH12 AAA"));

        // Added through EF afterwards, as the customer screens do: the triggers index it again.
        await using (var write = _db.NewDbContext())
        {
            write.Customers.Add(new Customer
            {
                DealershipId = _dealerId, FirstName = "Peregrine", LastName = "Ottoline",
                Vehicles = [new Vehicle { Registration = "PO66 QQQ" }],
            });
            await write.SaveChangesAsync();
        }

        await using var db = _db.NewDbContext();
        Assert.Single(await SearchKeys.CustomersByName(db, "ottolin").ToListAsync());
        Assert.Single(await SearchKeys.CustomersByRegistration(db, "PO66").ToListAsync());
        Assert.Single(await SearchKeys.CustomersByName(db, "thistle").ToListAsync());
        if (Provider != StorageProvider.Sqlite) return;
        // FTS5 checks its external-content index against the table: a row indexed twice, or not at all, fails this.
        await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"{SqliteSearchIndex.CustomerTable}\"(\"{SqliteSearchIndex.CustomerTable}\") VALUES ('integrity-check')");
        await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"{SqliteSearchIndex.VehicleTable}\"(\"{SqliteSearchIndex.VehicleTable}\") VALUES ('integrity-check')");
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{SqliteSearchIndex.DeferralTable}\"").SingleAsync());
    }
}

public sealed class CsiIngestSearchTestsOnPostgreSql : CsiIngestSearchTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
