using System.Net;

namespace KonnectLive.Tests.Infrastructure;

/// <summary>The accept loop of the tests' small HTTP servers on 127.0.0.1 (an SMS gateway, a phone system's originate endpoint).</summary>
public static class LoopbackHttp
{
    /// <summary>Hands each request to <paramref name="handle"/> on its own task until the listener stops.</summary>
    public static void AcceptEach(HttpListener listener, Func<HttpListenerContext, Task> handle) =>
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception) { return; }
                _ = Task.Run(() => handle(context));
            }
        });
}
