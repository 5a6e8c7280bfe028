using KonnectLive.Core.Inbound;
using KonnectLive.Core.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Settings;

public sealed class InboundLogQueryTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private InboundLogQuery Query => _db.Services.GetRequiredService<InboundLogQuery>();

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> AddAsync(string? clientId, DateTime receivedAt, int status, string payload = "[]", string? results = null)
    {
        await using var db = _db.NewDbContext();
        var request = new InboundRequest
        {
            ClientId = clientId, ReceivedAt = receivedAt, Endpoint = "/api/v1/csi/records", StatusCode = status, RawPayload = payload,
            RecordCount = 3, Created = 1, Updated = 1, Rejected = 1, ResultsJson = results, DurationMs = 12,
        };
        db.InboundRequests.Add(request);
        await db.SaveChangesAsync();
        return request.Id;
    }

    [Fact]
    public async Task GetPageAsync_SeveralRequests_ReturnsNewestFirstWithTotal()
    {
        var t = _db.Now;
        var oldest = await AddAsync("focus", t.AddHours(-3), 200);
        var newest = await AddAsync("focus", t.AddHours(-1), 200);
        var middle = await AddAsync("other", t.AddHours(-2), 401);

        var page = await Query.GetPageAsync(new InboundLogRequest(0, 2));

        Assert.Equal(3, page.Total);
        Assert.Equal([newest, middle], page.Rows.Select(r => r.Id));
        var next = await Query.GetPageAsync(new InboundLogRequest(2, 2));
        Assert.Equal([oldest], next.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task GetPageAsync_Filters_ApplyClientStatusAndDateRange()
    {
        var t = _db.Now;
        var ok = await AddAsync("focus", t.AddDays(-1), 200);
        var refused = await AddAsync("focus", t.AddDays(-1).AddMinutes(1), 400);
        var otherClient = await AddAsync("other", t.AddDays(-1), 200);
        var old = await AddAsync("focus", t.AddDays(-10), 200);

        Assert.Equal([refused, ok, old], (await Query.GetPageAsync(new InboundLogRequest(0, 10, ClientId: "focus"))).Rows.Select(r => r.Id));
        Assert.Equal([refused], (await Query.GetPageAsync(new InboundLogRequest(0, 10, Status: InboundStatusFilter.Refused))).Rows.Select(r => r.Id));
        Assert.DoesNotContain(refused, (await Query.GetPageAsync(new InboundLogRequest(0, 10, Status: InboundStatusFilter.Success))).Rows.Select(r => r.Id));
        var recent = await Query.GetPageAsync(new InboundLogRequest(0, 10, FromUtc: t.AddDays(-2), ToUtc: t));
        Assert.Equal(3, recent.Total);
        Assert.DoesNotContain(old, recent.Rows.Select(r => r.Id));
        Assert.Contains(otherClient, recent.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task GetClientIdsAsync_Log_ReturnsDistinctSortedClientIds()
    {
        await AddAsync("zeta", _db.Now, 200);
        await AddAsync("alpha", _db.Now, 200);
        await AddAsync("alpha", _db.Now, 401);
        await AddAsync(null, _db.Now, 401);

        Assert.Equal(["alpha", "zeta"], await Query.GetClientIdsAsync());
    }

    [Fact]
    public async Task GetDetailsAsync_JsonPayload_IsPrettyPrinted()
    {
        var id = await AddAsync("focus", _db.Now, 200, payload: """{"records":[{"id":"F-1","status":"Awaiting"}]}""",
            results: """[{"id":"F-1","result":"created"}]""");

        var details = await Query.GetDetailsAsync(id);

        Assert.NotNull(details);
        Assert.True(details.Payload.IsJson);
        Assert.Contains("\n", details.Payload.Text);
        Assert.Contains("\"status\": \"Awaiting\"", details.Payload.Text);
        Assert.Contains("\"result\": \"created\"", details.Results!.Text);
        Assert.Equal("focus", details.Request.ClientId);
    }

    [Fact]
    public async Task GetDetailsAsync_MalformedPayload_IsShownAsReceived()
    {
        var id = await AddAsync("focus", _db.Now, 400, payload: "{ not json");

        var details = await Query.GetDetailsAsync(id);

        Assert.False(details!.Payload.IsJson);
        Assert.Equal("{ not json", details.Payload.Text);
        Assert.Null(details.Results);
    }

    [Fact]
    public void Readable_HugePayload_IsTruncatedAndSaysHowLongItWas()
    {
        var huge = "[" + string.Join(",", Enumerable.Repeat("\"abcdefghij\"", 20_000)) + "]";

        var text = InboundLogQuery.Readable(huge);

        Assert.True(text.IsTruncated);
        Assert.True(text.IsJson);
        Assert.Equal(InboundLogQuery.MaxDisplayChars, text.Text.Length);
        Assert.Equal(huge.Length, text.OriginalLength);
    }

    [Fact]
    public async Task GetDetailsAsync_UnknownId_ReturnsNull() => Assert.Null(await Query.GetDetailsAsync(123_456));
}
