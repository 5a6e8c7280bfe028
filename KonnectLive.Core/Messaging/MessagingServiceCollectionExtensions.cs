using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>Templates, the dispatcher's send logic and the senders (outbox, SMTP, HTTP SMS gateway).</summary>
    public static IServiceCollection AddKonnectLiveMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.Section))
            .Validate(o => o.DispatchEverySeconds >= 1 && o.BatchSize >= 1 && o.MaxAttempts >= 1 && o.ClaimLeaseSeconds >= 3
                           && o.RetryBackoffSeconds >= 0 && o.MaxLatenessHours >= 0,
                "Messaging: DispatchEverySeconds, BatchSize and MaxAttempts must be at least 1, ClaimLeaseSeconds at least 3.")
            .ValidateOnStart();
        services.AddHttpClient(HttpSmsSender.HttpClientName);
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<HttpSmsSender>();
        services.AddSingleton<IMessageSenderResolver, MessageSenderResolver>();
        services.AddSingleton<MessageDispatcher>();
        services.AddSingleton<MessageService>();
        services.AddSingleton<MessageTemplateService>();
        return services;
    }
}
