using Bunit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Messaging;
using KonnectLive.Desktop.Components.Shared;

namespace KonnectLive.Tests.Components.Customers;

public sealed class InteractionHistoryTests : CustomerComponentTest
{
    [Fact]
    public async Task Render_CallsAndMessages_NewestFirstWithOutcomeAgentAndDuration()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        var oldCall = await AddCallAsync(record, "+447700900123", Now.AddHours(-5), 65, "Nadia North", "No answer");
        var sms = await AddMessageAsync(record, MessageChannel.Sms, "+447700900123", Now.AddHours(-3));
        var newCall = await AddCallAsync(record, "+447700900123", Now.AddHours(-1), 754, "Noah Northcote", "Spoke – will complete survey");

        var panel = Ctx.Render<InteractionHistory>(p => p.Add(x => x.CustomerId, record.CustomerId).Add(x => x.Scope, Me));

        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid=interaction-row]").Count), Patience);
        var rows = panel.FindAll("[data-testid=interaction-row]");
        Assert.Equal([newCall.ToString(), sms.ToString(), oldCall.ToString()], rows.Select(r => r.GetAttribute("data-interaction-id")));
        Assert.Equal(["Call", "Message", "Call"], rows.Select(r => r.GetAttribute("data-kind")));
        Assert.Equal("12:34", rows[0].QuerySelector("[data-testid=interaction-duration]")!.TextContent.Trim());
        Assert.Equal("Spoke – will complete survey", rows[0].QuerySelector("[data-testid=interaction-outcome]")!.TextContent.Trim());
        Assert.Equal("Noah Northcote", rows[0].QuerySelector("[data-testid=interaction-agent]")!.TextContent.Trim());
        Assert.Contains("09:00:00", rows[0].QuerySelector("[data-testid=interaction-when]")!.TextContent); // 08:00 UTC = 09:00 BST
        Assert.Contains("07700 900123", rows[0].TextContent);
        Assert.Contains("Sent", rows[1].TextContent);
        Assert.Contains("SMS", rows[1].TextContent);
        Assert.Equal("1:05", rows[2].QuerySelector("[data-testid=interaction-duration]")!.TextContent.Trim());
        Assert.Equal("Nadia North", rows[2].QuerySelector("[data-testid=interaction-agent]")!.TextContent.Trim());
    }

    [Fact]
    public async Task ClickRow_Call_ShowsItsNote()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        await AddCallAsync(record, "+447700900123", Now.AddHours(-1), 30, "Nadia North", note: "Wants a call after six");
        var panel = Ctx.Render<InteractionHistory>(p => p.Add(x => x.CustomerId, record.CustomerId).Add(x => x.Scope, Me));
        panel.WaitForElement("[data-testid=interaction-row]", Patience);
        Assert.Empty(panel.FindAll("[data-testid=interaction-details]"));

        panel.Find("[data-testid=interaction-row]").Click();

        Assert.Contains("Wants a call after six", panel.Find("[data-testid=interaction-note]").TextContent);
    }

    [Fact]
    public async Task Render_Note_MergedNewestFirstWithAuthorAndExcerpt()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        var call = await AddCallAsync(record, "+447700900123", Now.AddHours(-5), 65, "Nadia North");
        var note = await AddNoteAsync(record.CustomerId, "Prefers a call after six", Now.AddHours(-3), "Noah Northcote");
        var sms = await AddMessageAsync(record, MessageChannel.Sms, "+447700900123", Now.AddHours(-1));

        var panel = Ctx.Render<InteractionHistory>(p => p.Add(x => x.CustomerId, record.CustomerId).Add(x => x.Scope, Me));

        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid=interaction-row]").Count), Patience);
        var rows = panel.FindAll("[data-testid=interaction-row]");
        Assert.Equal([sms.ToString(), note.ToString(), call.ToString()], rows.Select(r => r.GetAttribute("data-interaction-id")));
        Assert.Equal(["Message", "Note", "Call"], rows.Select(r => r.GetAttribute("data-kind")));
        Assert.Contains("Note", rows[1].TextContent);
        Assert.Contains("07:00:00", rows[1].QuerySelector("[data-testid=interaction-when]")!.TextContent); // 06:00 UTC = 07:00 BST
        Assert.Equal("Noah Northcote", rows[1].QuerySelector("[data-testid=interaction-agent]")!.TextContent.Trim());
        Assert.Equal("Prefers a call after six", rows[1].QuerySelector("[data-testid=interaction-excerpt]")!.TextContent.Trim());
        Assert.Equal("3 interactions", panel.Find("[data-testid=history-total]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_NoteWithLineBreaks_RowKeepsThemPreLine()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        await AddNoteAsync(record.CustomerId, "Rang Tuesday.\nWife says after six.", Now.AddHours(-1), "Noah Northcote");

        var panel = Ctx.Render<InteractionHistory>(p => p.Add(x => x.CustomerId, record.CustomerId).Add(x => x.Scope, Me));

        panel.WaitForElement("[data-testid=interaction-excerpt]", Patience);
        var excerpt = panel.Find("[data-testid=interaction-excerpt]");
        Assert.Equal("Rang Tuesday.\nWife says after six.", excerpt.TextContent);
        Assert.Contains("white-space: pre-line", excerpt.GetAttribute("style"));
    }

    [Fact]
    public async Task ClickRow_LongNote_ExpandsToItsFullText()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        var text = "Prefers evenings.\n" + string.Join(' ', Enumerable.Repeat("Lots of detail about the car and the visit.", 6)) + " The very end.";
        await AddNoteAsync(record.CustomerId, text, Now.AddHours(-1), "Noah Northcote");
        var panel = Ctx.Render<InteractionHistory>(p => p.Add(x => x.CustomerId, record.CustomerId).Add(x => x.Scope, Me));
        panel.WaitForElement("[data-testid=interaction-row]", Patience);
        var excerpt = panel.Find("[data-testid=interaction-excerpt]").TextContent.Trim();
        Assert.EndsWith("…", excerpt);
        Assert.DoesNotContain("The very end.", excerpt);
        Assert.Empty(panel.FindAll("[data-testid=interaction-details]"));

        panel.Find("[data-testid=interaction-row]").Click();

        Assert.Equal("true", panel.Find("[data-testid=interaction-row]").GetAttribute("aria-expanded"));
        Assert.Equal(text, panel.Find("[data-testid=interaction-note-text]").TextContent);
        Assert.Contains("Noah Northcote", panel.Find("[data-testid=interaction-details]").TextContent);

        panel.Find("[data-testid=interaction-row]").Click();

        Assert.Empty(panel.FindAll("[data-testid=interaction-details]"));
    }

    [Fact]
    public async Task Render_MoreThanOnePage_PagesOlderItems()
    {
        var record = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900123"]);
        for (var i = 0; i < 7; i++) await AddCallAsync(record, "+447700900123", Now.AddHours(-10 + i), 30, $"Agent {i}");

        var panel = Ctx.Render<InteractionHistory>(p => p.Add(x => x.CustomerId, record.CustomerId).Add(x => x.Scope, Me).Add(x => x.PageSize, 5));

        panel.WaitForAssertion(() => Assert.Equal(5, panel.FindAll("[data-testid=interaction-row]").Count), Patience);
        Assert.Equal("Agent 6", panel.Find("[data-testid=interaction-agent]").TextContent.Trim());
        panel.Find("button[aria-label='Next page']").Click();
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=interaction-row]").Count), Patience);
        Assert.Equal("Agent 1", panel.Find("[data-testid=interaction-agent]").TextContent.Trim());
    }

    private async Task<long> AddNoteAsync(int customerId, string text, DateTime at, string author)
    {
        await using var db = await CreateDbAsync();
        var note = new CustomerNote { CustomerId = customerId, AuthorId = "id-" + author, AuthorName = author, Text = text, CreatedAt = at };
        db.CustomerNotes.Add(note);
        await db.SaveChangesAsync();
        return note.Id;
    }
}
