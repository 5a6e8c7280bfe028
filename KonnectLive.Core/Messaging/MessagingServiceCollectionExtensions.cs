using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>Templates, the dispatcher's send logic and the senders (outbox, SMTP, HTTP SMS gateway).</summary>
    public static IServiceCollection AddKonnectLiveMessaging(this IServiceCollection services, IConfiguration configuration) => services;
}
