using AngleSharp.Dom;
using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Desktop.Components.Shared;

namespace KonnectLive.Tests.Components.Shared;

public sealed class UnsubscribeMatrixTests : ComponentTest
{
    // Mobile: nothing unsubscribed yet. Home: already unsubscribed from calls. Work: already unsubscribed from SMS.
    private static readonly PhoneView Mobile = new(21, 1, "+447400123456", "Mobile", CallUnsubscribed: false, SmsUnsubscribed: false);
    private static readonly PhoneView Home = new(22, 2, "+442079460000", "Home", CallUnsubscribed: true, SmsUnsubscribed: false);
    private static readonly PhoneView Work = new(23, 3, "+447400654321", "Work", CallUnsubscribed: false, SmsUnsubscribed: true);

    private readonly List<UnsubscribeRequest> _confirmed = [];
    private int _cancelled;

    private IRenderedComponent<UnsubscribeMatrix> RenderMatrix(string? email = "ada@example.test", bool emailUnsubscribed = false) =>
        Ctx.Render<UnsubscribeMatrix>(p => p
            .Add(x => x.Phones, [Mobile, Home, Work])
            .Add(x => x.Email, email)
            .Add(x => x.EmailUnsubscribed, emailUnsubscribed)
            .Add(x => x.OnConfirm, (UnsubscribeRequest r) => _confirmed.Add(r))
            .Add(x => x.OnCancel, () => _cancelled++));

    private static IElement Box(IRenderedComponent<UnsubscribeMatrix> cut, int row, int index) =>
        cut.FindAll("[data-testid=matrix-row]")[row].QuerySelectorAll("input[type=checkbox]")[index];

    private static IElement ConfirmButton(IRenderedComponent<UnsubscribeMatrix> cut) => cut.Find("[data-testid=unsubscribe-confirm]");

    [Fact]
    public void Render_PhonesAndEmail_ShowsRowPerPhoneWithCallAndSmsAndEmailRow()
    {
        var cut = RenderMatrix();

        var rows = cut.FindAll("[data-testid=matrix-row]");
        Assert.Equal(4, rows.Count);
        Assert.Contains("07400 123456", rows[0].TextContent);
        Assert.Contains("ada@example.test", rows[3].TextContent);
        Assert.All(rows.Take(3), r => Assert.Equal(2, r.QuerySelectorAll("input[type=checkbox]").Length));
        Assert.Single(rows[3].QuerySelectorAll("input[type=checkbox]"));
    }

    [Fact]
    public void Render_NoEmail_HasNoEmailRow()
    {
        var cut = RenderMatrix(email: null);

        Assert.Equal(3, cut.FindAll("[data-testid=matrix-row]").Count);
    }

    [Fact]
    public void Render_AlreadyUnsubscribedChannels_AreTickedAndDisabled()
    {
        var cut = RenderMatrix(emailUnsubscribed: true);

        var homeCall = Box(cut, 1, 0);
        var workSms = Box(cut, 2, 1);
        var email = Box(cut, 3, 0);
        foreach (var box in new[] { homeCall, workSms, email })
        {
            Assert.True(box.IsChecked(), box.OuterHtml);
            Assert.True(box.HasAttribute("disabled"), box.OuterHtml);
        }
        var mobileCall = Box(cut, 0, 0);
        Assert.False(mobileCall.IsChecked());
        Assert.False(mobileCall.HasAttribute("disabled"));
    }

    [Fact]
    public void Confirm_NothingNewTicked_IsDisabled()
    {
        var cut = RenderMatrix(emailUnsubscribed: true);

        Assert.True(ConfirmButton(cut).HasAttribute("disabled"));
    }

    [Fact]
    public void Confirm_TickedThenUnticked_IsDisabledAgain()
    {
        var cut = RenderMatrix();

        Box(cut, 0, 0).Change(true);
        Assert.False(ConfirmButton(cut).HasAttribute("disabled"));

        Box(cut, 0, 0).Change(false);
        Assert.True(ConfirmButton(cut).HasAttribute("disabled"));
    }

    [Fact]
    public async Task Confirm_AfterTicking_PassesOnlyTheNewlyTickedChannels()
    {
        var cut = RenderMatrix();

        Box(cut, 0, 0).Change(true); // Mobile × Call
        Box(cut, 1, 1).Change(true); // Home × SMS
        Box(cut, 3, 0).Change(true); // email
        await ConfirmButton(cut).ClickAsync(new());

        var request = Assert.Single(_confirmed);
        Assert.Equal([Mobile.Id], request.CallPhoneIds);
        Assert.Equal([Home.Id], request.SmsPhoneIds);
        Assert.True(request.Email);
        Assert.Equal(0, _cancelled);
    }

    [Fact]
    public async Task Confirm_PhoneOnly_DoesNotUnsubscribeEmail()
    {
        var cut = RenderMatrix();

        Box(cut, 2, 0).Change(true); // Work × Call
        await ConfirmButton(cut).ClickAsync(new());

        var request = Assert.Single(_confirmed);
        Assert.Equal([Work.Id], request.CallPhoneIds);
        Assert.Empty(request.SmsPhoneIds);
        Assert.False(request.Email);
    }

    [Fact]
    public async Task Cancel_Clicked_InvokesOnCancelAndNotOnConfirm()
    {
        var cut = RenderMatrix();
        Box(cut, 0, 0).Change(true);

        await cut.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());

        Assert.Equal(1, _cancelled);
        Assert.Empty(_confirmed);
    }
}
