using Bunit;
using KonnectLive.Desktop.Components.Pages.Configuration;
using KonnectLive.Desktop.Components.Pages.Messages;
using KonnectLive.Tests.Components.Pages.Csi;
using MudBlazor;

namespace KonnectLive.Tests.Components.Messaging;

public sealed class MessagingPagesTests : CsiPageTest
{
    [Fact]
    public async Task Templates_EditSeededSms_PreviewRenderedAgainstRecordWithSmsCount()
    {
        await AddRecordAsync("Mrs", "Alice", "Archer");
        Ctx.Render<MudPopoverProvider>();
        var page = Ctx.Render<Templates>();
        page.WaitForAssertion(() => Assert.Equal(global::KonnectLive.Core.Data.DatabaseInitializer.DefaultTemplates(DateTime.UtcNow).Count(), page.FindAll("[data-testid=template-row]").Count), Patience);

        var smsRow = page.FindAll("[data-testid=template-row]").First(r => r.TextContent.Contains("SMS"));
        smsRow.QuerySelector("[data-testid=edit-template]")!.Click();

        page.WaitForAssertion(() =>
        {
            Assert.StartsWith("Hi Alice, thank you for choosing Leeds Motors. Please tell us about your Ford Puma: https://survey.example.com/r/FOCUS-",
                page.Find("[data-testid=preview-body]").TextContent);
            Assert.Contains("GSM-7", page.Find("[data-testid=sms-count]").TextContent);
        }, Patience);
    }

    [Fact]
    public async Task Messages_Renders_ForTheSignedInUsersDealership()
    {
        await AddRecordAsync("Mrs", "Alice", "Archer");
        Ctx.Render<MudPopoverProvider>();

        var page = Ctx.Render<KonnectLive.Desktop.Components.Pages.Messages.Messages>();

        page.WaitForAssertion(() => Assert.Contains("No messages match", page.Markup), Patience);
    }
}
