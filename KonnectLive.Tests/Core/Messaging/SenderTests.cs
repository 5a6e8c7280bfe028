using System.Net;
using System.Text.Json;
using KonnectLive.Core.Messaging;
using Microsoft.Extensions.Options;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class SmtpEmailSenderTests : DispatcherTestBase
{
    [Fact]
    public async Task DispatchDue_SmtpSender_EmailArrivesAtRealServerAsRendered()
    {
        using var smtp = await SmtpTestServer.StartAsync();
        Options.Email = new MessagingOptions.EmailOptions { Sender = EmailSenderKind.Smtp, Host = "127.0.0.1", Port = smtp.Port, From = "Northgate Motors <csi@northgate.example>" };
        Senders.Override = new SmtpEmailSender(Microsoft.Extensions.Options.Options.Create(Options));
        var record = await AddRecordAsync("alice@example.test");
        var message = await QueueAsync(record, MessageChannel.Email, TimeSpan.Zero);

        var summary = await DispatchAsync();

        Assert.Equal(1, summary.Sent);
        var sent = await MessageAsync(message.Id);
        var received = Assert.Single(smtp.Messages());
        Assert.Equal("alice@example.test", received.To.Mailboxes.Single().Address);
        Assert.Equal("csi@northgate.example", received.From.Mailboxes.Single().Address);
        Assert.Equal("Thank you from Northgate Motors", received.Subject);
        Assert.Equal(sent.Subject, received.Subject);
        Assert.Equal(sent.Body!.ReplaceLineEndings(), received.TextBody!.TrimEnd().ReplaceLineEndings());
        Assert.Contains($"https://survey.example.com/r/{record.FocusRecordId}", received.TextBody!);
        Assert.Equal(SmtpEmailSender.MessageIdFor(message.IdempotencyKey, "northgate.example"), received.MessageId);
        Assert.Equal(received.MessageId, sent.ProviderMessageId);
        Assert.Equal(message.IdempotencyKey, received.Headers["X-KonnectLive-Idempotency-Key"]);
    }

    [Fact]
    public async Task SendAsync_NoServerListening_ThrowsTransientSoTheMessageIsRetried()
    {
        var options = new MessagingOptions { Email = new() { Host = "127.0.0.1", Port = 1, TimeoutSeconds = 5 } };
        var sender = new SmtpEmailSender(Microsoft.Extensions.Options.Options.Create(options));

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            sender.SendAsync(new OutgoingMessage(1, MessageChannel.Email, "k", "a@example.test", "s", "b"), CancellationToken.None));

        Assert.False(error is MessageSendException { Permanent: true });
    }

    [Fact]
    public void MessageIdFor_SameKey_SameId() =>
        Assert.Equal(SmtpEmailSender.MessageIdFor("csi:1:Awaiting:x", "a.example"), SmtpEmailSender.MessageIdFor("csi:1:Awaiting:x", "a.example"));
}

public sealed class HttpSmsSenderTests
{
    private sealed class Recorder(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add((request, await request.Content!.ReadAsStringAsync(ct)));
            return new HttpResponseMessage(status) { Content = new StringContent(body) };
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private static HttpSmsSender Sender(Recorder recorder) => new(new Factory(recorder), Options.Create(new MessagingOptions
    {
        Sms = new() { Sender = SmsSenderKind.Http, GatewayUrl = "https://sms.example/send", ApiKey = "secret", ApiKeyHeader = "X-Api-Key", From = "Northgate" },
    }));

    private static readonly OutgoingMessage Sms = new(7, MessageChannel.Sms, "csi:F1:Awaiting:20260302", "+447700900001", null, "Hi Alice");

    [Fact]
    public async Task SendAsync_GatewayAccepts_PostsJsonWithApiKeyAndIdempotencyKey()
    {
        var recorder = new Recorder(HttpStatusCode.OK, """{"id":"gw-42"}""");

        var receipt = await Sender(recorder).SendAsync(Sms, CancellationToken.None);

        Assert.Equal("gw-42", receipt.ProviderMessageId);
        var (request, body) = Assert.Single(recorder.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://sms.example/send", request.RequestUri!.ToString());
        Assert.Equal("secret", request.Headers.GetValues("X-Api-Key").Single());
        Assert.Equal(Sms.IdempotencyKey, request.Headers.GetValues("Idempotency-Key").Single());
        using var json = JsonDocument.Parse(body);
        Assert.Equal("+447700900001", json.RootElement.GetProperty("to").GetString());
        Assert.Equal("Hi Alice", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("Northgate", json.RootElement.GetProperty("from").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, true)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public async Task SendAsync_GatewayRefuses_PermanentOnlyForClientErrors(HttpStatusCode status, bool permanent)
    {
        var error = await Assert.ThrowsAsync<MessageSendException>(() => Sender(new Recorder(status, "nope")).SendAsync(Sms, CancellationToken.None));

        Assert.Equal(permanent, error.Permanent);
        Assert.Contains(((int)status).ToString(), error.Message);
    }
}
