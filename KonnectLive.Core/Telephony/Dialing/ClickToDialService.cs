using System.Net.Http.Json;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Telephony.Dialing;

/// <summary>
/// Click-to-dial: asks the telephony provider to ring the agent's extension and connect it to a customer's number. The
/// server decides, whatever the page showed: a number unsubscribed from calls, marked wrong or not a phone number is not
/// dialled, nor a customer outside the agent's dealership, nor for an agent without an extension. The provider gets
/// POST { extension, number (E.164), customerId, reference } with the key header and an Idempotency-Key. A dial is never
/// retried once sent (a retry could ring the customer twice); only a connection that could not be opened is tried once
/// more. Every dial, refused or sent, is in the audit log.
/// </summary>
public sealed class ClickToDialService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    TelephonySettingsService settings,
    IHttpClientFactory httpFactory,
    TimeProvider time,
    ILogger<ClickToDialService> logger)
{
    public const string HttpClientName = "telephony-originate";
    public const string AuditDialled = "telephony.dial";
    public const string AuditRefused = "telephony.dial.refused";
    public const string NoExtension =
        "You have no phone extension in KonnectLive, so the phone system cannot ring you. Ask an administrator to set yours on Configuration → Users.";

    public async Task<CommandResult> DialAsync(UserScope agent, int phoneId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var provider = await settings.ProviderAsync(db, ct);
        if (provider is null)
            return CommandResult.Refused("Click-to-dial is not set up; dial the number on your phone.");

        var extension = await db.Users.Where(u => u.Id == agent.UserId).Select(u => u.Extension).SingleOrDefaultAsync(ct);
        var phone = await (from p in db.CustomerPhones
                           join c in db.Customers on p.CustomerId equals c.Id
                           where p.Id == phoneId && c.ErasedAt == null
                           select new { p.Number, p.CustomerId, c.DealershipId, p.CallUnsubscribedAt, p.WrongNumberAt }).SingleOrDefaultAsync(ct);
        if (phone is null) return CommandResult.NotFound("That number is no longer on file. Reload the page.");
        if (!agent.CanSee(phone.DealershipId))
            return await RefuseAsync(db, agent, phone.CustomerId, phoneId, CommandOutcome.Forbidden,
                "That customer belongs to another dealership: KonnectLive does not dial them for you.");
        if (string.IsNullOrWhiteSpace(extension))
            return await RefuseAsync(db, agent, phone.CustomerId, phoneId, CommandOutcome.Refused, NoExtension);
        var display = PhoneNormaliser.Display(phone.Number);
        if (phone.CallUnsubscribedAt is not null)
            return await RefuseAsync(db, agent, phone.CustomerId, phoneId, CommandOutcome.Refused, $"{display} is unsubscribed from calls: it is not dialled.");
        if (phone.WrongNumberAt is not null)
            return await RefuseAsync(db, agent, phone.CustomerId, phoneId, CommandOutcome.Refused, $"{display} is marked as a wrong number: it is not dialled.");
        if (PhoneNormaliser.ToE164(phone.Number) is not { } e164)
            return await RefuseAsync(db, agent, phone.CustomerId, phoneId, CommandOutcome.Refused, $"{phone.Number} is not a valid phone number: it is not dialled.");

        var reference = Guid.NewGuid().ToString("N");
        var (ok, detail) = await SendAsync(provider, extension.Trim(), e164, phone.CustomerId, reference, ct);
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, agent, AuditDialled, nameof(CustomerPhone), phoneId.ToString(),
            $"Click-to-dial {e164} from extension {extension.Trim()} (reference {reference}): {detail}", phone.CustomerId);
        await db.SaveChangesAsync(CancellationToken.None);
        return ok
            ? CommandResult.Done($"Dialling {display}: your phone (extension {extension.Trim()}) rings first.")
            : CommandResult.Refused($"The phone system did not dial {display}: {detail}");
    }

    private async Task<(bool Ok, string Detail)> SendAsync(DialProvider provider, string extension, string e164, int customerId, string reference,
        CancellationToken ct)
    {
        var http = httpFactory.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(provider.Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, provider.OriginateUrl)
            {
                // Buffered, so the request carries Content-Length: JsonContent streams chunked, and simple originate endpoints
                // (and some PBX web hooks) read an empty body from a chunked POST.
                Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { extension, number = e164, customerId, reference }),
                    System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", reference);
            request.Headers.TryAddWithoutValidation(provider.ApiKeyHeader, provider.ApiKey);
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode) return (true, $"accepted ({(int)response.StatusCode}).");
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                return (false, $"it answered {(int)response.StatusCode}{(string.IsNullOrWhiteSpace(text) ? "" : ": " + (text.Length > 200 ? text[..200] : text))}.");
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError && attempt == 1 && !ct.IsCancellationRequested)
            {
                // Nothing reached the provider, so one more try cannot ring anyone twice.
                logger.LogInformation(ex, "Click-to-dial: could not connect to the provider; trying once more");
                await Task.Delay(TimeSpan.FromMilliseconds(300), time, ct);
            }
            catch (HttpRequestException ex)
            {
                logger.LogWarning(ex, "Click-to-dial: the provider could not be reached");
                return (false, "it could not be reached. Try again, or dial on your phone.");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return (false, $"it did not answer within {provider.Timeout.TotalSeconds:0} seconds. Check your phone before trying again.");
            }
        }
    }

    private async Task<CommandResult> RefuseAsync(KonnectDbContext db, UserScope agent, int customerId, int phoneId, CommandOutcome outcome, string message)
    {
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, agent, AuditRefused, nameof(CustomerPhone), phoneId.ToString(), message, customerId);
        await db.SaveChangesAsync(CancellationToken.None);
        return new CommandResult(outcome, message, []);
    }
}
