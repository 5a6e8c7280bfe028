using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KonnectLive.Tests.Browser;

/// <summary>
/// A phone-system call in the customer's interaction history: the agent's leg with its type, queue and duration from the
/// events, and the recording, served by a real HTTP server on 127.0.0.1, playing in the row's details.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CallHistoryBrowserTests(BrowserFixture fixture)
{
    private DateTime Now => fixture.App.Service<TimeProvider>().GetUtcNow().UtcDateTime;

    [Fact]
    public async Task CustomerHistory_InboundLegWithRecording_ShowsTypeDurationAndAPlayableRecording()
    {
        var shop = await fixture.App.NewDealershipAsync("Leghist", customers: 1);
        var agent = await fixture.App.NewAgentAsync("Lena Leg", shop.Id);
        var customer = shop.Customers[0];
        using var recordings = RecordingServer.Start();
        var call = $"hist-{Guid.NewGuid():N}";
        var url = $"{recordings.BaseAddress}rec/{call}.wav";
        string At(int secondsAgo) => Now.AddSeconds(-secondsAgo).ToString("yyyy-MM-ddTHH:mm:ssZ");

        using var telephony = await TelephonyAsync();
        var response = await telephony.PostAsJsonAsync("/api/v1/telephony/events", new
        {
            events = new object[]
            {
                new { eventId = call + "-1", callId = call, type = "offered", occurredAt = At(130), direction = "inbound", ani = customer.Phone,
                      dnis = "0113 496 0000", queue = "CSI", agent = agent.UserName },
                new { eventId = call + "-2", callId = call, type = "answered", occurredAt = At(125), agent = agent.UserName },
                new { eventId = call + "-3", callId = call, type = "ended", occurredAt = At(50), reason = "completed" },
                new { eventId = call + "-4", callId = call, type = "recording", occurredAt = At(45), recordingUrl = url },
            },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        await using var session = await fixture.SignInAsync(agent.UserName);
        await session.GotoAsync($"/customers/{customer.CustomerId}");
        var row = session.Page.Locator("[data-testid=interaction-row][data-kind=CallLeg]");
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Expect(row.GetByTestId("interaction-type")).ToContainTextAsync("INBOUND");
        await Expect(row.GetByTestId("interaction-queue")).ToHaveTextAsync("Queue CSI");
        await Expect(row.GetByTestId("interaction-duration")).ToHaveTextAsync("1:15");
        await Expect(row.GetByTestId("interaction-agent")).ToHaveTextAsync("Lena Leg");
        await Expect(row.GetByTestId("interaction-outcome")).ToContainTextAsync("No wrap-up");

        await row.PressAsync("Enter"); // keyboard opens the details as a click does
        var audio = session.Page.GetByTestId("leg-recording");
        await Expect(audio).ToHaveAttributeAsync("src", url);
        await Expect(session.Page.GetByTestId("leg-summary")).ToContainTextAsync("1:15 long");
        // Playable: the browser fetches the recording from the phone system's server and reads its length.
        var seconds = await audio.EvaluateAsync<double>(
            "a => new Promise(done => { a.onloadedmetadata = () => done(a.duration); a.onerror = () => done(-1); a.preload = 'auto'; a.load(); })");
        Assert.InRange(seconds, 0.9, 1.1);
        Assert.Contains($"/rec/{call}.wav", recordings.Requested);
        await session.ScreenshotAsync("call-history-leg");
        await session.Page.SetViewportSizeAsync(390, 844);
        await session.ScreenshotAsync("call-history-leg-390");
    }

    private async Task<HttpClient> TelephonyAsync()
    {
        var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        var token = await http.PostAsJsonAsync("/api/v1/token", new { client_id = DatabaseInitializer.DemoTelephonyClientId, client_secret = DatabaseInitializer.DemoTelephonyClientSecret });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
        return http;
    }

    /// <summary>A phone system's recording store: one second of 8 kHz silence as WAV for any path, on 127.0.0.1.</summary>
    private sealed class RecordingServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<string> _requested = [];
        public Uri BaseAddress { get; }
        public IReadOnlyList<string> Requested { get { lock (_requested) return [.. _requested]; } }

        private RecordingServer(int port)
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(BaseAddress.ToString());
        }

        public static RecordingServer Start()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var server = new RecordingServer(port);
            server._listener.Start();
            _ = server.ServeAsync();
            return server;
        }

        private async Task ServeAsync()
        {
            var wav = Wav(8000);
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception) { return; }
                lock (_requested) _requested.Add(context.Request.Url!.AbsolutePath);
                context.Response.ContentType = "audio/wav";
                context.Response.ContentLength64 = wav.Length;
                try { await context.Response.OutputStream.WriteAsync(wav); context.Response.Close(); }
                catch (Exception) { /* the browser may cancel a media request part-way */ }
            }
        }

        /// <summary>8-bit mono PCM, <paramref name="samples"/> samples at 8 kHz.</summary>
        private static byte[] Wav(int samples)
        {
            using var ms = new MemoryStream();
            using var w = new BinaryWriter(ms);
            w.Write("RIFF"u8); w.Write(36 + samples); w.Write("WAVE"u8);
            w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(8000); w.Write(8000); w.Write((short)1); w.Write((short)8);
            w.Write("data"u8); w.Write(samples); w.Write(Enumerable.Repeat((byte)128, samples).ToArray());
            w.Flush();
            return ms.ToArray();
        }

        public void Dispose() => _listener.Close();
    }
}
