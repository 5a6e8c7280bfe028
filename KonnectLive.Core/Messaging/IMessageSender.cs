namespace KonnectLive.Core.Messaging;

/// <summary>One message ready to leave: rendered, addressed, and carrying the key that makes a retry harmless.</summary>
public sealed record OutgoingMessage(long ScheduledMessageId, MessageChannel Channel, string IdempotencyKey, string Recipient, string? Subject, string Body);

/// <summary>What the provider said: its id for the message, and whether it had already sent this key.</summary>
public sealed record SendReceipt(string? ProviderMessageId, bool AlreadySent = false);

/// <summary>
/// Sends one channel's messages. Must be idempotent on <see cref="OutgoingMessage.IdempotencyKey"/> as far as its
/// provider allows. Throws on failure: <see cref="MessageSendException"/> with Permanent set when retrying is pointless.
/// </summary>
public interface IMessageSender
{
    Task<SendReceipt> SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>
/// A sender that takes a whole batch at once (the outbox: one transaction for all its rows instead of one per message).
/// The receipts come back in the order of the messages; the same exactly-once rules as <see cref="IMessageSender"/> hold.
/// </summary>
public interface IBatchMessageSender : IMessageSender
{
    Task<IReadOnlyList<SendReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken ct);
}

public sealed class MessageSendException(string message, bool permanent = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The provider refused the message itself (bad address, rejected content): retrying cannot help.</summary>
    public bool Permanent { get; } = permanent;
}

/// <summary>Picks the sender for a channel. The default reads Messaging:Email:Sender and Messaging:Sms:Sender.</summary>
public interface IMessageSenderResolver
{
    IMessageSender For(MessageChannel channel);
}
