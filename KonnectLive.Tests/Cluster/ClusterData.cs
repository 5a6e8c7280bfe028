using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Cluster;

/// <summary>Each cluster test's own dealership, customers and agents, written to the cluster's database (as <see cref="TestData"/> does for one app).</summary>
public static class ClusterData
{
    private static int _serial;

    public static async Task<TestDealership> NewDealershipAsync(this ClusterFixture cluster, string label, int customers = 2)
    {
        var n = Interlocked.Increment(ref _serial);
        var now = DateTime.UtcNow;
        var code = $"C{n:D2}{label.ToUpperInvariant()}";
        var dealership = new Dealership { Code = code.Length <= 32 ? code : code[..32], Name = $"{label} Cluster Motors {n}" };
        var made = new List<(SurveyRecord Record, Customer Customer, string Phone)>();
        await using var db = await cluster.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        dealership.SendUntil = dealership.SendFrom; // no sending hours: the message test runs at any time of day
        db.Dealerships.Add(dealership);
        await db.SaveChangesAsync();
        for (var i = 0; i < customers; i++)
        {
            var customer = new Customer { DealershipId = dealership.Id, FirstName = $"Cli{Letters(i, 'a')}", LastName = $"{label}{n}" };
            // Ofcom's drama range (07700 900xxx); past ten customers (the race's fifty) the dealership's digit gives way.
            var phone = i < 10 ? $"+447700900{n % 100:D2}{i}" : $"+447700900{n % 10}{i:D2}";
            customer.Phones.Add(new CustomerPhone { Position = 1, Number = phone, Type = PhoneType.Mobile });
            var vehicle = new Vehicle { Registration = $"CL{n % 100:D2} {Letters(i, 'A')}BC", Make = "Kestrel", Model = "Aero" };
            customer.Vehicles.Add(vehicle);
            var record = SurveyRecord.Create($"CLUSTER-{dealership.Code}-{i + 1}", dealership.Id, customer, vehicle,
                SurveyStatus.Awaiting, now.AddDays(-1), 8, EventType.Service, now.Date.AddDays(-3), now.AddDays(-1));
            db.SurveyRecords.Add(record);
            made.Add((record, customer, phone));
        }
        await db.SaveChangesAsync();
        return new TestDealership(dealership.Id, dealership.Code, dealership.Name,
            [.. made.Select(m => new TestCustomer(m.Record.Id, m.Customer.Id, $"{m.Customer.FirstName} {m.Customer.LastName}", m.Phone))]);
    }

    /// <summary>a … z, then ba, bb …: names and registrations stay letters for the race's fifty customers.</summary>
    private static string Letters(int i, char a) => i < 26 ? $"{(char)(a + i)}" : $"{Letters(i / 26, a)}{(char)(a + i % 26)}";

    private static string? _passwordHash;

    /// <summary>
    /// An agent made as <see cref="TestData.CreateAgentAsync"/> makes one, with the demo password, except that the password
    /// is hashed once for all the cluster's agents: the race makes twenty, and twenty PBKDF2 hashes take tens of seconds of
    /// a loaded 2-core machine. The instances still check the password in full at every sign-in.
    /// </summary>
    public static async Task<TestAgent> NewAgentAsync(this ClusterFixture cluster, string displayName, int? dealershipId)
    {
        var userName = $"cluster{Interlocked.Increment(ref _serial)}.{displayName.Split(' ')[0].ToLowerInvariant()}";
        await using var scope = cluster.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            UserName = userName, DisplayName = displayName, Email = $"{userName}@demo.konnectlive.test", EmailConfirmed = true,
            DealershipId = dealershipId, CsiVoiceEnabled = true, LockoutEnabled = true,
        };
        user.PasswordHash = _passwordHash ??= users.PasswordHasher.HashPassword(user, DemoData.Password);
        var created = await users.CreateAsync(user);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, Roles.Agent);
        return new TestAgent(user.Id, userName, displayName);
    }

    /// <summary>An SMS to the record's customer, due now, for the dispatchers of the cluster to send.</summary>
    public static async Task<ScheduledMessage> QueueSmsAsync(this ClusterFixture cluster, TestCustomer customer, int dealershipId)
    {
        await using var db = await cluster.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var record = await db.SurveyRecords.AsNoTracking().SingleAsync(r => r.Id == customer.RecordId);
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealershipId, Channel = MessageChannel.Sms,
            CustomBody = "Thanks for visiting us, from the cluster test.", CreatedAt = DateTime.UtcNow, DueAt = DateTime.UtcNow,
            IdempotencyKey = $"cluster-test:{record.Id}:{Guid.NewGuid():N}",
        };
        db.ScheduledMessages.Add(message);
        await db.SaveChangesAsync();
        return message;
    }

    public static async Task<T> ReadAsync<T>(this ClusterFixture cluster, Func<KonnectDbContext, Task<T>> read)
    {
        await using var db = await cluster.Services.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await read(db);
    }
}
