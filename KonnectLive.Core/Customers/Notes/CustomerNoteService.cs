using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Notes;

/// <summary>
/// One note as the notes panel shows it (see <see cref="ConversationNotes"/>). <see cref="IsMine"/> says whether the viewer wrote
/// it; only the author's own panel notes may be edited or deleted (<see cref="CanChange"/>): a call note belongs to its call.
/// For a call note, <see cref="Id"/> and <see cref="CallAttemptId"/> are the call's id and <see cref="Outcome"/> its outcome.
/// </summary>
public sealed record NoteRow(
    long Id, int CustomerId, string AuthorName, string Text, DateTime CreatedAt, DateTime? EditedAt, long? CallAttemptId, bool IsMine,
    NoteKind Kind = NoteKind.Note, string? Outcome = null)
{
    /// <summary>The note before it is expanded, its line breaks kept (<see cref="CustomerNoteService.Preview"/>).</summary>
    public string Excerpt => CustomerNoteService.Preview(Text);
    public bool CanChange => IsMine && Kind == NoteKind.Note;
    /// <summary>Unique across both kinds (a note and a call may share an id).</summary>
    public string Key => Kind == NoteKind.CallNote ? $"call-{Id}" : $"note-{Id}";
}

public sealed record NotePage(IReadOnlyList<NoteRow> Rows, int Total);

public sealed record NoteResult(bool Succeeded, string Message, NoteRow? Note = null)
{
    internal static NoteResult Fail(string message) => new(false, message);
}

/// <summary>
/// Notes on a customer. Anyone who may see the customer's dealership reads and adds them; only a note's author edits
/// or deletes it — checked here, against the user loaded from the database, whatever the page shows. Every change is
/// audited with the text it replaced or removed, in the same transaction as the change, and announced after the commit
/// (<see cref="LiveEventKind.NoteChanged"/>: who and which customer, never the text) so every open notes panel reloads.
/// </summary>
public sealed class CustomerNoteService(
    IDbContextFactory<KonnectDbContext> dbFactory, IValidator<NoteInput> validator, TimeProvider time, ILiveEventPublisher live)
{
    public const string AddedReason = "note added";
    public const string EditedReason = "note edited";
    public const string DeletedReason = "note deleted";

    public const string NotFound = "Customer not found.";
    public const string NoteNotFound = "That note no longer exists.";
    public const string NotAuthor = "Only the note's author can change or delete it.";
    private const int ExcerptLength = 120;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// A customer's notes — the panel's and the calls' (<see cref="ConversationNotes"/>) — newest first; an empty page when
    /// the user may not see the customer. <see cref="NotePage.Total"/> is the count the process summary shows too.
    /// </summary>
    public async Task<NotePage> ListAsync(UserScope user, int customerId, int skip = 0, int take = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await VisibleDealershipAsync(db, user, customerId, ct) is null) return new NotePage([], 0);
        var total = await ConversationNotes.CountAsync(db, customerId, ct);
        var rows = await ConversationNotes.PageAsync(db, customerId, user.UserId, Math.Max(0, skip), Math.Clamp(take, 1, 200), ct);
        return new NotePage(rows, total);
    }

    public async Task<NoteResult> AddAsync(UserScope user, int customerId, string text, long? callAttemptId = null, CancellationToken ct = default)
    {
        if (Invalid(text) is { } error) return NoteResult.Fail(error);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await VisibleDealershipAsync(db, user, customerId, ct) is not { } dealershipId) return NoteResult.Fail(NotFound);
        // A note linked to a call must be linked to one of this customer's calls.
        if (callAttemptId is { } attemptId && !await db.CallAttempts.AnyAsync(a => a.Id == attemptId && a.CustomerId == customerId, ct))
            return NoteResult.Fail("That call is not one of this customer's.");

        var note = new CustomerNote
        {
            CustomerId = customerId, AuthorId = user.UserId, AuthorName = Truncate(user.DisplayName, 100), Text = text.Trim(),
            CreatedAt = Now, CallAttemptId = callAttemptId,
        };
        db.CustomerNotes.Add(note);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, note.CreatedAt, user, "note.added", nameof(CustomerNote), note.Id.ToString(), Excerpt(note.Text), customerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await AnnounceAsync(dealershipId, customerId, user, AddedReason, ct);
        return new NoteResult(true, "Note added.", ToRow(note, user));
    }

    public async Task<NoteResult> EditAsync(UserScope user, long noteId, string text, CancellationToken ct = default)
    {
        if (Invalid(text) is { } error) return NoteResult.Fail(error);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (note, dealershipId, refusal) = await FindOwnAsync(db, user, noteId, ct);
        if (note is null) return NoteResult.Fail(refusal!);

        var old = note.Text;
        note.Text = text.Trim();
        if (note.Text == old) return new NoteResult(true, "No changes to save.", ToRow(note, user));
        note.EditedAt = Now;
        AuditLog.Add(db, Now, user, "note.edited", nameof(CustomerNote), note.Id.ToString(),
            $"\"{Excerpt(old)}\" → \"{Excerpt(note.Text)}\"", note.CustomerId);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return NoteResult.Fail(NoteNotFound); } // deleted in another tab meanwhile
        await AnnounceAsync(dealershipId, note.CustomerId, user, EditedReason, ct);
        return new NoteResult(true, "Note saved.", ToRow(note, user));
    }

    public async Task<NoteResult> DeleteAsync(UserScope user, long noteId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (note, dealershipId, refusal) = await FindOwnAsync(db, user, noteId, ct);
        if (note is null) return NoteResult.Fail(refusal!);

        db.CustomerNotes.Remove(note);
        // The whole text, so a deleted note can still be read from the audit log.
        AuditLog.Add(db, Now, user, "note.deleted", nameof(CustomerNote), note.Id.ToString(), note.Text, note.CustomerId);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return NoteResult.Fail(NoteNotFound); }
        await AnnounceAsync(dealershipId, note.CustomerId, user, DeletedReason, ct);
        return new NoteResult(true, "Note deleted.");
    }

    /// <summary>The first line-ish of a note, whitespace collapsed, cut at a word where possible.</summary>
    /// <summary>
    /// A note as the panels show it before it is expanded: the agent's line breaks kept (shown with CSS white-space:
    /// pre-line, as text, never as HTML), spaces inside a line and runs of blank lines collapsed, at most
    /// <see cref="PreviewLines"/> lines and about 120 characters. <see cref="Excerpt"/> stays one line, for the audit log.
    /// </summary>
    public static string Preview(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n')
            .Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ToList();
        var kept = new List<string>(lines.Count);
        foreach (var line in lines)
            if (line.Length > 0 || (kept.Count > 0 && kept[^1].Length > 0)) kept.Add(line); // one blank line between paragraphs at most
        while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        var joined = string.Join('\n', kept.Take(PreviewLines));
        var cut = kept.Count > PreviewLines;
        if (joined.Length > ExcerptLength)
        {
            var at = joined.LastIndexOfAny([' ', '\n'], ExcerptLength);
            joined = joined[..(at > ExcerptLength / 2 ? at : ExcerptLength)].TrimEnd();
            cut = true;
        }
        return cut ? joined + "…" : joined;
    }

    public const int PreviewLines = 4;

    public static string Excerpt(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= ExcerptLength) return flat;
        var cut = flat.LastIndexOf(' ', ExcerptLength);
        return flat[..(cut > ExcerptLength / 2 ? cut : ExcerptLength)] + "…";
    }

    /// <summary>The note, tracked, and its customer's dealership, if the user may see its customer and wrote it; otherwise why not.</summary>
    private static async Task<(CustomerNote? Note, int DealershipId, string? Refusal)> FindOwnAsync(KonnectDbContext db, UserScope user,
        long noteId, CancellationToken ct)
    {
        var found = await (from n in db.CustomerNotes
                           join c in db.Customers on n.CustomerId equals c.Id
                           where n.Id == noteId
                           select new { Note = n, c.DealershipId }).FirstOrDefaultAsync(ct);
        // Another dealership's note is reported as missing, not as someone else's: its existence is not the user's business.
        if (found is null || !user.CanSee(found.DealershipId)) return (null, 0, NoteNotFound);
        if (found.Note.AuthorId != user.UserId) return (null, 0, NotAuthor);
        return (found.Note, found.DealershipId, null);
    }

    /// <summary>The customer's dealership, when the customer exists and the user may see it.</summary>
    private static async Task<int?> VisibleDealershipAsync(KonnectDbContext db, UserScope user, int customerId, CancellationToken ct)
    {
        var dealershipId = await db.Customers.Where(c => c.Id == customerId).Select(c => (int?)c.DealershipId).FirstOrDefaultAsync(ct);
        return dealershipId is { } d && user.CanSee(d) ? d : null;
    }

    /// <summary>After the commit, so a panel that reloads on hearing it finds the change. The text stays out: events cross SignalR.</summary>
    private Task AnnounceAsync(int dealershipId, int customerId, UserScope by, string reason, CancellationToken ct) =>
        live.PublishAsync(new LiveEvent(LiveEventKind.NoteChanged, dealershipId, RecordId: 0, AgentId: by.UserId, AgentName: by.DisplayName,
            Reason: reason, CustomerId: customerId), ct);

    private string? Invalid(string? text)
    {
        var result = validator.Validate(new NoteInput { Text = text?.Trim() ?? "" });
        return result.IsValid ? null : result.Errors[0].ErrorMessage;
    }

    private static NoteRow ToRow(CustomerNote n, UserScope viewer) =>
        new(n.Id, n.CustomerId, n.AuthorName, n.Text, n.CreatedAt, n.EditedAt, n.CallAttemptId, n.AuthorId == viewer.UserId);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
