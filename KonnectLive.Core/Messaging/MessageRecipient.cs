using KonnectLive.Core.Customers;

namespace KonnectLive.Core.Messaging;

/// <summary>Who a message to a customer goes to, by the dispatcher's rule; asked again at send time, since consent may change meanwhile.</summary>
public static class MessageRecipient
{
    /// <summary>
    /// SMS: the first mobile, by position, that may receive SMS (consented, not a wrong number); email: the address unless it
    /// unsubscribed. Null when there is none (the dispatcher then skips the message, saying why).
    /// </summary>
    public static string? For(Customer customer, MessageChannel channel) => channel == MessageChannel.Sms
        ? customer.Phones.OrderBy(p => p.Position).FirstOrDefault(p => p.CanReceiveSms)?.Number
        : string.IsNullOrWhiteSpace(customer.Email) || customer.EmailUnsubscribed ? null : customer.Email;
}
