using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace KonnectLive.Tests.Infrastructure;

/// <summary>One originate request as the telephony provider received it.</summary>
public sealed record OriginateRequest(string? ApiKey, string? IdempotencyKey, string Extension, string Number, int CustomerId, string Reference);

/// <summary>
/// A real telephony provider's originate endpoint on 127.0.0.1 (HttpListener): it records what click-to-dial sent and
/// answers <see cref="Status"/> after <see cref="Delay"/>.
/// </summary>
public sealed class OriginateServer : IDisposable
{
    private readonly HttpListener _listener = new();
    public string Url { get; }
    public ConcurrentQueue<OriginateRequest> Received { get; } = new();
    public HttpStatusCode Status { get; set; } = HttpStatusCode.Accepted;
    public TimeSpan Delay { get; set; }
    public string KeyHeader { get; set; } = "X-Api-Key";

    public OriginateServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/originate/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        LoopbackHttp.AcceptEach(_listener, HandleAsync);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            var root = body.RootElement;
            Received.Enqueue(new OriginateRequest(context.Request.Headers[KeyHeader], context.Request.Headers["Idempotency-Key"],
                root.GetProperty("extension").GetString()!, root.GetProperty("number").GetString()!, root.GetProperty("customerId").GetInt32(),
                root.GetProperty("reference").GetString()!));
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            context.Response.StatusCode = (int)Status;
            context.Response.Close();
        }
        catch (Exception) when (!_listener.IsListening)
        {
        }
        catch (HttpListenerException)
        {
            // The client gave up (its timeout): nothing to answer.
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
