using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KonnectLive.Core.Cases;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Api.Inbound;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Api.Telephony;

/// <summary>POST /api/v1/telephony/events through the real app files the call into the caller's case (issue 14 §4).</summary>
[Collection(InboundApiCollection.Name)]
public sealed class CaseRecordsApiTests(InboundApiFixture app)
{
    private DateTime Now => app.Time.GetUtcNow().UtcDateTime;

    private async Task<HttpStatusCode> PostAsync(string token, params JsonObject[] events)
    {
        using var http = app.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/telephony/events")
        {
            Content = new StringContent(new JsonObject { ["events"] = new JsonArray([.. events.Select(e => e.DeepClone())]) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await http.SendAsync(request)).StatusCode;
    }

    private JsonObject Event(string call, string type, int second, string number, string? agent = null, string? reason = null) => new()
    {
        ["eventId"] = $"{call}-{type}-{second}", ["callId"] = call, ["type"] = type,
        ["occurredAt"] = Now.AddMinutes(-10).AddSeconds(second).ToString("yyyy-MM-ddTHH:mm:ssZ"), ["direction"] = "inbound",
        ["ani"] = number, ["dnis"] = "0113 496 0000", ["queue"] = "CaseApi", ["language"] = "en", ["agent"] = agent, ["reason"] = reason,
    };

    [Fact]
    public async Task TelephonyEvents_AnsweredCallsOfACustomer_OneCaseWithTheSessionsInOrder_DuplicatesIgnored()
    {
        var dealership = await app.NewDealershipAsync("Cases", customers: 1);
        var agent = await app.NewAgentAsync("Casey Agent", dealership.Id);
        var customer = dealership.Customers[0];
        var token = await app.TokenAsync(DatabaseInitializer.DemoTelephonyClientId, DatabaseInitializer.DemoTelephonyClientSecret);
        var c1 = $"case-{Guid.NewGuid():N}";
        var c2 = $"case-{Guid.NewGuid():N}";

        Assert.Equal(HttpStatusCode.OK, await PostAsync(token, Event(c1, "offered", 0, customer.Phone, agent.UserName), Event(c1, "answered", 4, customer.Phone, agent.UserName),
            Event(c1, "ended", 64, customer.Phone, reason: "completed")));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(token, Event(c2, "answered", 124, customer.Phone, agent.UserName), Event(c2, "ended", 184, customer.Phone, reason: "completed")));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(token, Event(c1, "answered", 4, customer.Phone, agent.UserName))); // a duplicate

        await using var db = await app.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var only = await db.CaseRecords.AsNoTracking().Include(c => c.Sessions).ThenInclude(s => s.Call).SingleAsync(c => c.CustomerId == customer.CustomerId);
        Assert.Equal((CaseStatus.Open, "CaseApi", dealership.Id), (only.Status, only.Queue, only.DealershipId));
        Assert.Equal([c1, c2], only.Sessions.OrderBy(s => s.Sequence).Select(s => s.Call.CallId));
        Assert.Contains("voice_inbound", only.TagList);
    }
}
