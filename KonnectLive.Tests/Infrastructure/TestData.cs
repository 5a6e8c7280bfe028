using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Infrastructure;

/// <summary>A dealership made for one test, with its own customers in chase-list order.</summary>
public sealed record TestDealership(int Id, string Code, string Name, IReadOnlyList<TestCustomer> Customers);

/// <summary>One customer of a <see cref="TestDealership"/> with one Awaiting survey record, never called, free.</summary>
public sealed record TestCustomer(int RecordId, int CustomerId, string Name, string Phone);

/// <summary>A CSI Voice agent made for one test. Sign in with <see cref="UserName"/> and the demo password.</summary>
public sealed record TestAgent(string UserId, string UserName, string DisplayName);

/// <summary>
/// What a browser test works on, made for that test alone. The browser tests share one app and one database
/// (<see cref="Browser.BrowserFixture"/>): a test that picked "the first free demo record" of a shared dealership with a
/// shared agent saw whatever the tests before it left there — a lock, a call-back, an ended chase, an agent already
/// holding someone — and so passed or failed by the order the tests ran in. Here each test gets its own dealership,
/// customers and agents, created when the test starts (so nothing depends on when the demo data was seeded), and the
/// records are handed over in the order the real chase-list query lists them, each checked to be on the list, free and
/// not reserved.
/// </summary>
public static class TestData
{
    private static int _serial;
    private static readonly string[] FirstNames = ["Ada", "Ben", "Cleo", "Dev", "Esme", "Femi", "Gus", "Hana", "Ivo", "Jude"];

    /// <param name="label">A word for the test ("Followup"): it names the dealership and is every customer's last name.</param>
    public static async Task<TestDealership> NewDealershipAsync(this AppFixture app, string label, int customers = 3)
    {
        if (customers is < 1 or > 10) throw new ArgumentOutOfRangeException(nameof(customers));
        var n = Interlocked.Increment(ref _serial);
        var now = app.Service<TimeProvider>().GetUtcNow().UtcDateTime;
        var code = $"T{n:D2}{label.ToUpperInvariant()}";
        var dealership = new Dealership { Code = code.Length <= 32 ? code : code[..32], Name = $"{label} Motors {n}" };
        var phones = new Dictionary<Customer, string>();
        await using (var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            db.Dealerships.Add(dealership);
            await db.SaveChangesAsync();
            for (var i = 0; i < customers; i++)
            {
                // 0161 496 0xxx is an Ofcom drama range the demo data does not use: no demo customer shares these numbers.
                var customer = new Customer { DealershipId = dealership.Id, FirstName = FirstNames[i], LastName = $"{label}{n}" };
                phones[customer] = $"+441614960{n % 100:D2}{i}";
                customer.Phones.Add(new CustomerPhone { Position = 1, Number = phones[customer], Type = PhoneType.Home });
                var vehicle = new Vehicle { Registration = $"TS{n % 100:D2} {(char)('A' + i)}BC", Make = "Kestrel", Model = "Aero" };
                customer.Vehicles.Add(vehicle);
                db.SurveyRecords.Add(SurveyRecord.Create($"TEST-{dealership.Code}-{i + 1}", dealership.Id, customer, vehicle,
                    SurveyStatus.Awaiting, now.AddDays(-1), 8, EventType.Service, now.Date.AddDays(-3), now.AddDays(-1)));
            }
            await db.SaveChangesAsync();
        }
        var phoneOf = phones.ToDictionary(p => p.Key.Id, p => p.Value);

        // Handed over as the chase list itself lists them, so a test's "first" and "next" are the app's.
        var lister = await app.ScopeAsync("admin");
        var page = await app.Service<ChaseListQuery>().GetPageAsync(lister, new ChaseListRequest(0, customers, null, dealership.Id));
        if (page.Total != customers || page.Rows.Any(r => r.LockHolderId is not null || r.ReservedForId is not null || !r.HasCallableNumber))
            throw new InvalidOperationException($"{dealership.Name}: expected {customers} free customers on its chase list, found {page.Total}.");
        return new TestDealership(dealership.Id, dealership.Code, dealership.Name,
            [.. page.Rows.Select(r => new TestCustomer(r.RecordId, r.CustomerId, r.CustomerName, phoneOf[r.CustomerId]))]);
    }

    /// <summary>A CSI Voice agent of <paramref name="dealershipId"/> (null: head office), with the demo password.</summary>
    public static Task<TestAgent> NewAgentAsync(this AppFixture app, string displayName, int? dealershipId) =>
        CreateAgentAsync(app.Services, $"test{Interlocked.Increment(ref _serial)}", displayName, dealershipId);

    /// <summary>Makes the agent through the app's own UserManager; <paramref name="prefix"/> keeps user names unique per caller.</summary>
    public static async Task<TestAgent> CreateAgentAsync(IServiceProvider services, string prefix, string displayName, int? dealershipId)
    {
        var userName = $"{prefix}.{displayName.Split(' ')[0].ToLowerInvariant()}";
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            UserName = userName, DisplayName = displayName, Email = $"{userName}@demo.konnectlive.test", EmailConfirmed = true,
            DealershipId = dealershipId, CsiVoiceEnabled = true, LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user, DemoData.Password);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, Roles.Agent);
        return new TestAgent(user.Id, userName, displayName);
    }
}
