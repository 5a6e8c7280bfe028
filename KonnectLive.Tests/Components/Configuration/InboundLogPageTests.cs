using Bunit;
using KonnectLive.Core.Inbound;
using KonnectLive.Desktop.Components.Pages.Configuration;
using MudBlazor;

namespace KonnectLive.Tests.Components.Configuration;

public sealed class InboundLogPageTests : ConfigurationPageTest
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private IRenderedComponent<InboundLog> RenderPage(int expectedRows)
    {
        Ctx.Render<MudPopoverProvider>();
        Ctx.Render<MudSnackbarProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<InboundLog>();
        cut.WaitForAssertion(() => Assert.Equal(expectedRows, cut.FindAll("[data-testid=received-at]").Count), Patience);
        return cut;
    }

    private async Task<long> AddRequestAsync(string? clientId, DateTime receivedAt, int statusCode, int records = 0, int created = 0, int updated = 0,
        int unchanged = 0, int ignored = 0, int rejected = 0, string payload = "[]", string? results = null, string? error = null)
    {
        await using var db = await CreateDbAsync();
        var request = new InboundRequest
        {
            ClientId = clientId, ReceivedAt = receivedAt, Endpoint = "/api/v1/csi/records", StatusCode = statusCode, RawPayload = payload,
            RecordCount = records, Created = created, Updated = updated, Unchanged = unchanged, Ignored = ignored, Rejected = rejected,
            ResultsJson = results, Error = error, DurationMs = 1_234,
        };
        db.InboundRequests.Add(request);
        await db.SaveChangesAsync();
        return request.Id;
    }

    private static List<string> Column(IRenderedComponent<InboundLog> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public async Task Render_Requests_ListsNewestFirstWithStatusAndCounts()
    {
        await AddRequestAsync("focus-demo", Now.AddHours(-3), 200, records: 10, created: 4, updated: 3, unchanged: 1, ignored: 1, rejected: 1);
        await AddRequestAsync("focus-demo", Now.AddHours(-1), 200, records: 2, created: 2);
        await AddRequestAsync("intruder", Now.AddHours(-2), 401, error: "The token has expired.");

        var cut = RenderPage(expectedRows: 3);

        Assert.Equal(["02 Jun 2025 09:00", "02 Jun 2025 08:00", "02 Jun 2025 07:00"], Column(cut, "received-at"));
        Assert.Equal(["focus-demo", "intruder", "focus-demo"], Column(cut, "client"));
        Assert.Equal(["200 OK", "401 Unauthorized", "200 OK"], Column(cut, "status"));
        Assert.Equal(["2", "0", "10"], Column(cut, "records"));
        Assert.Equal(["2", "0", "4"], Column(cut, "created"));
        Assert.Equal(["0", "0", "3"], Column(cut, "updated"));
        Assert.Equal(["0", "0", "1"], Column(cut, "unchanged"));
        Assert.Equal(["0", "0", "1"], Column(cut, "ignored"));
        Assert.Equal(["0", "0", "1"], Column(cut, "rejected"));
        Assert.Contains("1,234 ms", cut.Markup);
    }

    [Fact]
    public void Render_NoRequests_SaysSo()
    {
        var cut = RenderPage(expectedRows: 0);

        cut.WaitForAssertion(() => Assert.Contains("No inbound requests yet", cut.Markup), Patience);
    }

    [Fact]
    public async Task Details_Request_ShowsPrettyPrintedPayloadAndResults()
    {
        await AddRequestAsync("focus-demo", Now.AddHours(-2), 200, records: 1, created: 1);
        var id = await AddRequestAsync("focus-demo", Now.AddHours(-1), 200, records: 2, created: 1, rejected: 1,
            payload: """{"records":[{"focusRecordId":"F-100","status":"Awaiting"},{"focusRecordId":"F-101"}]}""",
            results: """[{"focusRecordId":"F-100","result":"created"},{"focusRecordId":"F-101","result":"rejected","errors":{"status":["Status is required."]}}]""");
        var cut = RenderPage(expectedRows: 2);

        cut.FindAll("[data-testid=details-button]")[0].Click();

        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=request-details]")), Patience);
        Assert.Contains($"Request #{id}", _dialogs.Markup);
        var payload = _dialogs.Find("[data-testid=payload]").TextContent;
        Assert.Contains("\"focusRecordId\": \"F-100\",\n", payload.Replace("\r\n", "\n"));
        var results = _dialogs.Find("[data-testid=results]").TextContent;
        Assert.Contains("\"result\": \"rejected\"", results);
        Assert.Contains("Status is required.", results);
        Assert.Contains("2 received: 1 created, 0 updated, 0 unchanged, 0 ignored, 1 rejected", _dialogs.Markup);
    }

    [Fact]
    public async Task Details_RowClicked_ShowsThatRequestsErrorAndRawPayload()
    {
        await AddRequestAsync("focus-demo", Now.AddHours(-1), 400, payload: "{ \"records\": [ oops", error: "The body is not valid JSON.");
        var cut = RenderPage(expectedRows: 1);

        cut.Find("tr.inbound-row td").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal("{ \"records\": [ oops", _dialogs.Find("[data-testid=payload]").TextContent), Patience);
        Assert.Equal("The body is not valid JSON.", _dialogs.Find("[data-testid=details-error]").TextContent.Trim());
        Assert.Equal("400 Bad Request", _dialogs.Find("[data-testid=details-status]").TextContent.Trim());
        Assert.Contains("not valid JSON, shown as received", _dialogs.Markup);
        Assert.Contains("No per-record results", _dialogs.Markup);
    }

    [Fact]
    public async Task Details_HugePayload_IsTruncatedWithANote()
    {
        var huge = "[" + string.Join(",", Enumerable.Repeat("\"0123456789abcdef\"", 10_000)) + "]";
        await AddRequestAsync("focus-demo", Now.AddHours(-1), 200, payload: huge);
        var cut = RenderPage(expectedRows: 1);

        cut.Find("[data-testid=details-button]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("Showing the first 100,000 characters of", _dialogs.Find("[data-testid=payload-truncated]").TextContent), Patience);
        Assert.True(_dialogs.Find("[data-testid=payload]").TextContent.Length <= 100_000);
    }
}
