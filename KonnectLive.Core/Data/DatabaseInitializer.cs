using KonnectLive.Core.Calling;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Data;

/// <summary>Brings the database up to date at start: migrations, reference data, and demo data when asked and empty.</summary>
public sealed class DatabaseInitializer(
    KonnectDbContext db,
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger)
{
    public const int DemoCustomerCount = 360;
    /// <summary>The demo FOCUS client (demo data only; a real installation creates its own on Configuration → API Clients).</summary>
    public const string DemoApiClientId = "focus-demo";
    public const string DemoApiClientSecret = "focus-demo-secret";

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (every chase list) carry on while a writer (a lock) commits. It is stored in the file.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(ct);

        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        if (!await db.CallOutcomes.AnyAsync(ct))
        {
            db.CallOutcomes.AddRange(DefaultOutcomes());
            await db.SaveChangesAsync(ct);
        }

        if (!await db.MessageTemplates.AnyAsync(ct))
        {
            db.MessageTemplates.AddRange(DefaultTemplates(Now));
            await db.SaveChangesAsync(ct);
        }

        if (!await db.CsiSettings.AnyAsync(ct))
        {
            var templates = await db.MessageTemplates.AsNoTracking().ToListAsync(ct);
            db.CsiSettings.Add(new CsiSettings
            {
                AwaitingTemplateId = templates.FirstOrDefault(t => t.Name == AwaitingTemplateName)?.Id,
                PendingTemplateId = templates.FirstOrDefault(t => t.Name == PendingTemplateName)?.Id,
                UpdatedAt = Now,
                UpdatedBy = "system",
            });
            await db.SaveChangesAsync(ct);
        }

        if (!await db.AppSettings.AnyAsync(ct))
        {
            db.AppSettings.Add(new AppSettings { UpdatedAt = Now, UpdatedBy = "system" });
            await db.SaveChangesAsync(ct);
        }

        if (storage.Value.SeedDemoData && !await db.Dealerships.AnyAsync(ct) && !await db.Users.AnyAsync(ct))
            await SeedDemoAsync(ct);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public const string AwaitingTemplateName = "CSI survey reminder (SMS)";
    public const string PendingTemplateName = "CSI thank you (email)";

    public static IEnumerable<MessageTemplate> DefaultTemplates(DateTime now) =>
    [
        new()
        {
            Name = AwaitingTemplateName, Channel = MessageChannel.Sms, UpdatedAt = now, UpdatedBy = "system",
            Body = "Hi {CustomerFirstName}, thank you for choosing {DealershipName}. Please tell us about your {VehicleDescription}: {SurveyLink}",
        },
        new()
        {
            Name = PendingTemplateName, Channel = MessageChannel.Email, UpdatedAt = now, UpdatedBy = "system",
            Subject = "Thank you from {DealershipName}",
            Body = "Dear {CustomerName},\n\nThank you for your recent visit to {DealershipName} with your {VehicleDescription} ({Registration}). " +
                   "Your manufacturer will shortly ask about your experience; we would be grateful if you could take a moment to answer: {SurveyLink}\n\n" +
                   "Kind regards,\n{DealershipName}",
        },
    ];

    public static IEnumerable<CallOutcome> DefaultOutcomes() =>
    [
        new() { Name = "Spoke – will complete survey", Colour = "Success", SortOrder = 10 },
        new() { Name = "Spoke – declined", Colour = "Warning", SortOrder = 20 },
        new() { Name = "No answer", Colour = "Default", SortOrder = 30 },
        new() { Name = "Voicemail", Colour = "Info", SortOrder = 40 },
        new() { Name = "Wrong number", Colour = "Error", SortOrder = 50 },
        new() { Name = "Call back later", Colour = "Primary", SortOrder = 60 },
    ];

    private async Task SeedDemoAsync(CancellationToken ct)
    {
        logger.LogInformation("Empty database: seeding demo data ({Count} customers)", DemoCustomerCount);
        var dealerships = DemoData.Dealerships.Select(d => new Dealership { Code = d.Code, Name = d.Name }).ToList();
        db.Dealerships.AddRange(dealerships);
        await db.SaveChangesAsync(ct);

        foreach (var u in DemoData.Users)
        {
            var user = new AppUser
            {
                UserName = u.UserName, DisplayName = u.DisplayName, Email = $"{u.UserName}@demo.konnectlive.test", EmailConfirmed = true,
                DealershipId = u.Dealer is null ? null : dealerships.Single(d => d.Code == u.Dealer).Id,
                CsiVoiceEnabled = u.Voice, LockoutEnabled = true,
            };
            var created = await users.CreateAsync(user, DemoData.Password);
            if (!created.Succeeded)
                throw new InvalidOperationException($"Could not create demo user {u.UserName}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            await users.AddToRoleAsync(user, u.Role);
        }

        db.SurveyRecords.AddRange(DemoData.Customers(dealerships, DemoCustomerCount, time.GetUtcNow().UtcDateTime));
        var demoClient = new ApiClient { ClientId = DemoApiClientId, Name = "FOCUS (demo)", CreatedAt = Now, CreatedBy = "demo data" };
        demoClient.SecretHash = new PasswordHasher<ApiClient>().HashPassword(demoClient, DemoApiClientSecret);
        db.ApiClients.Add(demoClient);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
