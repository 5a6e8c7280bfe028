using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Notes;

/// <summary>Where a note was written: in the notes panel, or with a call's outcome (read-only there: the call's record).</summary>
public enum NoteKind { Note, CallNote }

/// <summary>How many notes a customer has and the newest, by the one definition the notes panel lists.</summary>
public sealed record NotesSummary(int Count, NoteRow? Latest);

/// <summary>
/// The one definition of a customer's notes — "the conversation notes" (seed 003): the notes written in the notes panel
/// and the notes written with each call's outcome, newest first. The notes panel lists them, its heading and the calling
/// page's process summary count them, all from here, so the two never disagree.
/// </summary>
internal static class ConversationNotes
{
    public static IQueryable<CustomerNote> PanelNotes(KonnectDbContext db, int customerId) =>
        db.CustomerNotes.AsNoTracking().Where(n => n.CustomerId == customerId);

    /// <summary>The calls whose outcome carried a note (the calling service stores a blank note as none).</summary>
    public static IQueryable<CallAttempt> CallNotes(KonnectDbContext db, int customerId) =>
        db.CallAttempts.AsNoTracking().Where(a => a.CustomerId == customerId && a.Note != null);

    public static async Task<int> CountAsync(KonnectDbContext db, int customerId, CancellationToken ct) =>
        await PanelNotes(db, customerId).CountAsync(ct) + await CallNotes(db, customerId).CountAsync(ct);

    /// <summary>
    /// The notes from <paramref name="skip"/>, at most <paramref name="take"/>, newest first. Each source is read newest
    /// first up to skip + take rows (both indexed by customer), then the two are merged: exact for any page, and a page
    /// is small (the panel shows 20 at a time).
    /// </summary>
    public static async Task<List<NoteRow>> PageAsync(KonnectDbContext db, int customerId, string viewerId, int skip, int take, CancellationToken ct)
    {
        var upTo = skip + take;
        var notes = await PanelNotes(db, customerId).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(upTo)
            .Select(n => new NoteRow(n.Id, n.CustomerId, n.AuthorName, n.Text, n.CreatedAt, n.EditedAt, n.CallAttemptId, n.AuthorId == viewerId,
                NoteKind.Note, null))
            .ToListAsync(ct);
        var calls = await CallNotes(db, customerId).OrderByDescending(a => a.RecordedAt).ThenByDescending(a => a.Id).Take(upTo)
            .Select(a => new NoteRow(a.Id, a.CustomerId, a.AgentName, a.Note!, a.RecordedAt, null, a.Id, a.AgentId == viewerId,
                NoteKind.CallNote, a.Outcome.Name))
            .ToListAsync(ct);
        return [.. notes.Concat(calls).OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Kind).ThenByDescending(n => n.Id).Skip(skip).Take(take)];
    }

    public static async Task<NotesSummary> SummaryAsync(KonnectDbContext db, int customerId, CancellationToken ct) =>
        new(await CountAsync(db, customerId, ct), (await PageAsync(db, customerId, viewerId: "", 0, 1, ct)).FirstOrDefault());
}
