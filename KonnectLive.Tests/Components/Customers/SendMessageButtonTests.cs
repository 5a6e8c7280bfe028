using Bunit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Messaging;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Components.Pages.Csi;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KonnectLive.Tests.Components.Customers;

public sealed class SendMessageButtonTests : CsiPageTest
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private int _customerId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Ctx.Render<MudPopoverProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        _customerId = (await GetRecordAsync(await AddRecordAsync("Mrs", "Carol", "Customer"))).CustomerId;
    }

    private async Task ChangeAsync(Func<KonnectLive.Core.Data.KonnectDbContext, Task> change)
    {
        await using var db = await CreateDbAsync();
        await change(db);
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<SendMessageButton> OpenDialog(Action<long>? onSent = null)
    {
        var button = Ctx.Render<SendMessageButton>(p =>
        {
            p.Add(x => x.CustomerId, _customerId).Add(x => x.Scope, Me);
            if (onSent is not null) p.Add(x => x.OnSent, onSent);
        });
        button.Find("[data-testid=send-message]").Click();
        _dialogs.WaitForElement("[data-testid=channel-sms]", Patience);
        return button;
    }

    [Fact]
    public async Task Open_OnlyMobileUnsubscribedFromSms_SmsGreyedOutWithReasonAndEmailOffered()
    {
        await ChangeAsync(async db => (await db.CustomerPhones.SingleAsync(p => p.CustomerId == _customerId)).Unsubscribe(ContactChannel.Sms, "test", Now));

        OpenDialog();

        _dialogs.WaitForAssertion(() =>
        {
            var sms = _dialogs.Find("[data-testid=channel-sms]");
            Assert.Equal("false", sms.GetAttribute("data-can-send"));
            Assert.True(sms.QuerySelector("input[type=radio]")!.HasAttribute("disabled"));
            Assert.Equal("The only mobile is unsubscribed from SMS", sms.QuerySelector("[data-testid=channel-reason]")!.TextContent.Trim());
            var email = _dialogs.Find("[data-testid=channel-email]");
            Assert.Equal("true", email.GetAttribute("data-can-send"));
            Assert.False(email.QuerySelector("input[type=radio]")!.HasAttribute("disabled"));
            Assert.Contains("carol@example.test", email.TextContent);
        }, Patience);
    }

    [Fact]
    public async Task Open_NoEmailAddress_EmailGreyedOutWithReason()
    {
        await ChangeAsync(async db => (await db.Customers.SingleAsync(c => c.Id == _customerId)).Email = null);

        OpenDialog();

        _dialogs.WaitForAssertion(() =>
        {
            var email = _dialogs.Find("[data-testid=channel-email]");
            Assert.Equal("false", email.GetAttribute("data-can-send"));
            Assert.Equal("No email address", email.QuerySelector("[data-testid=channel-reason]")!.TextContent.Trim());
            Assert.Equal("true", _dialogs.Find("[data-testid=channel-sms]").GetAttribute("data-can-send"));
        }, Patience);
    }

    [Fact]
    public async Task Send_FreeTextSms_QueuedDueNowSnackbarAndOnSentCalled()
    {
        // No active SMS template, so the dialog opens on free text.
        await ChangeAsync(async db => await db.MessageTemplates.Where(t => t.Channel == MessageChannel.Sms)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.IsActive, false)));
        long? sentId = null;

        OpenDialog(id => sentId = id);
        _dialogs.WaitForElement("[data-testid=free-body]", Patience);
        var body = _dialogs.Find("[data-testid=free-body]");
        (body.TagName == "TEXTAREA" ? body : body.QuerySelector("textarea")!).Input("Your car is ready to collect.");
        _dialogs.WaitForAssertion(() => Assert.Contains("Your car is ready to collect.", _dialogs.Find("[data-testid=message-preview]").TextContent), Patience);
        await _dialogs.Find("[data-testid=send-now]").ClickAsync(new());

        await EventuallyAsync(() => Task.FromResult(sentId is not null), "the button reports the queued message");
        await using var db = await CreateDbAsync();
        var message = await db.ScheduledMessages.SingleAsync(m => m.Id == sentId);
        Assert.Equal(MessageState.Scheduled, message.State);
        Assert.Equal(MessageChannel.Sms, message.Channel);
        Assert.Null(message.TriggerStatus);
        Assert.Equal("Your car is ready to collect.", message.CustomBody);
        Assert.Equal(Now, message.DueAt);
        Assert.Contains(Snackbar.ShownSnackbars, s => s.Message == "Queued for sending.");
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=channel-sms]")), Patience);
    }

    [Fact]
    public async Task Open_TemplateChosen_PreviewRenderedForTheCustomer()
    {
        await using (var db = await CreateDbAsync())
        {
            var smsTemplates = await db.MessageTemplates.CountAsync(t => t.Channel == MessageChannel.Sms && t.IsActive);
            Assert.Equal(1, smsTemplates); // the dialog picks a sole template by itself
        }

        OpenDialog();

        _dialogs.WaitForAssertion(() =>
        {
            var preview = _dialogs.Find("[data-testid=message-preview]").TextContent;
            Assert.Contains("Hi Carol", preview);
            Assert.DoesNotContain("{", preview);
        }, Patience);
    }
}
