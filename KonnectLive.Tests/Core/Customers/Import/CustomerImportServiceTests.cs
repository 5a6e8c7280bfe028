using System.Diagnostics;
using System.Text;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Import;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Core.Customers.Import;

public sealed class CustomerImportServiceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Header = "DealershipCode,Title,FirstName,LastName,Phone1,Phone1Type,Phone2,Phone2Type,Email,Registration,Vin,Make,Model";
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, false, [Roles.Admin]);
    private CoreTestDatabase _db = null!;
    private string _code = "";

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _code = (await _db.AddDealershipAsync()).Code;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CustomerImportService Service => _db.Services.GetRequiredService<CustomerImportService>();

    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    private async Task<int> CustomerCountAsync()
    {
        await using var db = _db.NewDbContext();
        return await db.Customers.CountAsync();
    }

    [Fact]
    public async Task ImportAsync_MixedGoodAndBadRows_ImportsValidRowsWithExactCounts()
    {
        var file = Csv(
            Header,
            $"{_code},Ms,Zoë,\"O'Brien, Jr\",07700 900001,Mobile,,,zoe@example.com,AB12 CDE,,Kestrel,\"Aero, 5 door\"",   // created: quotes + embedded comma + unicode
            $"{_code},,Łukasz,Nowak,+44 7700 900002,,020 7946 0003,Home,,,,,",                                             // created
            $"{_code},,\"Anna \"\"Annie\"\"\",Smith,07700900004,,,,,,,,",                                                    // created: escaped quotes
            $"{_code},,Zoë,O'Brien,+447700900001,,,,,,,,",                                                                  // updated: line 2's customer by phone
            $"{_code},,Dup,Phones,07700 900005,,+44 7700 900005,,,,,,",                                                     // skipped: duplicate phones in the row
            $"{_code},,,NoFirst,07700900006,,,,,,,,",                                                                       // skipped: missing first name
            $"NOPE,,Unknown,Dealer,07700900007,,,,,,,,",                                                                    // skipped: unknown dealership
            $"{_code},,Bad,Phone,12,,,,,,,,",                                                                                // skipped: invalid phone
            $"{_code},,Bad,Email,07700900008,,,,not-an-email,,,,",                                                          // skipped: bad email
            $"{_code},,Short,Vin,07700900009,,,,,XY12 ZZZ,ABC123,,");                                                       // skipped: VIN length

        var preview = await Service.PreviewAsync(Admin, file);
        Assert.Null(preview.FileError);
        Assert.Equal((10, 4, 6), (preview.TotalRows, preview.ValidRows, preview.InvalidRows));

        var result = await Service.ImportAsync(Admin, file, "mixed.csv");

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal((3, 1, 6), (result.Created, result.Updated, result.Skipped));
        Assert.Equal([6, 7, 8, 9, 10, 11], result.SkippedRows.Select(r => r.Line));
        Assert.Contains(result.SkippedRows, r => r.Line == 6 && r.Messages.Any(m => m.Contains("repeats")));
        Assert.Contains(result.SkippedRows, r => r.Line == 8 && r.Messages.Any(m => m.Contains("Unknown dealership code 'NOPE'")));
        Assert.Contains(result.SkippedRows, r => r.Line == 11 && r.Messages.Any(m => m.Contains("Vin must be 17")));

        await using var db = _db.NewDbContext();
        var customers = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(3, customers.Count);
        Assert.Equal(("Zoë", "O'Brien", "Ms"), (customers[0].FirstName, customers[0].LastName, customers[0].Title)); // line 5 replaced the last name
        Assert.Equal("zoe@example.com", customers[0].Email);
        Assert.Equal("Aero, 5 door", Assert.Single(customers[0].Vehicles).Model);
        Assert.Equal("+447700900001", Assert.Single(customers[0].Phones).Number);
        Assert.Equal("Łukasz", customers[1].FirstName);
        Assert.Equal(["+447700900002", "+442079460003"], customers[1].Phones.OrderBy(p => p.Position).Select(p => p.Number));
        Assert.Equal(PhoneType.Home, customers[1].Phones.Single(p => p.Position == 2).Type);
        Assert.Equal("Anna \"Annie\"", customers[2].FirstName);
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == CustomerImportService.AuditAction);
        Assert.Contains("3 created, 1 updated, 6 skipped", audit.Details);
    }

    [Theory]
    [InlineData("bad header", "Dealer,Name,Phone\r\nD001,Zoë,07700900001\r\n", "lacks the required column")]
    [InlineData("unknown column", "DealershipCode,FirstName,LastName,Phone 1\r\nD001,A,B,07700900001\r\n", "Unknown column")]
    [InlineData("unterminated quote", "DealershipCode,FirstName,LastName,Phone1\r\nD001,\"Zoë,Smith,07700900001\r\nD001,A,B,07700900002\r\n", "double quotes")]
    [InlineData("empty", "", "empty")]
    [InlineData("header only", "DealershipCode,FirstName,LastName\r\n", "no customers")]
    public async Task ImportAsync_BrokenFile_ImportsNothing(string _, string content, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(content.Replace("D001", _code));

        var preview = await Service.PreviewAsync(Admin, bytes);
        var result = await Service.ImportAsync(Admin, bytes, "broken.csv");

        Assert.Contains(expected, preview.FileError);
        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Message);
        Assert.Equal(0, await CustomerCountAsync());
        await using var db = _db.NewDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == CustomerImportService.AuditAction));
    }

    [Fact]
    public async Task ImportAsync_BinaryJunk_ImportsNothing()
    {
        var junk = new byte[4096];
        new Random(42).NextBytes(junk);
        junk[10] = 0;

        var result = await Service.ImportAsync(Admin, junk, "photo.csv");

        Assert.False(result.Succeeded);
        Assert.Contains("binary", result.Message);
        Assert.Equal(0, await CustomerCountAsync());
    }

    [Fact]
    public async Task ImportAsync_NotUtf8_ImportsNothing()
    {
        var latin1 = Encoding.Latin1.GetBytes($"DealershipCode,FirstName,LastName,Phone1\r\n{_code},Zoë,Smith,07700900001\r\n");

        var result = await Service.ImportAsync(Admin, latin1, "legacy.csv");

        Assert.False(result.Succeeded);
        Assert.Contains("UTF-8", result.Message);
        Assert.Equal(0, await CustomerCountAsync());
    }

    [Fact]
    public async Task ImportAsync_ExistingCustomerPhoneInAnotherFormat_UpdatesNotDuplicates()
    {
        var record = await _db.AddAwaitingRecordAsync((await DealershipIdAsync()), "Alice", "Archer", registration: "AB12 CDE", phones: "+447700900123");
        await using (var db = _db.NewDbContext())
        {
            var phone = await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId);
            phone.Unsubscribe(ContactChannel.Sms, "agent", _db.Now);
            await db.SaveChangesAsync();
        }
        var file = Csv("DealershipCode,FirstName,LastName,Phone1,Phone2,Email,Registration,Vin,Make,Model",
            $"{_code},Alicia,Archer,07700 900123,(020) 7946 0999,alice@example.com,ab12cde,SAJAA0AB1CD234567,Kestrel,Aero GT");

        var result = await Service.ImportAsync(Admin, file, "update.csv");

        Assert.Equal((0, 1, 0), (result.Created, result.Updated, result.Skipped));
        await using var check = _db.NewDbContext();
        var customer = await check.Customers.Include(c => c.Phones).Include(c => c.Vehicles).SingleAsync();
        Assert.Equal(record.CustomerId, customer.Id);
        Assert.Equal(("Alicia", "alice@example.com"), (customer.FirstName, customer.Email));
        Assert.Equal(["+447700900123", "+442079460999"], customer.Phones.OrderBy(p => p.Position).Select(p => p.Number));
        Assert.True(customer.Phones.Single(p => p.Position == 1).SmsUnsubscribed); // the unsubscribe survived the merge
        var vehicle = Assert.Single(customer.Vehicles); // matched by registration, spaces and case aside
        Assert.Equal(("SAJAA0AB1CD234567", "Aero GT"), (vehicle.Vin, vehicle.Model));
    }

    [Fact]
    public async Task ImportAsync_RowMatchingTwoCustomers_IsSkipped()
    {
        var dealershipId = await DealershipIdAsync();
        await _db.AddAwaitingRecordAsync(dealershipId, "Ann", "One", email: "ann@example.com", phones: "+447700900201");
        await _db.AddAwaitingRecordAsync(dealershipId, "Bob", "Two", phones: "+447700900202");
        var file = Csv("DealershipCode,FirstName,LastName,Phone1,Email", $"{_code},Ann,One,07700900202,ann@example.com");

        var result = await Service.ImportAsync(Admin, file, "ambiguous.csv");

        Assert.Equal((0, 0, 1), (result.Created, result.Updated, result.Skipped));
        Assert.Contains("more than one customer", Assert.Single(result.SkippedRows).Messages[0]);
    }

    [Fact]
    public async Task ImportAsync_ControlAndDirectionCharactersInNames_RemovedBeforeStoring()
    {
        var file = Csv(
            Header,
            $"{_code},M\u0007r,\u202EAnna\u202C,Fam\u200Fily,07700 900011,,,,,AB12\u2066 CDE\u2069,,,",
            $"{_code},,\u202E\u202C,Nobody,07700 900012,,,,,,,,");

        var result = await Service.ImportAsync(Admin, file, "controls.csv");

        Assert.Equal((1, 0, 1), (result.Created, result.Updated, result.Skipped));
        Assert.Contains(result.SkippedRows, r => r.Line == 3 && r.Messages.Contains("FirstName is required."));
        await using var db = _db.NewDbContext();
        var customer = await db.Customers.Include(c => c.Vehicles).SingleAsync();
        Assert.Equal(("Mr", "Anna", "Family"), (customer.Title, customer.FirstName, customer.LastName));
        Assert.Equal("AB12 CDE", Assert.Single(customer.Vehicles).Registration);
    }

    [Fact]
    public async Task ImportAsync_AgentUser_IsRefused()
    {
        var agent = CoreTestDatabase.Agent("Andy Agent", null);
        var result = await Service.ImportAsync(agent, Csv("DealershipCode,FirstName,LastName,Phone1", $"{_code},A,B,07700900001"), "x.csv");

        Assert.False(result.Succeeded);
        Assert.Equal(0, await CustomerCountAsync());
    }

    /// <summary>Twelve batches of 1,000: big enough for the batching, the progress and the all-updates re-import.</summary>
    [Fact]
    public Task ImportAsync_TwelveThousandRows_ImportsAllWithProgress_AndAgainAsUpdates() => ImportAndReimportAsync(12_000);

    /// <summary>The README's figure (by hand: Category=Measurement); the same checks at 50,000 rows.</summary>
    [Fact, Trait("Category", "Measurement")]
    public Task ImportAsync_FiftyThousandRows_Figure() => ImportAndReimportAsync(50_000);

    private async Task ImportAndReimportAsync(int rows)
    {
        var second = (await _db.AddDealershipAsync("Southgate Motors")).Code;
        var lines = new List<string>(rows + 1) { Header };
        for (var i = 0; i < rows; i++)
            lines.Add($"{(i % 2 == 0 ? _code : second)},Mr,First{i},Last{i},07{700000000 + i},Mobile,,,c{i}@example.com,RG{i:D6},,Kestrel,Aero");
        var file = Csv([.. lines]);
        var reports = new List<int>();

        var clock = Stopwatch.StartNew();
        var result = await Service.ImportAsync(Admin, file, "big.csv", new SyncProgress(reports.Add));
        clock.Stop();

        output.WriteLine($"{rows:N0} rows ({file.Length / 1024} KB) imported in {clock.Elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"[import benchmark] {rows:N0} rows imported in {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal((rows, 0, 0), (result.Created, result.Updated, result.Skipped));
        Assert.Equal(rows, await CustomerCountAsync());
        Assert.True(reports.Count > 10, $"only {reports.Count} progress reports");
        Assert.Equal(reports.Order(), reports); // progress never goes backwards
        Assert.Equal(100, reports[^1]);

        // Importing the same file again updates every customer and creates none.
        var again = await Service.ImportAsync(Admin, file, "big.csv");
        output.WriteLine($"re-import (all updates) in {again.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal((0, rows, 0), (again.Created, again.Updated, again.Skipped));
        Assert.Equal(rows, await CustomerCountAsync());
    }

    private async Task<int> DealershipIdAsync()
    {
        await using var db = _db.NewDbContext();
        return await db.Dealerships.Where(d => d.Code == _code).Select(d => d.Id).SingleAsync();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one records in order, at once.</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
