using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Messaging;

internal sealed class MessageSenderResolver(IServiceProvider services, IOptions<MessagingOptions> options) : IMessageSenderResolver
{
    public IMessageSender For(MessageChannel channel) => channel switch
    {
        MessageChannel.Email when options.Value.Email.Sender == EmailSenderKind.Smtp => services.GetRequiredService<SmtpEmailSender>(),
        MessageChannel.Sms when options.Value.Sms.Sender == SmsSenderKind.Http => services.GetRequiredService<HttpSmsSender>(),
        _ => services.GetRequiredService<OutboxSender>(),
    };
}
