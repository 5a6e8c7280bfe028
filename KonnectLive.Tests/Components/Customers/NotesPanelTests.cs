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
    private int _recordId;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private CustomerNoteService Notes => Ctx.Services.GetRequiredService<CustomerNoteService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Ctx.Render<MudPopoverProvider>();
        _dialogs = Ctx.Render<MudDialogProvider>();
        _recordId = await AddRecordAsync("Mrs", "Carol", "Customer");
        _customerId = (await GetRecordAsync(_recordId)).CustomerId;
    }

    private async Task<long> AddNoteAsync(UserScope by, string text)
    {
        var result = await Notes.AddAsync(by, _customerId, text);
        Assert.True(result.Succeeded, result.Message);
        Time.Advance(TimeSpan.FromMinutes(1));
        return result.Note!.Id;
    }

    private IRenderedComponent<NotesPanel> Render(Action? onChanged = null) =>
        Ctx.Render<NotesPanel>(p => p.Add(x => x.CustomerId, _customerId).Add(x => x.Scope, Me).Add(x => x.OnChanged, () => onChanged?.Invoke()));

    /// <summary>A call recorded with a note, as the calling service stores it (the call's record, not a panel note).</summary>
    private async Task<long> AddCallNoteAsync(UserScope by, string note)
    {
        await using var db = await CreateDbAsync();
        var attempt = new KonnectLive.Core.Calling.CallAttempt
        {
            SurveyRecordId = _recordId, CustomerId = _customerId, DealershipId = DealershipId, AgentId = by.UserId, AgentName = by.DisplayName,
            StartedAt = Now.AddMinutes(-2), DurationSeconds = 60, RecordedAt = Now, Note = note,
            OutcomeId = await db.CallOutcomes.Where(o => o.Name == "Voicemail").Select(o => o.Id).SingleAsync(),
        };
        db.CallAttempts.Add(attempt);
        await db.SaveChangesAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        return attempt.Id;
    }

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
    public async Task Render_NoteWithLineBreaks_KeepsThemAsTextShownPreLine()
    {
        await AddNoteAsync(Other, "Rang Tuesday: no answer.\r\nWife says after six.\n\n\nCall <b>Friday</b>.");
        var panel = Render();
        panel.WaitForElement("[data-testid=note-text]", Patience);

        var text = panel.Find("[data-testid=note-text]");
        Assert.Equal("Rang Tuesday: no answer.\nWife says after six.\n\nCall <b>Friday</b>.", text.TextContent);
        Assert.Contains("white-space: pre-line", text.GetAttribute("style"));
        Assert.Empty(text.QuerySelectorAll("b")); // text, never markup
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

    [Fact]
    public async Task Render_NoteWrittenWithACall_ListedAmongTheNotesMarkedAndReadOnlyAndCounted()
    {
        await AddNoteAsync(Other, "panel note");
        var call = await AddCallNoteAsync(Me, "Left a voicemail about the survey");

        var panel = Render();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=note-row]").Count), Patience);
        Assert.Equal("Notes (2)", panel.Find("[data-testid=notes-heading]").TextContent.Trim());
        var row = panel.FindAll("[data-testid=note-row]")[0];
        Assert.Equal(("call", call.ToString()), (row.GetAttribute("data-kind"), row.GetAttribute("data-call-id")));
        Assert.Contains("Call note · Voicemail", row.QuerySelector("[data-testid=call-note-chip]")!.TextContent);
        Assert.Equal("Left a voicemail about the survey", row.QuerySelector("[data-testid=note-text]")!.TextContent);
        // Written by me, but with the call: part of the call's record, so neither edited nor deleted here.
        Assert.Null(row.QuerySelector("[data-testid=edit-note]"));
        Assert.Null(row.QuerySelector("[data-testid=delete-note]"));
    }

    [Fact]
    public async Task LiveNote_AddedByAnotherAgent_AppearsWithoutReloadKeepingWhatIAmTypingAndWhatIExpanded()
    {
        var longText = "Start. " + string.Join(' ', Enumerable.Repeat("detail", 40)) + " End.";
        var longNote = await AddNoteAsync(Other, longText);
        var changed = 0;
        var panel = Render(() => changed++);
        panel.WaitForElement("[data-testid=note-text]", Patience);
        panel.Find("[data-testid=note-text]").Click();
        panel.WaitForAssertion(() => Assert.Equal(longText, panel.Find("[data-testid=note-text]").TextContent), Patience);
        TextArea(panel.Find("[data-testid=new-note]")).Input("Half-written thought");

        await Notes.AddAsync(Other, _customerId, "Bob just spoke to her"); // another agent, another circuit

        panel.WaitForAssertion(() =>
        {
            var rows = panel.FindAll("[data-testid=note-row]");
            Assert.Equal(2, rows.Count);
            Assert.Equal("Bob just spoke to her", rows[0].QuerySelector("[data-testid=note-text]")!.TextContent);
            Assert.Equal(longText, rows[1].QuerySelector("[data-testid=note-text]")!.TextContent); // still expanded
            Assert.Equal(longNote.ToString(), rows[1].GetAttribute("data-note-id"));
        }, Patience);
        Assert.Equal("Notes (2)", panel.Find("[data-testid=notes-heading]").TextContent.Trim());
        Assert.Equal("Half-written thought", TextArea(panel.Find("[data-testid=new-note]")).GetAttribute("value") ?? TextArea(panel.Find("[data-testid=new-note]")).TextContent);
        panel.WaitForAssertion(() => Assert.Equal(1, changed), Patience); // the page refreshes its summary and history too
    }

    [Fact]
    public async Task LiveNote_EditedAndDeletedElsewhere_ShownAndRemoved()
    {
        var theirs = await AddNoteAsync(Other, "first words");
        var panel = Render();
        panel.WaitForElement("[data-testid=note-row]", Patience);

        await Notes.EditAsync(Other, theirs, "second words");
        panel.WaitForAssertion(() => Assert.Equal("second words", panel.Find("[data-testid=note-text]").TextContent), Patience);
        await Notes.DeleteAsync(Other, theirs);
        panel.WaitForElement("[data-testid=no-notes]", Patience);
    }

    [Fact]
    public async Task LiveNote_AnotherCustomersNote_LeavesThisPanelAlone()
    {
        var otherCustomer = (await GetRecordAsync(await AddRecordAsync("Mr", "Dan", "Different"))).CustomerId;
        var changed = 0;
        var panel = Render(() => changed++);
        panel.WaitForElement("[data-testid=no-notes]", Patience);

        await Notes.AddAsync(Other, otherCustomer, "not for Carol");
        await Notes.AddAsync(Other, _customerId, "for Carol"); // heard after the other one: if that had reloaded, it is done by now

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=note-row]")), Patience);
        await Task.Delay(TimeSpan.FromSeconds(1)); // past the throttle's interval: a reload for Dan's note would have run by now
        Assert.DoesNotContain("not for Carol", panel.Markup);
        Assert.Equal(1, changed);
    }

    [Fact]
    public void Dispose_Panel_StopsListening()
    {
        var bus = Ctx.Services.GetRequiredService<KonnectLive.Core.Live.LiveEventBus>();
        var before = bus.SubscriberCount;
        var panel = Render();
        panel.WaitForElement("[data-testid=no-notes]", Patience);
        Assert.Equal(before + 1, bus.SubscriberCount);

        panel.Instance.Dispose();

        Assert.Equal(before, bus.SubscriberCount);
    }
}
