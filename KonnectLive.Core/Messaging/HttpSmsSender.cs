using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Messaging;

/// <summary>
/// SMS through an HTTP gateway: POST JSON { to, from, body, reference } to Messaging:Sms:GatewayUrl with the API key
/// header, and the idempotency key as an Idempotency-Key header (and as the reference), so a gateway that honours it
/// never sends a retry twice. 4xx other than 408/429 is permanent; 5xx, 408, 429 and network errors are retried.
/// </summary>
public sealed class HttpSmsSender(IHttpClientFactory httpFactory, IOptions<MessagingOptions> options) : IMessageSender
{
    public const string HttpClientName = "sms-gateway";

    public async Task<SendReceipt> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value.Sms;
        if (!Uri.TryCreate(o.GatewayUrl, UriKind.Absolute, out var url))
            throw new MessageSendException("Messaging:Sms:GatewayUrl is not configured.", permanent: true);

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { to = message.Recipient, from = o.From, body = message.Body, reference = message.IdempotencyKey }),
        };
        request.Headers.Add("Idempotency-Key", message.IdempotencyKey);
        if (!string.IsNullOrEmpty(o.ApiKey)) request.Headers.Add(o.ApiKeyHeader, o.ApiKey);

        var http = httpFactory.CreateClient(HttpClientName);
        http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var permanent = status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
            throw new MessageSendException($"SMS gateway answered {status}: {Truncate(text)}", permanent);
        }
        return new SendReceipt(ProviderId(text));
    }

    private static string? ProviderId(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id) ? id.ToString() : null;
        }
        catch (JsonException) { return null; }
    }

    private static string Truncate(string s) => s.Length > 300 ? s[..300] : s;
}
