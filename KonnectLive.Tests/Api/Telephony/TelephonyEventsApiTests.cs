using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Telephony;
using KonnectLive.Tests.Api.Inbound;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Api.Telephony;

/// <summary>
/// POST /api/v1/telephony/events through the real app: token and scope, the batch all or nothing, duplicates and late
/// events harmless, and the call's legs in the database as the agent's history will show them.
/// </summary>
[Collection(InboundApiCollection.Name)]
public sealed class TelephonyEventsApiTests(InboundApiFixture app)
{
    private DateTime Now => app.Time.GetUtcNow().UtcDateTime;

    private Task<string> TelephonyTokenAsync() =>
        app.TokenAsync(DatabaseInitializer.DemoTelephonyClientId, DatabaseInitializer.DemoTelephonyClientSecret);

    private async Task<KonnectDbContext> DbAsync() => await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();

    private async Task<HttpResponseMessage> PostAsync(string? token, string body, string contentType = "application/json", string path = "/api/v1/telephony/events")
    {
        using var http = app.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private JsonObject Event(string eventId, string callId, string type, int second, string? agent = null, string? direction = null,
        string? reason = null, string? ani = null, string? url = null)
    {
        var e = new JsonObject
        {
            ["eventId"] = eventId, ["callId"] = callId, ["type"] = type,
            ["occurredAt"] = Now.AddHours(-1).AddSeconds(second).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        if (agent is not null) e["agent"] = agent;
        if (direction is not null) e["direction"] = direction;
        if (reason is not null) e["reason"] = reason;
        if (ani is not null) { e["ani"] = ani; e["dnis"] = "0113 496 0000"; e["queue"] = "CSI"; e["language"] = "en"; }
        if (url is not null) e["recordingUrl"] = url;
        return e;
    }

    private static string Batch(params JsonObject[] events) => new JsonObject { ["events"] = new JsonArray([.. events.Select(e => e.DeepClone())]) }.ToJsonString();

    private async Task<List<CallLeg>> LegsAsync(string callId)
    {
        await using var db = await DbAsync();
        return await db.CallLegs.AsNoTracking().Where(l => l.Call.CallId == callId).OrderBy(l => l.Sequence).ToListAsync();
    }

    private static string Describe(IEnumerable<CallLeg> legs) =>
        string.Join(" | ", legs.Select(l => $"{l.Type} {l.Agent} {l.DurationSeconds}s {(l.Connected ? "connected" : "not connected")}"));

    [Fact]
    public async Task InboundAnsweredTransferredConferenced_LegsStoredForTheRightUsers_ByUserNameAndByExtension()
    {
        var call = $"c-{Guid.NewGuid():N}";
        var token = await TelephonyTokenAsync();

        var response = await PostAsync(token, Batch(
            Event(call + "-1", call, "offered", 0, direction: "inbound", ani: "07700 900123"),
            Event(call + "-2", call, "answered", 8, "agent.north1"),
            Event(call + "-3", call, "transferred", 68, "2002"), // agent.north2's extension
            Event(call + "-4", call, "conferenced", 98, "agent.south"),
            Event(call + "-5", call, "recording", 99, url: "https://pbx.example/rec/" + call),
            Event(call + "-6", call, "ended", 128, reason: "completed")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((6, 6, 0), (body.GetProperty("received").GetInt32(), body.GetProperty("stored").GetInt32(), body.GetProperty("duplicates").GetInt32()));
        Assert.Equal("INBOUND", body.GetProperty("calls")[0].GetProperty("legs")[0].GetProperty("type").GetString());

        var legs = await LegsAsync(call);
        Assert.Equal("Inbound agent.north1 60s connected | Transfer agent.north2 60s connected | Conference agent.south 30s connected", Describe(legs));
        await using var db = await DbAsync();
        var users = await db.Users.AsNoTracking().Where(u => u.UserName == "agent.north1" || u.UserName == "agent.north2" || u.UserName == "agent.south")
            .ToDictionaryAsync(u => u.UserName!, u => (u.Id, u.DealershipId));
        Assert.Equal([users["agent.north1"].Id, users["agent.north2"].Id, users["agent.south"].Id], legs.Select(l => l.UserId));
        Assert.Equal([users["agent.north1"].DealershipId, users["agent.north2"].DealershipId, users["agent.south"].DealershipId], legs.Select(l => l.DealershipId));
        var stored = await db.TelephonyCalls.AsNoTracking().SingleAsync(c => c.CallId == call);
        Assert.Equal(("07700 900123", "7700900123", CallEndReason.Completed, "https://pbx.example/rec/" + call, users["agent.north1"].DealershipId),
            (stored.CustomerNumber, stored.CustomerDigits, stored.EndReason, stored.RecordingUrl, stored.DealershipId));
        var logged = await db.InboundRequests.AsNoTracking().SingleAsync(r => r.Id == body.GetProperty("requestId").GetInt64());
        Assert.Equal((200, "telephony-demo", TelephonyEventService.Endpoint), (logged.StatusCode, logged.ClientId, logged.Endpoint));
    }

    [Fact]
    public async Task SameBatchAgainAndLateEvents_DuplicatesChangeNothing_LateOnesRebuildTheSameLegs()
    {
        var call = $"c-{Guid.NewGuid():N}";
        var token = await TelephonyTokenAsync();
        var offered = Event(call + "-1", call, "offered", 0, direction: "inbound", ani: "07700 900321");
        var answered = Event(call + "-2", call, "answered", 5, "agent.north1");
        var ended = Event(call + "-3", call, "ended", 65, reason: "completed");

        // The end first, then the start: the call is rebuilt from all of its events each time.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(token, Batch(ended))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(token, Batch(answered, offered))).StatusCode);
        Assert.Equal("Inbound agent.north1 60s connected", Describe(await LegsAsync(call)));

        var again = await PostAsync(token, Batch(offered, answered, ended));
        var body = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((0, 3), (body.GetProperty("stored").GetInt32(), body.GetProperty("duplicates").GetInt32()));
        Assert.All(body.GetProperty("results").EnumerateArray(), r => Assert.Equal("duplicate", r.GetProperty("result").GetString()));
        Assert.Equal("Inbound agent.north1 60s connected", Describe(await LegsAsync(call)));
        await using var db = await DbAsync();
        Assert.Equal(3, await db.TelephonyEvents.CountAsync(e => e.CallId == call));
    }

    [Fact]
    public async Task AbandonedInQueueAndOutboundNoAnswer_StoredWithTheirEndsAndNoTalkTime()
    {
        var abandoned = $"c-{Guid.NewGuid():N}";
        var outbound = $"c-{Guid.NewGuid():N}";
        var token = await TelephonyTokenAsync();

        var response = await PostAsync(token, Batch(
            Event(abandoned + "-1", abandoned, "offered", 0, direction: "inbound", ani: "07700 900654"),
            Event(abandoned + "-2", abandoned, "ended", 40, reason: "abandoned"),
            Event(outbound + "-1", outbound, "offered", 0, "agent.south", "outbound"),
            Event(outbound + "-2", outbound, "ended", 25, reason: "no_answer")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await LegsAsync(abandoned));
        Assert.Equal("Outbound agent.south 0s not connected", Describe(await LegsAsync(outbound)));
        await using var db = await DbAsync();
        var calls = await db.TelephonyCalls.AsNoTracking().Where(c => c.CallId == abandoned || c.CallId == outbound).ToDictionaryAsync(c => c.CallId);
        Assert.Equal((CallEndReason.Abandoned, (DateTime?)null), (calls[abandoned].EndReason, calls[abandoned].AnsweredAt));
        Assert.Equal((CallEndReason.NoAnswer, CallDirection.Outbound), (calls[outbound].EndReason, calls[outbound].Direction));
    }

    [Fact]
    public async Task OneBadEventInABatch_400NamesItAndItsField_NothingFromTheBatchStored()
    {
        var call = $"c-{Guid.NewGuid():N}";
        var token = await TelephonyTokenAsync();
        var bad = Event(call + "-2", call, "rang", 5, "agent.north1");

        var response = await PostAsync(token, Batch(Event(call + "-1", call, "offered", 0, direction: "inbound", ani: "07700 900111"), bad,
            Event(call + "-3", call, "ended", 9, reason: "hung up")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var events = problem.GetProperty("events");
        Assert.Equal([1, 2], events.EnumerateArray().Select(e => e.GetProperty("index").GetInt32()));
        Assert.Contains("type must be", events[0].GetProperty("errors").GetProperty("type")[0].GetString());
        Assert.Contains("reason must be", events[1].GetProperty("errors").GetProperty("reason")[0].GetString());
        await using var db = await DbAsync();
        Assert.False(await db.TelephonyEvents.AnyAsync(e => e.CallId == call));
        Assert.False(await db.TelephonyCalls.AnyAsync(c => c.CallId == call));
        var logged = await db.InboundRequests.AsNoTracking().SingleAsync(r => r.Id == problem.GetProperty("requestId").GetInt64());
        Assert.Equal(400, logged.StatusCode);
    }

    [Theory]
    [InlineData("{\"events\": [", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"events\": []}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"events\": [{\"eventId\": 5}]}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"events\": []}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task RefusedBody_ClearProblem_Logged(string body, string contentType, HttpStatusCode expected)
    {
        var response = await PostAsync(await TelephonyTokenAsync(), body, contentType);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        await using var db = await DbAsync();
        var logged = await db.InboundRequests.AsNoTracking().SingleAsync(r => r.Id == problem.GetProperty("requestId").GetInt64());
        Assert.Equal((int)expected, logged.StatusCode);
    }

    [Fact]
    public async Task Scopes_FocusCannotPostCallEvents_TelephonyCannotPushRecords_NoTokenIs401()
    {
        var call = $"c-{Guid.NewGuid():N}";
        var events = Batch(Event(call + "-1", call, "offered", 0, direction: "inbound", ani: "07700 900222"));
        var focus = await app.TokenAsync(DatabaseInitializer.DemoApiClientId, DatabaseInitializer.DemoApiClientSecret);
        var telephony = await TelephonyTokenAsync();

        var focusOnTelephony = await PostAsync(focus, events);
        var telephonyOnRecords = await PostAsync(telephony, "{\"records\": []}", path: "/api/v1/csi/records");
        var anonymous = await PostAsync(null, events);

        Assert.Equal(HttpStatusCode.Forbidden, focusOnTelephony.StatusCode);
        Assert.Contains("Telephony scope", (await focusOnTelephony.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, telephonyOnRecords.StatusCode);
        Assert.Contains("CsiIngest scope", (await telephonyOnRecords.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await using var db = await DbAsync();
        Assert.False(await db.TelephonyEvents.AnyAsync(e => e.CallId == call));
        Assert.True(await db.InboundRequests.AnyAsync(r => r.StatusCode == 403 && r.ClientId == DatabaseInitializer.DemoApiClientId));
    }

    [Fact]
    public async Task AdminCreatesATelephonyClient_ItsTokenPostsEvents()
    {
        var created = await app.Service<ApiClientService>().CreateAsync(
            new CreateApiClientCommand { Name = "PBX", ClientId = $"pbx-{Guid.NewGuid():N}"[..20], Scopes = ApiScopes.Telephony }, await app.AdminAsync());
        Assert.Equal("Telephony events", created.Client.ScopeText);
        var token = await app.TokenAsync(created.Client.ClientId, created.Secret);
        var call = $"c-{Guid.NewGuid():N}";

        var response = await PostAsync(token, Batch(Event(call + "-1", call, "offered", 0, direction: "inbound", ani: "07700 900333")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
