using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>Why a customer the search found is not on the chase list.</summary>
public enum OffListReason { CallbackPending, Declined, ChaseEnded, Pending, Completed, Rejected, Expired }

/// <summary>A customer the chase list's search matched who is not on the list, with why, in words (e.g. "call-back at 14:30 (booked by Nadia North)").</summary>
public sealed record OffListMatch(int RecordId, int CustomerId, string CustomerName, string DealershipName, OffListReason Reason, string Explanation);

/// <param name="More">How many more customers matched off the list than are shown.</param>
public sealed record OffListMatches(IReadOnlyList<OffListMatch> Matches, int More)
{
    public static readonly OffListMatches None = new([], 0);
}

/// <summary>
/// The chase list's search, explained: customers matching the search (in the user's scope and the list's dealership filter)
/// who are not on the list, each with its latest survey record's reason — a call-back not yet due, a chase ended by an
/// outcome (declined, with the reason), or a survey that is not Awaiting. A customer with any record on the list is left
/// out: the list already shows them.
/// </summary>
public sealed class OffChaseListQuery(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public const int MaxShown = 10;
    /// <summary>Shorter searches match too much to be worth explaining (and the list is still being typed).</summary>
    public const int MinSearchLength = 2;

    public async Task<OffListMatches> FindAsync(UserScope user, string? search, int? dealershipId = null, CancellationToken ct = default)
    {
        if (!user.CanCall || (search?.Trim().Length ?? 0) < MinSearchLength) return OffListMatches.None;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var scoped = db.SurveyRecords.AsNoTracking();
        if (user.DealershipId is { } own) scoped = scoped.Where(r => r.DealershipId == own);
        else if (dealershipId is { } chosen) scoped = scoped.Where(r => r.DealershipId == chosen);
        var matching = ChaseListSearch.Matching(db, scoped, search);
        var onList = ChaseListQuery.OnList(matching.Where(r => r.Status == SurveyStatus.Awaiting), now).Select(r => r.CustomerId);
        var off = matching.Where(r => !onList.Contains(r.CustomerId));

        var customers = await off.Select(r => r.CustomerId).Distinct().CountAsync(ct);
        if (customers == 0) return OffListMatches.None;
        var latest = await off
            .OrderBy(r => r.Customer.LastName).ThenBy(r => r.Customer.FirstName).ThenBy(r => r.CustomerId)
            .ThenByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Id)
            .Select(r => new
            {
                r.Id, r.CustomerId, r.Customer.Title, r.Customer.FirstName, r.Customer.LastName, Dealership = r.Dealership.Name,
                r.Status, r.CallbackDueAt, r.CallbackAgentName, r.ChaseEndedAt, r.ChaseEndedReason,
                // The reason of the call that ended the chase, read live: a rename or a merge of the reason shows here at once.
                LastDecline = db.CallAttempts.Where(a => a.SurveyRecordId == r.Id && a.UndoneAt == null)
                    .OrderByDescending(a => a.RecordedAt).ThenByDescending(a => a.Id)
                    .Select(a => new { a.Behaviour, Reason = a.DeclineReason == null ? null : a.DeclineReason.Name })
                    .FirstOrDefault(),
            })
            .Take(MaxShown * 4) // a few records per customer at most; the first of each is kept below
            .ToListAsync(ct);

        var matches = latest.DistinctBy(r => r.CustomerId).Take(MaxShown).Select(r =>
        {
            var name = string.Join(' ', new[] { r.Title, r.FirstName, r.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
            var (reason, text) = Explain(r.Status, r.CallbackDueAt, r.CallbackAgentName, r.ChaseEndedAt, r.ChaseEndedReason,
                r.LastDecline?.Behaviour == OutcomeBehaviour.CustomerDeclined, r.LastDecline?.Reason, now);
            return new OffListMatch(r.Id, r.CustomerId, name, r.Dealership, reason, text);
        }).ToList();
        return new OffListMatches(matches, Math.Max(0, customers - matches.Count));
    }

    /// <summary>Why a record is off the list, in the words the chase list shows.</summary>
    internal static (OffListReason Reason, string Text) Explain(SurveyStatus status, DateTime? callbackDueAt, string? bookedBy,
        DateTime? chaseEndedAt, string? chaseEndedReason, bool declined, string? declineReason, DateTime now) => status switch
    {
        SurveyStatus.Completed => (OffListReason.Completed, "survey completed"),
        SurveyStatus.Rejected => (OffListReason.Rejected, "survey rejected"),
        SurveyStatus.Expired => (OffListReason.Expired, "survey expired"),
        SurveyStatus.Pending => (OffListReason.Pending, "survey pending: not awaiting a call yet"),
        _ when chaseEndedAt is not null && declined => (OffListReason.Declined, declineReason is null ? "declined" : $"declined ({declineReason})"),
        _ when chaseEndedAt is not null => (OffListReason.ChaseEnded, $"taken off the list: {chaseEndedReason ?? "chase ended"}"),
        _ when callbackDueAt is { } due => (OffListReason.CallbackPending,
            $"call-back at {ContactCentreTime.Clock(due, now)}{(bookedBy is null ? "" : $" (booked by {bookedBy})")}"),
        // Awaiting and neither ended nor waiting: on the list a moment ago (a race with an outcome); say so plainly.
        _ => (OffListReason.CallbackPending, "back on the chase list"),
    };
}
