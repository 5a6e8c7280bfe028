using AngleSharp.Dom;
using Bunit;
using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Components.Pages.Csi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Customers;

public sealed class NotesPanelTests : CsiPageTest
{
    private int _customerId;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private CustomerNoteService Notes => Ctx.Services.GetRequiredService<CustomerNoteService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Ctx.Render<MudPopoverProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        _customerId = (await GetRecordAsync(await AddRecordAsync("Mrs", "Carol", "Customer"))).CustomerId;
    }

    private async Task<long> AddNoteAsync(UserScope by, string text)
    {
        var result = await Notes.AddAsync(by, _customerId, text);
        Assert.True(result.Succeeded, result.Message);
        Time.Advance(TimeSpan.FromMinutes(1));
        return result.Note!.Id;
    }

    private IRenderedComponent<NotesPanel> Render() =>
        Ctx.Render<NotesPanel>(p => p.Add(x => x.CustomerId, _customerId).Add(x => x.Scope, Me));

    private static IElement TextArea(IElement field) =>
        field.TagName == "TEXTAREA" ? field : field.QuerySelector("textarea")!;

    [Fact]
    public async Task Render_NotesByTwoAgents_NewestFirstWithDateTimeAndAuthor()
    {
        var oldest = await AddNoteAsync(Other, "Bob called, no answer");
        var newest = await AddNoteAsync(Me, "Left a voicemail");

        var panel = Render();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=note-row]").Count), Patience);
        var rows = panel.FindAll("[data-testid=note-row]");
        Assert.Equal([newest.ToString(), oldest.ToString()], rows.Select(r => r.GetAttribute("data-note-id")));
        Assert.Contains("Alice Agent", rows[0].QuerySelector("[data-testid=note-meta]")!.TextContent);
        Assert.Contains("02 Jun 2025 10:01", rows[0].QuerySelector("[data-testid=note-meta]")!.TextContent); // 09:01 UTC in BST
        Assert.Contains("Bob Jones", rows[1].QuerySelector("[data-testid=note-meta]")!.TextContent);
        Assert.Equal("Bob called, no answer", rows[1].QuerySelector("[data-testid=note-text]")!.TextContent);
    }

    [Fact]
    public async Task Render_OwnAndOthersNotes_EditAndDeleteOnlyOnOwn()
    {
        var mine = await AddNoteAsync(Me, "mine");
        var theirs = await AddNoteAsync(Other, "theirs");

        var panel = Render();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=note-row]").Count), Patience);
        var own = panel.Find($"[data-note-id='{mine}']");
        var others = panel.Find($"[data-note-id='{theirs}']");
        Assert.NotNull(own.QuerySelector("[data-testid=edit-note]"));
        Assert.NotNull(own.QuerySelector("[data-testid=delete-note]"));
        Assert.Null(others.QuerySelector("[data-testid=edit-note]"));
        Assert.Null(others.QuerySelector("[data-testid=delete-note]"));
    }

    [Fact]
    public async Task Add_TypedNote_ShownAtTopAndStoredAsMine()
    {
        await AddNoteAsync(Other, "older note");
        var panel = Render();
        panel.WaitForElement("[data-testid=note-row]", Patience);

        TextArea(panel.Find("[data-testid=new-note]")).Input("Customer will call back on Friday");
        await panel.Find("[data-testid=add-note]").ClickAsync(new());

        panel.WaitForAssertion(() =>
        {
            var first = panel.FindAll("[data-testid=note-row]")[0];
            Assert.Equal("Customer will call back on Friday", first.QuerySelector("[data-testid=note-text]")!.TextContent);
            Assert.Equal("true", first.GetAttribute("data-mine"));
        }, Patience);
        await using var db = await CreateDbAsync();
        var stored = await db.CustomerNotes.SingleAsync(n => n.Text == "Customer will call back on Friday");
        Assert.Equal(Me.UserId, stored.AuthorId);
        Assert.Contains(Snackbar.ShownSnackbars, s => s.Message == "Note added.");
    }

    [Fact]
    public async Task Click_LongNoteExcerpt_ExpandsToFullText()
    {
        var text = "Start. " + string.Join(' ', Enumerable.Repeat("detail", 40)) + " End of the note.";
        await AddNoteAsync(Other, text);
        var panel = Render();
        panel.WaitForElement("[data-testid=note-text]", Patience);
        Assert.EndsWith("…", panel.Find("[data-testid=note-text]").TextContent);

        panel.Find("[data-testid=note-text]").Click();

        panel.WaitForAssertion(() => Assert.Equal(text, panel.Find("[data-testid=note-text]").TextContent), Patience);
    }

    [Fact]
    public async Task Edit_OwnNote_SavedAndShown()
    {
        var id = await AddNoteAsync(Me, "first draft");
        var panel = Render();
        panel.WaitForElement("[data-testid=edit-note]", Patience);

        panel.Find("[data-testid=edit-note]").Click();
        TextArea(panel.Find("[data-testid=edit-note-text]")).Input("second draft");
        await panel.Find("[data-testid=save-note]").ClickAsync(new());

        panel.WaitForAssertion(() =>
        {
            Assert.Equal("second draft", panel.Find("[data-testid=note-text]").TextContent);
            Assert.Contains("edited", panel.Find("[data-testid=note-meta]").TextContent);
        }, Patience);
        await using var db = await CreateDbAsync();
        Assert.Equal("second draft", (await db.CustomerNotes.SingleAsync(n => n.Id == id)).Text);
    }

    [Fact]
    public async Task Delete_OwnNoteConfirmed_RemovedFromListAndDatabase()
    {
        var id = await AddNoteAsync(Me, "delete me");
        var panel = Render();
        panel.WaitForElement("[data-testid=delete-note]", Patience);

        panel.Find("[data-testid=delete-note]").Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Delete this note?", _dialogs.Markup), Patience);
        await _dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Delete").ClickAsync(new());

        panel.WaitForElement("[data-testid=no-notes]", Patience);
        await using var db = await CreateDbAsync();
        Assert.False(await db.CustomerNotes.AnyAsync(n => n.Id == id));
    }
}
