using FluentValidation;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers.Duplicates;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Customers.Import;
using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KonnectLive.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Persistence, domain services and the in-process live event bus.</summary>
    public static IServiceCollection AddKonnectLiveCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKonnectLiveStorage(configuration);
        services.AddOptions<LockOptions>().Bind(configuration.GetSection(LockOptions.Section))
            .Validate(o => o.LeaseSeconds >= 5 && o.RenewEverySeconds > 0 && o.RenewEverySeconds < o.LeaseSeconds && o.SweepEverySeconds > 0,
                "Locking: LeaseSeconds must be at least 5 and RenewEverySeconds between 1 and LeaseSeconds - 1.")
            .ValidateOnStart();

        services.AddScoped<DatabaseInitializer>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LiveEventBus>();
        services.AddSingleton<ILiveEventSubscriptions>(sp => sp.GetRequiredService<LiveEventBus>());
        services.AddSingleton<ILiveEventPublisher, InProcessLiveEventPublisher>();

        services.AddValidatorsFromAssemblyContaining<RecordAttemptCommandValidator>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton<UserScopeLoader>();
        services.AddSingleton<CallLockService>();
        services.AddSingleton<CallingService>();
        services.AddSingleton<DeclineReasonService>();
        // The assembly scan registers it as IValidator<OutcomeInput>; the service and the dialog want the concrete type.
        services.AddSingleton<OutcomeInputValidator>();
        services.AddSingleton<OutcomeAdminService>();
        services.AddSingleton<MyCallbacksQuery>();
        services.AddSingleton<OffChaseListQuery>();
        services.AddSingleton<ChaseListQuery>();
        services.AddSingleton<ChaseListCounts>();
        services.AddSingleton<ChaseNavigator>();
        services.TryAddSingleton<Cluster.IClusterLeadership, Cluster.SingleInstanceLeadership>();
        services.AddSingleton<AttemptUndoService>();
        services.AddHostedService<LeaseSweeper>();

        services.AddKonnectLiveInbound(configuration);
        services.AddKonnectLiveMessaging(configuration);
        services.AddKonnectLiveSettings(configuration);
        services.AddKonnectLiveCustomerProfile();
        services.AddKonnectLiveCustomerNotes();
        services.AddKonnectLiveCustomerImport();
        services.AddKonnectLiveCustomFields();
        services.AddKonnectLiveCustomerDuplicates();
        Supervision.SupervisionServiceCollectionExtensions.AddKonnectLiveSupervision(services);
        Reports.ReportsServiceCollectionExtensions.AddKonnectLiveReports(services);
        services.AddKonnectLiveUserAdmin();
        Retention.RetentionServiceCollectionExtensions.AddKonnectLiveRetention(services, configuration);
        Customers.Erasure.ErasureServiceCollectionExtensions.AddKonnectLiveCustomerErasure(services);
        Telephony.TelephonyServiceCollectionExtensions.AddKonnectLiveTelephony(services, configuration);
        Cases.CasesServiceCollectionExtensions.AddKonnectLiveCases(services);
        Requests.RequestsServiceCollectionExtensions.AddKonnectLiveRequests(services);
        return services;
    }
}
