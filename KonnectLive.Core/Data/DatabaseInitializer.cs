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
    /// <summary>The demo phone system (demo data only): posts call events, cannot push survey records.</summary>
    public const string DemoTelephonyClientId = "telephony-demo";
    public const string DemoTelephonyClientSecret = "telephony-demo-secret";

    /// <summary>
    /// Migrates and seeds (<c>Storage:MigrateOnStart</c>, the default), or, when an instance is told not to, checks that
    /// someone else has and throws <see cref="DatabaseNotReadyException"/> otherwise. On PostgreSQL, instances starting
    /// together queue on an advisory lock, so one migrates and seeds and the others find it done.
    /// </summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (!storage.Value.MigrateOnStart)
        {
            await EnsureReadyAsync(ct);
            return;
        }
        await using var startup = await StartupLock.AcquireAsync(db, ct);
        await MigrateAndSeedAsync(ct);
    }

    /// <summary>Throws <see cref="DatabaseNotReadyException"/> when migrations are pending or reference data is missing.</summary>
    public async Task EnsureReadyAsync(CancellationToken ct = default)
    {
        IReadOnlyList<string> pending;
        try
        {
            pending = [.. await db.Database.GetPendingMigrationsAsync(ct)];
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            throw new DatabaseNotReadyException($"The database cannot be reached ({e.Message}).", e);
        }
        if (pending.Count > 0)
            throw new DatabaseNotReadyException(
                $"The database is not migrated: {pending.Count} migration(s) pending, from {pending[0]}. Storage:MigrateOnStart is false, so this " +
                "instance will not migrate it: run KonnectLive.Desktop --migrate once (or start one instance with Storage:MigrateOnStart=true), then start this one again.");
        if (!await db.CallOutcomes.AnyAsync(ct))
            throw new DatabaseNotReadyException(
                "The database is migrated but holds no reference data. Run KonnectLive.Desktop --migrate once, then start this instance again.");
    }

    private async Task MigrateAndSeedAsync(CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (every chase list) carry on while a writer (a lock) commits. It is stored in the file.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        // A database this start creates is empty: no rows written before the search columns existed (nothing to backfill),
        // and, when demo data is asked for, it will get it: its published secrets are hashed on other cores meanwhile.
        var newDatabase = !(await db.Database.GetAppliedMigrationsAsync(ct)).Any();
        var demoSecrets = newDatabase && storage.Value.SeedDemoData == true ? DemoSecrets.HashAsync(users.PasswordHasher) : null;
        await db.Database.MigrateAsync(ct);
        if (!newDatabase) await BackfillSearchKeysAsync(ct);

        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        if (!await db.MessageTemplates.AnyAsync(ct))
        {
            db.MessageTemplates.AddRange(DefaultTemplates(Now));
            await db.SaveChangesAsync(ct);
        }

        if (!await db.CallOutcomes.AnyAsync(ct))
        {
            var templates = await db.MessageTemplates.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Id, ct);
            db.CallOutcomes.AddRange(DefaultOutcomes(templates));
            await db.SaveChangesAsync(ct);
        }

        if (!await db.DeclineReasons.AnyAsync(ct))
        {
            db.DeclineReasons.AddRange(DefaultDeclineReasons.Select((name, i) =>
                new DeclineReason { Name = name, SortOrder = (i + 1) * 10, CreatedAt = Now, CreatedBy = "system" }));
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

        if (storage.Value.SeedDemoData == true && !await db.Dealerships.AnyAsync(ct) && !await db.Users.AnyAsync(ct))
            await SeedDemoAsync(await (demoSecrets ?? DemoSecrets.HashAsync(users.PasswordHasher)), ct);
        if (await DemoData.AccountsExistAsync(db, ct))
        {
            await EnsureDemoTelephonyClientAsync(ct);
            await EnsureDemoNotReadyReasonsAsync(ct);
            if (!await db.CaseRecordSettings.AnyAsync(ct)) { db.CaseRecordSettings.Add(DemoData.CaseRecordSettings(Now)); await db.SaveChangesAsync(ct); }
        }
        if (await DemoData.AccountsExistAsync(db, ct))
        {
            // Every demo API client whose secret is still the published one (never rotated) is named, not just the first.
            string[] demoClients = [.. DemoApiClientIds];
            var clients = await db.ApiClients.AsNoTracking().Where(c => demoClients.Contains(c.ClientId) && c.SecretRotatedAt == null)
                .OrderBy(c => c.ClientId).Select(c => c.ClientId).ToListAsync(ct);
            logger.LogWarning("!!! DEMO ACCOUNTS ARE PRESENT: users such as 'admin' sign in with the published password '{Password}', and the " +
                "demo API clients {Clients} have published secrets. Fine for a demo; never for real customers' data. Start on an empty " +
                "database without Storage:SeedDemoData (Production) and create the first admin with --create-admin.", DemoData.Password,
                clients.Count == 0 ? "(none left)" : string.Join(", ", clients.Select(c => $"'{c}'")));
        }
    }

    /// <summary>Every API client the demo data creates, each with a published secret.</summary>
    public static readonly IReadOnlyList<string> DemoApiClientIds = [DemoApiClientId, DemoTelephonyClientId];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The hashes of the demo password and the two demo API clients' secrets. PBKDF2 is slow on purpose (~0.1 s of CPU a
    /// hash, several on a loaded machine), and one after another they sat on a fresh start's critical path: each is made on
    /// its own thread-pool thread. Every demo user has the same published password: it is hashed once, not once per user.
    /// </summary>
    private sealed record DemoSecrets(string PasswordHash, string FocusSecretHash, string TelephonySecretHash)
    {
        public static async Task<DemoSecrets> HashAsync(IPasswordHasher<AppUser> userHasher)
        {
            var clientHasher = new PasswordHasher<ApiClient>(); // the v3 format ignores the client it is given
            var password = Task.Run(() => userHasher.HashPassword(new AppUser(), DemoData.Password));
            var focus = Task.Run(() => clientHasher.HashPassword(new ApiClient(), DemoApiClientSecret));
            var telephony = Task.Run(() => clientHasher.HashPassword(new ApiClient(), DemoTelephonyClientSecret));
            return new DemoSecrets(await password, await focus, await telephony);
        }
    }

    /// <summary>A demo database made before telephony gets the demo phone system's client too (demo data only).</summary>
    private async Task EnsureDemoTelephonyClientAsync(CancellationToken ct, string? secretHash = null)
    {
        if (await db.ApiClients.AnyAsync(c => c.ClientId == DemoTelephonyClientId, ct)) return;
        var client = new ApiClient
        {
            ClientId = DemoTelephonyClientId, Name = "Phone system (demo)", CreatedAt = Now, CreatedBy = "demo data", Scopes = ApiScopes.Telephony,
        };
        client.SecretHash = secretHash ?? new PasswordHasher<ApiClient>().HashPassword(client, DemoTelephonyClientSecret);
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A demo needs reasons for Not ready, or the agent's state menu can offer only Ready (demo data only; an admin
    /// edits them on Configuration → Telephony).</summary>
    private async Task EnsureDemoNotReadyReasonsAsync(CancellationToken ct)
    {
        if (await db.NotReadyReasons.AnyAsync(ct)) return;
        string[] names = ["Lunch", "Break", "Training", "Coaching"];
        db.NotReadyReasons.AddRange(names.Select((name, i) => new Telephony.AgentStates.NotReadyReason
        {
            Name = name, SortOrder = i + 1, CreatedAt = Now, CreatedBy = "demo data",
        }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Fills the search columns (<see cref="Customers.SearchKeys"/>) of rows written before they existed, in batches; the
    /// normalisation is .NET's (accents, Unicode case), which neither database's SQL does alike, so it is not a SQL UPDATE.
    /// </summary>
    private async Task BackfillSearchKeysAsync(CancellationToken ct)
    {
        const int batch = 2000;
        while (await db.Customers.Where(c => c.SearchName == null).OrderBy(c => c.Id).Take(batch).ToListAsync(ct) is { Count: > 0 } customers)
        {
            foreach (var c in customers) db.Entry(c).Property(x => x.SearchName).CurrentValue = Customers.SearchKeys.Name(c.FirstName, c.LastName);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        while (await db.CustomerPhones.Where(p => p.SearchDigits == null).OrderBy(p => p.Id).Take(batch).ToListAsync(ct) is { Count: > 0 } phones)
        {
            foreach (var p in phones) db.Entry(p).Property(x => x.SearchDigits).CurrentValue = Customers.SearchKeys.Digits(p.Number);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        while (await db.Vehicles.Where(v => v.RegistrationKey == null).OrderBy(v => v.Id).Take(batch).ToListAsync(ct) is { Count: > 0 } vehicles)
        {
            foreach (var v in vehicles) db.Entry(v).Property(x => x.RegistrationKey).CurrentValue = Customers.SearchKeys.Registration(v.Registration);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    public const string AwaitingTemplateName = "CSI survey reminder (SMS)";
    public const string PendingTemplateName = "CSI thank you (email)";
    /// <summary>The email a Wrong number outcome sends when no number is left to call or text.</summary>
    public const string EmailReminderTemplateName = "CSI survey reminder (email)";

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
        new()
        {
            Name = EmailReminderTemplateName, Channel = MessageChannel.Email, UpdatedAt = now, UpdatedBy = "system",
            Subject = "Your {VehicleDescription} and {DealershipName}: a short survey",
            Body = "Dear {CustomerName},\n\nWe tried to call you about your recent visit to {DealershipName} with your {VehicleDescription} ({Registration}). " +
                   "Your manufacturer would like to hear about your experience; it takes a couple of minutes: {SurveyLink}\n\n" +
                   "Kind regards,\n{DealershipName}",
        },
    ];

    public const string WillCompleteOutcome = "Spoke – will complete survey";
    public const string DeclinedOutcome = "Spoke – declined";
    public const string NoAnswerOutcome = "No answer";
    public const string VoicemailOutcome = "Voicemail";
    public const string WrongNumberOutcome = "Wrong number";
    public const string CallBackLaterOutcome = "Call back later";

    /// <summary>The follow-up outcomes of a dealership's process (seed 003). Template links are by name, when present.</summary>
    public static IEnumerable<CallOutcome> DefaultOutcomes(IReadOnlyDictionary<string, int>? templateIds = null) =>
    [
        new() { Name = WillCompleteOutcome, Colour = "Success", SortOrder = 10, Category = OutcomeCategory.Contacted, Behaviour = OutcomeBehaviour.TakeOffList },
        new() { Name = DeclinedOutcome, Colour = "Warning", SortOrder = 20, Category = OutcomeCategory.Contacted, Behaviour = OutcomeBehaviour.CustomerDeclined },
        new() { Name = NoAnswerOutcome, Colour = "Default", SortOrder = 30, Category = OutcomeCategory.NotReached, Behaviour = OutcomeBehaviour.KeepOnList },
        new() { Name = VoicemailOutcome, Colour = "Info", SortOrder = 40, Category = OutcomeCategory.NotReached, Behaviour = OutcomeBehaviour.KeepOnList },
        new()
        {
            Name = WrongNumberOutcome, Colour = "Error", SortOrder = 50, Category = OutcomeCategory.BadContact, Behaviour = OutcomeBehaviour.WrongNumber,
            NextSmsTemplateId = templateIds?.GetValueOrDefault(AwaitingTemplateName) is > 0 and var sms ? sms : null,
            NextEmailTemplateId = templateIds?.GetValueOrDefault(EmailReminderTemplateName) is > 0 and var email ? email : null,
        },
        new() { Name = CallBackLaterOutcome, Colour = "Primary", SortOrder = 60, Category = OutcomeCategory.Contacted, Behaviour = OutcomeBehaviour.CallBackLater, CallbackReserveMinutes = 60 },
    ];

    /// <summary>The reasons seeded on a new installation; admins add and retire their own.</summary>
    public static readonly IReadOnlyList<string> DefaultDeclineReasons =
    [
        "Does not take part in surveys",
        "Unhappy with the dealership",
        "Unhappy with the vehicle",
        "No time",
        "Already completed the survey",
        "No longer owns the vehicle",
    ];

    private async Task SeedDemoAsync(DemoSecrets secrets, CancellationToken ct)
    {
        logger.LogInformation("Empty database: seeding demo data ({Count} customers)", DemoCustomerCount);
        // One transaction for the whole demo (one commit, not one per step), and the ~2,500 customer, number, vehicle,
        // record and history rows written set-based by the ingest's writer, not one change-tracked INSERT at a time: the
        // same rows, a large share of a fresh demo start's work off the critical path.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var dealerships = DemoData.Dealerships.Select(d => new Dealership { Code = d.Code, Name = d.Name }).ToList();
        db.Dealerships.AddRange(dealerships);
        await db.SaveChangesAsync(ct);

        foreach (var u in DemoData.Users)
        {
            var user = new AppUser
            {
                UserName = u.UserName, DisplayName = u.DisplayName, Email = u.UserName + DemoData.EmailDomain, EmailConfirmed = true,
                DealershipId = u.Dealer is null ? null : dealerships.Single(d => d.Code == u.Dealer).Id,
                CsiVoiceEnabled = u.Voice, LockoutEnabled = true, PasswordHash = secrets.PasswordHash,
                Extension = DemoData.Extensions.GetValueOrDefault(u.UserName),
            };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
                throw new InvalidOperationException($"Could not create demo user {u.UserName}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            await users.AddToRoleAsync(user, u.Role);
        }

        var records = DemoData.Customers(dealerships, DemoCustomerCount, time.GetUtcNow().UtcDateTime).ToList();
        db.SurveyRecords.AddRange(records);
        var demoClient = new ApiClient { ClientId = DemoApiClientId, Name = "FOCUS (demo)", CreatedAt = Now, CreatedBy = "demo data" };
        demoClient.SecretHash = secrets.FocusSecretHash;
        db.ApiClients.Add(demoClient);
        db.ChangeTracker.DetectChanges();
        await Inbound.Ingest.IngestRowWriter.SaveAsync(db, ct);
        await EnsureDemoTelephonyClientAsync(ct, secrets.TelephonySecretHash);

        // The calls behind the seeded attempt counts, by each dealership's CSI Voice agents (head office's call for all).
        var voiceAgents = await db.Users.AsNoTracking().Where(u => u.CsiVoiceEnabled)
            .Select(u => new { u.Id, u.DisplayName, u.DealershipId }).ToListAsync(ct);
        var agentsByDealership = dealerships.ToDictionary(d => d.Id, d => (IReadOnlyList<(string, string)>)voiceAgents
            .Where(a => a.DealershipId == d.Id || a.DealershipId == null).Select(a => (a.Id, a.DisplayName)).ToList());
        var keepOnList = await db.CallOutcomes.AsNoTracking().Where(o => o.IsActive && o.Behaviour == OutcomeBehaviour.KeepOnList)
            .OrderBy(o => o.SortOrder).Select(o => o.Id).ToListAsync(ct);
        db.CallAttempts.AddRange(DemoData.Attempts(records, agentsByDealership, keepOnList));
        db.RequestTypes.AddRange(DemoData.RequestTypes());
        await db.SaveChangesAsync(ct);
        await Calling.NoNumberToCall.SyncAsync(db, [.. records.Select(r => r.CustomerId).Distinct()], ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
