using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KonnectLive.Core.Data;

/// <summary>
/// The one DbContext. On SQLite (the default) it is used as is, with the migrations in <c>Data/Migrations</c>; on
/// PostgreSQL the app runs <see cref="PostgreSqlKonnectDbContext"/>, the same model with its own migrations.
/// </summary>
public class KonnectDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public KonnectDbContext(DbContextOptions<KonnectDbContext> options) : base(options) { }

    /// <summary>For a provider's derived context, whose migrations EF finds by its own type.</summary>
    protected KonnectDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Dealership> Dealerships => Set<Dealership>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerPhone> CustomerPhones => Set<CustomerPhone>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<SurveyRecord> SurveyRecords => Set<SurveyRecord>();
    public DbSet<SurveyStatusChange> SurveyStatusChanges => Set<SurveyStatusChange>();
    public DbSet<CallOutcome> CallOutcomes => Set<CallOutcome>();
    public DbSet<CallAttempt> CallAttempts => Set<CallAttempt>();
    public DbSet<DeclineReason> DeclineReasons => Set<DeclineReason>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<InboundRequest> InboundRequests => Set<InboundRequest>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<ScheduledMessage> ScheduledMessages => Set<ScheduledMessage>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<CsiSettings> CsiSettings => Set<CsiSettings>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<CustomerNote> CustomerNotes => Set<CustomerNote>();
    public DbSet<CustomFieldDefinition> CustomFieldDefinitions => Set<CustomFieldDefinition>();
    public DbSet<CustomFieldValue> CustomFieldValues => Set<CustomFieldValue>();
    public DbSet<AppSettings> AppSettings => Set<AppSettings>();
    public DbSet<Retention.RetentionSettings> RetentionSettings => Set<Retention.RetentionSettings>();
    public DbSet<Customers.Erasure.CustomerErasure> CustomerErasures => Set<Customers.Erasure.CustomerErasure>();
    public DbSet<RevokedSession> RevokedSessions => Set<RevokedSession>();
    public DbSet<Customers.Duplicates.DifferentPeople> DifferentPeople => Set<Customers.Duplicates.DifferentPeople>();
    public DbSet<Telephony.TelephonyEvent> TelephonyEvents => Set<Telephony.TelephonyEvent>();
    public DbSet<Telephony.TelephonyCall> TelephonyCalls => Set<Telephony.TelephonyCall>();
    public DbSet<Telephony.CallLeg> CallLegs => Set<Telephony.CallLeg>();
    public DbSet<Telephony.Dialing.TelephonySettings> TelephonySettings => Set<Telephony.Dialing.TelephonySettings>();
    public DbSet<Telephony.AgentStates.AgentStateInterval> AgentStateIntervals => Set<Telephony.AgentStates.AgentStateInterval>();
    public DbSet<Telephony.AgentStates.NotReadyReason> NotReadyReasons => Set<Telephony.AgentStates.NotReadyReason>();
    public DbSet<Cases.CaseRecord> CaseRecords => Set<Cases.CaseRecord>();
    public DbSet<Cases.CaseSession> CaseSessions => Set<Cases.CaseSession>();
    public DbSet<Cases.CaseRecordSettings> CaseRecordSettings => Set<Cases.CaseRecordSettings>();
    public DbSet<Requests.RequestType> RequestTypes => Set<Requests.RequestType>();
    public DbSet<Requests.RequestField> RequestFields => Set<Requests.RequestField>();
    public DbSet<Requests.CustomerRequest> CustomerRequests => Set<Requests.CustomerRequest>();
    public DbSet<Requests.CustomerRequestValue> CustomerRequestValues => Set<Requests.CustomerRequestValue>();
    /// <summary>ASP.NET Core Data Protection's key ring, shared by every instance (cookies and antiforgery survive restarts and hops).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        SearchKeys.Refresh(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        SearchKeys.Refresh(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// MigrateAsync's own check for model changes without a migration builds the design-time model and the snapshot's and
    /// compares them on every start (≈ a tenth of a fresh start's CPU, more of a restart's): it is switched off here and made
    /// at build time instead, for both providers, by MigrationSnapshotTests.
    /// </summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KonnectDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime we store is UTC; SQLite forgets the Kind, so give it back on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
