using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KonnectLive.Tests.Infrastructure;

namespace KonnectLive.Tests.Cluster;

/// <summary>
/// A real HTTP SMS gateway on 127.0.0.1 (the app's HttpSmsSender posts to it). It counts a message as delivered when it
/// answers 200, by Idempotency-Key; <see cref="HoldNext"/> makes it keep the next request waiting, unanswered, as a
/// slow gateway does — so a test can kill the sending instance while it is mid-send.
/// </summary>
public sealed class SmsGateway : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _hold;
    public string Url { get; }
    public ConcurrentDictionary<string, int> Delivered { get; } = new();
    public ConcurrentQueue<string> Received { get; } = new();
    /// <summary>How long each answer takes, as a real gateway's round trip does (so a test can kill the sender mid-stream).</summary>
    public TimeSpan ResponseDelay { get; set; }
    private TaskCompletionSource<string> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SmsGateway()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
    }

    /// <summary>The next request is read but never answered; the task ends with its key when it arrives.</summary>
    public Task<string> HoldNext()
    {
        _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _hold, 1);
        return _held.Task;
    }

    public void Start()
    {
        _listener.Start();
        LoopbackHttp.AcceptEach(_listener, Handle);
    }

    private async Task Handle(HttpListenerContext context)
    {
        var key = context.Request.Headers["Idempotency-Key"] ?? "";
        using (var reader = new StreamReader(context.Request.InputStream)) await reader.ReadToEndAsync();
        Received.Enqueue(key);
        if (Interlocked.Exchange(ref _hold, 0) == 1)
        {
            _held.TrySetResult(key);
            return; // never answered: the sender waits until it is killed
        }
        if (ResponseDelay > TimeSpan.Zero) await Task.Delay(ResponseDelay);
        Delivered.AddOrUpdate(key, 1, (_, n) => n + 1);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"gw-{Received.Count}\"}}");
        try
        {
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
        catch (Exception) { }
    }

    public void Dispose()
    {
        try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
    }
}
