using Bunit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Surveys;
using KonnectLive.Desktop.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KonnectLive.Tests.Components.Shared;

public sealed class ProcessSummaryPanelTests : ComponentTest
{
    // 2 June 2025, 09:00 UTC: 10:00 on the UK clock (British Summer Time).
    private static readonly DateTime Now = new(2025, 6, 2, 9, 0, 0, DateTimeKind.Utc);

    public ProcessSummaryPanelTests()
    {
        Ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(Now)));
    }

    private static CallingView View(ProcessSummary? summary, int attempts = 2, DateTime? lastAttemptAt = null) =>
        new(1, "FOCUS-1", 1, "Mrs Ada Lovelace", 1, "Leeds Motors", "AB12 CDE", "Ford Puma", null, SurveyStatus.Awaiting, null,
            EventType.Sales, Now.AddDays(-10), attempts, lastAttemptAt, null, false, [], [], summary);

    private static ProcessSummary Summary(int attempts = 2) =>
        new(attempts, null, null, null, null, null, null, null, null, 0, null, null, null);

    private static string Text(IRenderedComponent<ProcessSummaryPanel> cut, string testId) =>
        string.Join(' ', cut.Find($"[data-testid={testId}]").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Render_ReservedCallBack_SaysWhenItIsDueAndWhoItIsKeptForUntilWhen()
    {
        var summary = Summary() with
        {
            LastOutcome = "Call back later", LastOutcomeBy = "Bob Jones", LastOutcomeAt = Now.AddHours(-1),
            CallbackDueAt = Now.AddHours(3), CallbackAgentName = "Bob Jones", ReservedUntil = Now.AddHours(4),
        };

        var cut = Ctx.Render<ProcessSummaryPanel>(p => p.Add(x => x.View, View(summary)));

        Assert.Equal("Due 13:00 · reserved for Bob Jones until 14:00", Text(cut, "summary-callback"));
        Assert.Equal("Call back later · Bob Jones · 02 Jun 2025 09:00", Text(cut, "summary-last-outcome"));
        Assert.Equal("Awaiting", Text(cut, "summary-status"));
    }

    [Fact]
    public void Render_ChaseEnded_SaysOffTheChaseListAndWhy()
    {
        var summary = Summary() with { ChaseEndedAt = Now.AddMinutes(-5), ChaseEndedReason = "Declined: No time" };

        var cut = Ctx.Render<ProcessSummaryPanel>(p => p.Add(x => x.View, View(summary)));

        Assert.Equal("Off the chase list: Declined: No time", Text(cut, "summary-chase-ended"));
        Assert.Empty(cut.FindAll("[data-testid=summary-callback]"));
    }

    [Fact]
    public void Render_LongLatestNote_ShowsTheCountAndTheFirst140CharactersWithAuthorAndTime()
    {
        var note = new string('a', 100) + " " + new string('b', 100);
        var summary = Summary() with { NoteCount = 3, LatestNote = note, LatestNoteBy = "Alice Agent", LatestNoteAt = Now.AddMinutes(-30) };

        var cut = Ctx.Render<ProcessSummaryPanel>(p => p.Add(x => x.View, View(summary)));

        Assert.StartsWith("3 notes; the latest:", Text(cut, "summary-notes"));
        Assert.Equal("“" + note[..140] + "…”", cut.Find("[data-testid=summary-latest-note]").TextContent);
        Assert.EndsWith("Alice Agent · 02 Jun 2025 09:30", Text(cut, "summary-notes"));
    }

    [Fact]
    public void Render_NeverCalledNoSummary_SaysNeverCalledAndNoNotes()
    {
        var cut = Ctx.Render<ProcessSummaryPanel>(p => p.Add(x => x.View, View(null, attempts: 0)));

        Assert.Equal("Never called", Text(cut, "summary-last-outcome"));
        Assert.Equal("0", Text(cut, "summary-attempts"));
        Assert.Equal("None yet", Text(cut, "summary-notes"));
    }
}
