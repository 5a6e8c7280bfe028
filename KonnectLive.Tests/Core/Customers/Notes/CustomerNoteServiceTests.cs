using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Notes;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Notes;

public sealed class CustomerNoteServiceTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private int _dealershipId;
    private int _otherDealershipId;
    private int _customerId;
    private UserScope _alice = null!;
    private UserScope _bob = null!;
    private UserScope _otherDealershipAgent = null!;

    private CustomerNoteService Notes => _db.Services.GetRequiredService<CustomerNoteService>();

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _dealershipId = (await _db.AddDealershipAsync()).Id;
        _otherDealershipId = (await _db.AddDealershipAsync("Southside Cars")).Id;
        _customerId = (await _db.AddAwaitingRecordAsync(_dealershipId, phones: "+447700900001")).CustomerId;
        _alice = CoreTestDatabase.Agent("Alice Agent", _dealershipId);
        _bob = CoreTestDatabase.Agent("Bob Jones", _dealershipId);
        _otherDealershipAgent = CoreTestDatabase.Agent("Olga Other", _otherDealershipId);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> AddAsync(UserScope by, string text)
    {
        var result = await Notes.AddAsync(by, _customerId, text);
        Assert.True(result.Succeeded, result.Message);
        return result.Note!.Id;
    }

    private async Task<CustomerNote?> NoteAsync(long id)
    {
        await using var db = _db.NewDbContext();
        return await db.CustomerNotes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id);
    }

    private async Task<List<KonnectLive.Core.Audit.AuditEntry>> AuditAsync(string action)
    {
        await using var db = _db.NewDbContext();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task Add_AgentOfCustomersDealership_StoredWithAuthorAndTimeAndAudited()
    {
        var result = await Notes.AddAsync(_alice, _customerId, "  Asked to be called after 5pm.  ");

        Assert.True(result.Succeeded, result.Message);
        var note = await NoteAsync(result.Note!.Id);
        Assert.NotNull(note);
        Assert.Equal("Asked to be called after 5pm.", note.Text);
        Assert.Equal(_alice.UserId, note.AuthorId);
        Assert.Equal("Alice Agent", note.AuthorName);
        Assert.Equal(_db.Now, note.CreatedAt);
        Assert.Null(note.EditedAt);
        var audit = Assert.Single(await AuditAsync("note.added"));
        Assert.Equal(_alice.UserId, audit.UserId);
        Assert.Equal(_customerId, audit.CustomerId);
        Assert.Equal(note.Id.ToString(), audit.EntityId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Add_BlankText_RefusedAndNothingStored(string text)
    {
        var result = await Notes.AddAsync(_alice, _customerId, text);

        Assert.False(result.Succeeded);
        Assert.Equal("Write the note first.", result.Message);
        Assert.Equal(0, (await Notes.ListAsync(_alice, _customerId)).Total);
    }

    [Fact]
    public async Task Add_TextOver4000Characters_RefusedAnd4000Accepted()
    {
        var tooLong = await Notes.AddAsync(_alice, _customerId, new string('x', 4001));
        var longest = await Notes.AddAsync(_alice, _customerId, new string('x', 4000));

        Assert.False(tooLong.Succeeded);
        Assert.Equal("A note can be at most 4,000 characters.", tooLong.Message);
        Assert.True(longest.Succeeded, longest.Message);
        Assert.Equal(1, (await Notes.ListAsync(_alice, _customerId)).Total);
    }

    [Fact]
    public async Task Add_AgentOfAnotherDealership_RefusedAsNotFoundAndNothingStored()
    {
        var result = await Notes.AddAsync(_otherDealershipAgent, _customerId, "Should not land");

        Assert.False(result.Succeeded);
        Assert.Equal(CustomerNoteService.NotFound, result.Message);
        Assert.Equal(0, (await Notes.ListAsync(_alice, _customerId)).Total);
        Assert.Empty(await AuditAsync("note.added"));
    }

    [Fact]
    public async Task Add_CallAttemptOfAnotherCustomer_Refused()
    {
        var result = await Notes.AddAsync(_alice, _customerId, "On a call", callAttemptId: 987654);

        Assert.False(result.Succeeded);
        Assert.Equal(0, (await Notes.ListAsync(_alice, _customerId)).Total);
    }

    [Fact]
    public async Task List_SeveralNotes_NewestFirstWithAuthorsAndOwnershipPaged()
    {
        var first = await AddAsync(_alice, "first");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await AddAsync(_bob, "second");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        var third = await AddAsync(_alice, "third");

        var page = await Notes.ListAsync(_alice, _customerId, skip: 0, take: 2);
        var rest = await Notes.ListAsync(_alice, _customerId, skip: 2, take: 2);

        Assert.Equal(3, page.Total);
        Assert.Equal([third, second], page.Rows.Select(r => r.Id));
        Assert.Equal([true, false], page.Rows.Select(r => r.IsMine));
        Assert.Equal("Bob Jones", page.Rows[1].AuthorName);
        Assert.Equal([first], rest.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task List_AgentOfAnotherDealership_SeesNothing()
    {
        await AddAsync(_alice, "private to Northgate");

        var page = await Notes.ListAsync(_otherDealershipAgent, _customerId);

        Assert.Equal(0, page.Total);
        Assert.Empty(page.Rows);
    }

    [Fact]
    public async Task List_HeadOfficeUser_SeesEveryDealershipsNotes()
    {
        await AddAsync(_alice, "visible to head office");
        var headOffice = CoreTestDatabase.Agent("Hana Head", dealershipId: null);

        var page = await Notes.ListAsync(headOffice, _customerId);

        Assert.Equal("visible to head office", Assert.Single(page.Rows).Text);
    }

    [Fact]
    public async Task Edit_ByAuthor_TextChangedEditedAtSetAndAuditedWithOldAndNew()
    {
        var id = await AddAsync(_alice, "Customer prefers email");
        _db.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await Notes.EditAsync(_alice, id, "Customer prefers SMS");

        Assert.True(result.Succeeded, result.Message);
        var note = (await NoteAsync(id))!;
        Assert.Equal("Customer prefers SMS", note.Text);
        Assert.Equal(_db.Now, note.EditedAt);
        var audit = Assert.Single(await AuditAsync("note.edited"));
        Assert.Equal("\"Customer prefers email\" → \"Customer prefers SMS\"", audit.Details);
        Assert.Equal(_alice.UserId, audit.UserId);
        Assert.Equal(_customerId, audit.CustomerId);
    }

    [Fact]
    public async Task Edit_ByAnotherAgentOfSameDealership_RefusedAndNothingChanged()
    {
        var id = await AddAsync(_alice, "Alice's own words");

        var result = await Notes.EditAsync(_bob, id, "Bob rewrote it");

        Assert.False(result.Succeeded);
        Assert.Equal(CustomerNoteService.NotAuthor, result.Message);
        var note = (await NoteAsync(id))!;
        Assert.Equal("Alice's own words", note.Text);
        Assert.Null(note.EditedAt);
        Assert.Empty(await AuditAsync("note.edited"));
    }

    [Fact]
    public async Task Edit_ByAdminWhoIsNotAuthor_Refused()
    {
        var id = await AddAsync(_alice, "Alice's own words");
        var admin = new UserScope("admin-1", "Ada Admin", null, true, [Roles.Admin]);

        var result = await Notes.EditAsync(admin, id, "Admin rewrote it");

        Assert.False(result.Succeeded);
        Assert.Equal("Alice's own words", (await NoteAsync(id))!.Text);
    }

    [Fact]
    public async Task Edit_ByAuthorWithInvalidText_RefusedAndNothingChanged()
    {
        var id = await AddAsync(_alice, "keep me");

        var result = await Notes.EditAsync(_alice, id, new string('y', 4001));

        Assert.False(result.Succeeded);
        Assert.Equal("keep me", (await NoteAsync(id))!.Text);
    }

    [Fact]
    public async Task Delete_ByAuthor_RemovedAndAuditedWithWholeText()
    {
        var id = await AddAsync(_alice, "Wrong customer, sorry");

        var result = await Notes.DeleteAsync(_alice, id);

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(await NoteAsync(id));
        var audit = Assert.Single(await AuditAsync("note.deleted"));
        Assert.Equal("Wrong customer, sorry", audit.Details);
        Assert.Equal(id.ToString(), audit.EntityId);
        Assert.Equal(_customerId, audit.CustomerId);
    }

    [Fact]
    public async Task Delete_ByAnotherAgent_RefusedAndNoteKept()
    {
        var id = await AddAsync(_alice, "Alice's note");

        var result = await Notes.DeleteAsync(_bob, id);

        Assert.False(result.Succeeded);
        Assert.Equal(CustomerNoteService.NotAuthor, result.Message);
        Assert.NotNull(await NoteAsync(id));
        Assert.Empty(await AuditAsync("note.deleted"));
    }

    [Fact]
    public async Task Delete_ByAgentOfAnotherDealership_RefusedAsMissing()
    {
        var id = await AddAsync(_alice, "Alice's note");

        var result = await Notes.DeleteAsync(_otherDealershipAgent, id);

        Assert.False(result.Succeeded);
        Assert.Equal(CustomerNoteService.NoteNotFound, result.Message);
        Assert.NotNull(await NoteAsync(id));
    }

    [Fact]
    public void Excerpt_LongText_CutAtAWordWithEllipsisAndWhitespaceCollapsed()
    {
        var text = "Line one\n\nline two " + string.Join(' ', Enumerable.Repeat("word", 60));

        var excerpt = CustomerNoteService.Excerpt(text);

        Assert.StartsWith("Line one line two word", excerpt);
        Assert.EndsWith("word…", excerpt);
        Assert.True(excerpt.Length <= 121, $"{excerpt.Length} characters");
    }

    [Fact]
    public async Task AddEditDelete_ByAuthor_EachAnnouncedForTheCustomerWithoutTheText()
    {
        _db.ClearEvents();
        var id = await AddAsync(_alice, "Secret-ish: prefers evenings");
        await Notes.EditAsync(_alice, id, "Secret-ish: prefers mornings");
        await Notes.DeleteAsync(_alice, id);

        Assert.Equal([CustomerNoteService.AddedReason, CustomerNoteService.EditedReason, CustomerNoteService.DeletedReason],
            _db.Events.Select(e => e.Reason));
        Assert.All(_db.Events, e =>
        {
            Assert.Equal(LiveEventKind.NoteChanged, e.Kind);
            Assert.Equal(_customerId, e.CustomerId);
            Assert.Equal(_dealershipId, e.DealershipId); // the hub sends it to this dealership's group only
            Assert.Equal(_alice.UserId, e.AgentId);
            Assert.False(e.AffectsTheChase);
            Assert.DoesNotContain("Secret", System.Text.Json.JsonSerializer.Serialize(e)); // it crosses SignalR
        });
    }

    [Fact]
    public async Task AddEditDelete_Refused_AnnounceNothing()
    {
        var id = await AddAsync(_alice, "Alice's note");
        _db.ClearEvents();

        await Notes.AddAsync(_otherDealershipAgent, _customerId, "Should not land");
        await Notes.AddAsync(_alice, _customerId, "  ");
        await Notes.EditAsync(_bob, id, "Bob rewrote it");
        await Notes.EditAsync(_alice, id, "Alice's note"); // unchanged
        await Notes.DeleteAsync(_bob, id);

        Assert.Empty(_db.Events);
    }

    [Fact]
    public async Task List_NotesWrittenWithCalls_ListedAmongTheNotesMarkedReadOnlyAndCounted()
    {
        var record = await _db.GetRecordAsync((await _db.AddAwaitingRecordAsync(_dealershipId, "Carl", "Caller", phones: "+447700900002")).Id);
        var customerId = record.CustomerId;
        await Notes.AddAsync(_bob, customerId, "Panel note, oldest");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        var call = await AddCallAsync(record, _alice, "Call note: will do the survey tonight");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await AddCallAsync(record, _alice, note: null); // a call without a note is not a note
        var newest = (await Notes.AddAsync(_alice, customerId, "Panel note, newest")).Note!.Id;

        var page = await Notes.ListAsync(_alice, customerId);

        Assert.Equal(3, page.Total);
        Assert.Equal(["Panel note, newest", "Call note: will do the survey tonight", "Panel note, oldest"], page.Rows.Select(r => r.Text));
        Assert.Equal([NoteKind.Note, NoteKind.CallNote, NoteKind.Note], page.Rows.Select(r => r.Kind));
        var callNote = page.Rows[1];
        Assert.Equal((call.Id, "Alice Agent", "No answer", true, false), (callNote.Id, callNote.AuthorName, callNote.Outcome, callNote.IsMine, callNote.CanChange));
        Assert.True(page.Rows[0].CanChange);
        Assert.Equal(newest, page.Rows[0].Id);
        Assert.NotEqual(page.Rows[0] with { Kind = NoteKind.CallNote }, page.Rows[0]); // a note and a call may share an id: keys differ
        Assert.NotEqual((page.Rows[0] with { Kind = NoteKind.CallNote }).Key, page.Rows[0].Key);
        // Paging runs across both kinds.
        Assert.Equal(["Call note: will do the survey tonight"], (await Notes.ListAsync(_alice, customerId, skip: 1, take: 1)).Rows.Select(r => r.Text));
    }

    [Fact]
    public async Task ListAndProcessSummary_SameCustomer_AgreeOnTheCountAndTheLatest()
    {
        var record = await _db.GetRecordAsync((await _db.AddAwaitingRecordAsync(_dealershipId, "Dora", "Dialled", phones: "+447700900003")).Id);
        await Notes.AddAsync(_alice, record.CustomerId, "Panel note");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await AddCallAsync(record, _bob, "Written with the call");

        var page = await Notes.ListAsync(_alice, record.CustomerId);
        var summary = (await _db.Calling.GetViewAsync(_alice, record.Id))!.Summary!;

        Assert.Equal(2, page.Total);
        Assert.Equal(page.Total, summary.NoteCount);
        Assert.Equal((page.Rows[0].Text, page.Rows[0].AuthorName, page.Rows[0].CreatedAt),
            (summary.LatestNote, summary.LatestNoteBy, summary.LatestNoteAt));
    }

    private async Task<CallAttempt> AddCallAsync(SurveyRecord record, UserScope agent, string? note)
    {
        await using var db = _db.NewDbContext();
        var attempt = new CallAttempt
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, AgentId = agent.UserId,
            AgentName = agent.DisplayName, StartedAt = _db.Now.AddMinutes(-2), DurationSeconds = 60, RecordedAt = _db.Now,
            OutcomeId = await _db.OutcomeIdAsync("No answer"), Note = note,
        };
        db.CallAttempts.Add(attempt);
        await db.SaveChangesAsync();
        return attempt;
    }
}
