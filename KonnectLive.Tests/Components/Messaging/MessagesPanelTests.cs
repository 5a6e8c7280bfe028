using Bunit;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Components.Pages.Csi;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Components.Messaging;

public sealed class MessagesPanelTests : CsiPageTest
{
    private async Task<long> AddMessageAsync(SurveyRecord record, MessageChannel channel, MessageState state, DateTime dueAt,
        string? skipReason = null, string? recipient = null)
    {
        await using var db = await CreateDbAsync();
        var template = await db.MessageTemplates.FirstAsync(t => t.Channel == channel);
        var m = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, TemplateId = template.Id, Channel = channel,
            TriggerStatus = record.Status, TriggerStatusChangedAt = record.StatusChangedAt, CreatedAt = Now, DueAt = dueAt, State = state,
            SkipReason = skipReason, Recipient = recipient, SentAt = state == MessageState.Sent ? dueAt : null,
            CompletedAt = state is MessageState.Scheduled ? null : dueAt, IdempotencyKey = Guid.NewGuid().ToString("N"),
        };
        db.ScheduledMessages.Add(m);
        await db.SaveChangesAsync();
        return m.Id;
    }

    private IRenderedComponent<MessagesPanel> Render(SurveyRecord record) =>
        Ctx.Render<MessagesPanel>(p => p.Add(x => x.CustomerId, record.CustomerId).Add(x => x.Scope, Me).Add(x => x.RefreshEverySeconds, 0));

    [Fact]
    public async Task Render_QueuedSentAndSkipped_EachShownWithStateTimeAndReason()
    {
        var record = await GetRecordAsync(await AddRecordAsync("Mrs", "Alice", "Archer"));
        var queued = await AddMessageAsync(record, MessageChannel.Email, MessageState.Scheduled, Now.AddHours(2));
        var sent = await AddMessageAsync(record, MessageChannel.Sms, MessageState.Sent, Now.AddHours(-1), recipient: "+447400123401");
        var skipped = await AddMessageAsync(record, MessageChannel.Sms, MessageState.Skipped, Now.AddHours(-2), skipReason: "no SMS-consented mobile: every mobile number is unsubscribed from SMS");

        var panel = Render(record);

        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid=message-row]").Count), Patience);
        var rows = panel.FindAll("[data-testid=message-row]");
        Assert.Equal([queued.ToString(), sent.ToString(), skipped.ToString()], rows.Select(r => r.GetAttribute("data-message-id")));
        Assert.Contains("Queued", rows[0].TextContent);
        Assert.Contains("due 02 Jun 2025 12:00", rows[0].TextContent); // 11:00 UTC is 12:00 in London (BST)
        Assert.Contains("Email", rows[0].TextContent);
        Assert.Single(rows[0].QuerySelectorAll("[data-testid=cancel-message]"));
        Assert.Contains("Sent", rows[1].TextContent);
        Assert.Contains("sent 02 Jun 2025 09:00", rows[1].TextContent);
        Assert.Contains("+447400123401", rows[1].TextContent);
        Assert.Empty(rows[1].QuerySelectorAll("[data-testid=cancel-message]"));
        Assert.Contains("Skipped", rows[2].TextContent);
        Assert.Contains("every mobile number is unsubscribed", rows[2].QuerySelector("[data-testid=message-reason]")!.TextContent);
    }

    [Fact]
    public async Task Cancel_ConfirmedOnQueuedMessage_CancelledInDatabaseAndShown()
    {
        var record = await GetRecordAsync(await AddRecordAsync("Mrs", "Alice", "Archer"));
        var queued = await AddMessageAsync(record, MessageChannel.Sms, MessageState.Scheduled, Now.AddHours(1));
        var panel = Render(record);
        panel.WaitForElement("[data-testid=cancel-message]", Patience);

        panel.Find("[data-testid=cancel-message]").Click();
        await panel.Find("[data-testid=confirm-cancel-message]").ClickAsync(new());

        await EventuallyAsync(async () =>
        {
            await using var db = await CreateDbAsync();
            return (await db.ScheduledMessages.SingleAsync(m => m.Id == queued)).State == MessageState.Cancelled;
        }, "the message is cancelled");
        panel.WaitForAssertion(() =>
        {
            var row = panel.Find("[data-testid=message-row]");
            Assert.Equal(nameof(MessageState.Cancelled), row.GetAttribute("data-state"));
            Assert.Contains("cancelled by Alice Agent", row.TextContent);
            Assert.Empty(panel.FindAll("[data-testid=cancel-message]"));
        }, Patience);
    }

    [Fact]
    public async Task Render_NoMessages_SaysSo()
    {
        var record = await GetRecordAsync(await AddRecordAsync("Mr", "Bob", "Baker"));

        var panel = Render(record);

        panel.WaitForElement("[data-testid=no-messages]", Patience);
    }

    [Fact]
    public async Task Render_OtherDealershipsCustomer_ShowsNothing()
    {
        var record = await GetRecordAsync(await AddRecordAsync("Mr", "Yan", "York", dealershipId: OtherDealershipId));
        await AddMessageAsync(record, MessageChannel.Sms, MessageState.Scheduled, Now.AddHours(1));

        var panel = Render(record);

        panel.WaitForElement("[data-testid=no-messages]", Patience);
    }
}
