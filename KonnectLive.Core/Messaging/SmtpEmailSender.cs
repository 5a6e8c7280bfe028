using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace KonnectLive.Core.Messaging;

/// <summary>
/// Email over SMTP (MailKit). SMTP has no idempotency: the Message-Id is derived from the idempotency key, so a
/// retry carries the same id and mail systems that de-duplicate on it (and any audit) see one message, and the id
/// is recorded on the row. Residual risk, stated honestly: if the app dies after the server accepted the message
/// but before the row is marked Sent, the lease expires and the message is sent again — at-least-once, with the
/// window being the time between the server's 250 reply and our UPDATE (measured by MessagesExactlyOnceFigureTests).
/// </summary>
public sealed class SmtpEmailSender(IOptions<MessagingOptions> options) : IMessageSender
{
    public async Task<SendReceipt> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value.Email;
        if (string.IsNullOrWhiteSpace(o.Host)) throw new MessageSendException("Messaging:Email:Host is not configured.", permanent: true);
        if (!MailboxAddress.TryParse(message.Recipient, out var to))
            throw new MessageSendException($"'{message.Recipient}' is not an email address.", permanent: true);

        var from = MailboxAddress.Parse(o.From);
        var mime = new MimeMessage
        {
            Subject = message.Subject ?? "",
            Body = new TextPart("plain") { Text = message.Body },
            MessageId = MessageIdFor(message.IdempotencyKey, from.Domain),
        };
        mime.From.Add(from);
        mime.To.Add(to);
        mime.Headers.Add("X-KonnectLive-Idempotency-Key", message.IdempotencyKey);

        var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        try
        {
            var security = !o.UseTls ? SecureSocketOptions.None : o.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(o.Host, o.Port, security, ct);
            if (!string.IsNullOrEmpty(o.UserName)) await client.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
            await client.SendAsync(mime, ct);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode is >= 500 and < 600)
        {
            client.Dispose();
            throw new MessageSendException($"SMTP server refused the message: {(int)e.StatusCode} {e.Message}", permanent: true, e);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        // The server took responsibility for the message with its 250 to DATA (RFC 5321 §4.1.1.4). Answer now so the row
        // is marked Sent at once: waiting for QUIT's round trip first only widened the window in which a crash sends the
        // email twice. QUIT still goes, in the background, bounded by the timeout.
        _ = QuitAsync(client, TimeSpan.FromSeconds(o.TimeoutSeconds));
        return new SendReceipt(mime.MessageId);
    }

    private static async Task QuitAsync(SmtpClient client, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await client.DisconnectAsync(quit: true, cts.Token); }
        catch (Exception e) when (e is IOException or OperationCanceledException or SmtpProtocolException or SmtpCommandException or ObjectDisposedException) { }
        finally { client.Dispose(); }
    }

    /// <summary>The same key always gives the same Message-Id (without the angle brackets).</summary>
    public static string MessageIdFor(string idempotencyKey, string? domain)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
        return $"{hash}@{(string.IsNullOrWhiteSpace(domain) ? "konnectlive.local" : domain)}";
    }
}
