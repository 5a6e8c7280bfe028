using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KonnectLive.Telephony.Simulator;

/// <summary>What one batch got back: the HTTP status and the body (the per-event results and the call's legs).</summary>
public sealed record SentBatch(int AtSecond, int Status, string Body);

/// <summary>
/// Plays a <see cref="Scenario"/> through KonnectLive's real API, as a phone system would: a bearer token from
/// <c>POST /api/v1/token</c> with the telephony client's id and secret, then each step as a batch to
/// <c>POST /api/v1/telephony/events</c>, at the scenario's pace (or faster).
/// </summary>
public sealed class TelephonySimulator(HttpClient http, TextWriter log)
{
    /// <summary>Where the <c>recording</c> event says the call's recording is: {call} is replaced by the call id.</summary>
    public string RecordingUrl { get; init; } = "https://recordings.example.com/konnectlive-demo/{call}.wav";

    public async Task<string> TokenAsync(string clientId, string secret, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/token", new { client_id = clientId, client_secret = secret }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The token request was refused ({(int)response.StatusCode}): {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()
               ?? throw new InvalidOperationException("The token response had no access_token.");
    }

    /// <param name="start">The call's first event's time; each step is stamped <c>start + AtSecond</c>.</param>
    /// <param name="wait">Waits between steps (the scenario's gaps, scaled by --pace); a no-op sends them back to back.</param>
    public async Task<IReadOnlyList<SentBatch>> RunAsync(Scenario scenario, string token, string callId, DateTimeOffset start,
        Func<TimeSpan, CancellationToken, Task> wait, CancellationToken ct = default)
    {
        var sent = new List<SentBatch>();
        var n = 0;
        var previous = 0;
        foreach (var step in scenario.Steps)
        {
            await wait(TimeSpan.FromSeconds(step.AtSecond - previous), ct);
            previous = step.AtSecond;
            var at = start.AddSeconds(step.AtSecond).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
            var events = new JsonArray();
            foreach (var e in step.Events)
            {
                var json = new JsonObject { ["eventId"] = $"{callId}-{++n}", ["callId"] = callId, ["type"] = e.Type, ["occurredAt"] = at };
                void Set(string name, string? value) { if (value is not null) json[name] = value; }
                Set("agent", e.Agent);
                Set("direction", e.Direction);
                Set("ani", e.Ani);
                Set("dnis", e.Dnis);
                Set("queue", e.Queue);
                Set("language", e.Language);
                Set("reason", e.Reason);
                if (e.Recording) json["recordingUrl"] = RecordingUrl.Replace("{call}", Uri.EscapeDataString(callId));
                events.Add(json);
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/telephony/events")
            {
                Content = new StringContent(new JsonObject { ["events"] = events }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            sent.Add(new SentBatch(step.AtSecond, (int)response.StatusCode, body));
            await log.WriteLineAsync($"+{step.AtSecond,3}s {string.Join(", ", step.Events.Select(e => e.Type + (e.Agent is null ? "" : " " + e.Agent)))} → {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
            {
                await log.WriteLineAsync(body);
                break;
            }
        }
        return sent;
    }
}
