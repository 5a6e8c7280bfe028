using KonnectLive.Core.Live;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Cases;

/// <summary>What the Cases list asks for. Null fields do not filter.</summary>
public sealed record CaseFilter(CaseStatus? Status = null, string? Queue = null, string? Tag = null, int? DealershipId = null,
    DateTime? UpdatedFrom = null, DateTime? UpdatedTo = null, int? CustomerId = null, int Skip = 0, int Take = 50);

public sealed record CaseRow(long Id, string Title, CaseStatus Status, string? Queue, IReadOnlyList<string> Tags, int DealershipId, string DealershipName,
    int? CustomerId, string? CustomerName, string? PhoneNumber, int Sessions, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ClosedAt, string? ClosedBy);

public sealed record CasePage(IReadOnlyList<CaseRow> Rows, int Total);

/// <summary>One agent's part of a session (a call leg), with the outcome they recorded (its wrap-up).</summary>
public sealed record CaseSessionLeg(string Type, string Agent, DateTime StartedAt, int DurationSeconds, bool Connected, string? WrapUp,
    IReadOnlyList<string> Requests);

/// <summary>One call of a case, in order.</summary>
public sealed record CaseSessionRow(int Sequence, string SessionType, string CallId, string? Number, string? Queue, DateTime StartedAt,
    DateTime? EndedAt, bool Abandoned, IReadOnlyList<CaseSessionLeg> Legs)
{
    public int DurationSeconds => EndedAt is { } end ? Math.Max(0, (int)Math.Round((end - StartedAt).TotalSeconds)) : 0;
    public string Agents => Legs.Count == 0 ? "—" : string.Join(" → ", Legs.Select(l => l.Agent).Distinct());
    public string? WrapUps => Legs.Select(l => l.WrapUp).Where(w => w is not null).Distinct().ToList() is { Count: > 0 } w ? string.Join(", ", w) : null;
    /// <summary>The request types agents raised on this call (a draft says so), in the order raised.</summary>
    public string? Requests => Legs.SelectMany(l => l.Requests).ToList() is { Count: > 0 } r ? string.Join(", ", r) : null;
}

/// <summary>
/// The Cases list, a customer's cases, a case's sessions, and closing and reopening — always within what the user may
/// see: an agent or supervisor of a dealership sees that dealership's cases only, head office every dealership's, and the
/// condition is part of each query (never filtered after loading).
/// </summary>
public sealed class CaseService(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time, ILiveEventPublisher live)
{
    public const string AuditClosed = "case.closed";
    public const string AuditReopened = "case.reopened";
    public const int MaxTake = 200;

    private static IQueryable<CaseRecord> Visible(KonnectDbContext db, UserScope user) =>
        user.IsHeadOffice ? db.CaseRecords : db.CaseRecords.Where(c => c.DealershipId == user.DealershipId);

    public async Task<CasePage> ListAsync(UserScope user, CaseFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Visible(db, user).AsNoTracking();
        if (filter.Status is { } status) q = q.Where(c => c.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Queue)) q = q.Where(c => c.Queue == filter.Queue);
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            // Tags are stored comma-separated: match a whole tag.
            var tag = filter.Tag.Trim();
            q = q.Where(c => c.Tags == tag || c.Tags.StartsWith(tag + ",") || c.Tags.EndsWith("," + tag) || c.Tags.Contains("," + tag + ","));
        }
        if (filter.DealershipId is { } d) q = q.Where(c => c.DealershipId == d);
        // A customer's cases, and the cases kept by one of their numbers (a number shared in a household, or not theirs alone
        // when the call came): shown on each sharer's page, never filed under one of them.
        if (filter.CustomerId is { } customer)
            q = q.Where(c => c.CustomerId == customer || (c.CustomerId == null && c.CustomerDigits != null
                && db.Customers.Any(x => x.Id == customer && x.DealershipId == c.DealershipId && x.Phones.Any(p => p.SearchDigits == c.CustomerDigits))));
        if (filter.UpdatedFrom is { } from) q = q.Where(c => c.UpdatedAt >= from);
        if (filter.UpdatedTo is { } to) q = q.Where(c => c.UpdatedAt < to);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, MaxTake))
            .Select(c => new
            {
                c.Id, c.Title, c.Status, c.Queue, c.Tags, c.DealershipId, DealershipName = c.Dealership.Name, c.CustomerId,
                Customer = c.Customer == null ? null : new { c.Customer.Title, c.Customer.FirstName, c.Customer.LastName },
                c.PhoneNumber, Sessions = c.Sessions.Count, c.CreatedAt, c.UpdatedAt, c.ClosedAt, c.ClosedBy,
            }).ToListAsync(ct);
        return new CasePage([.. rows.Select(r => new CaseRow(r.Id, r.Title, r.Status, r.Queue, r.Tags.Length == 0 ? [] : r.Tags.Split(','), r.DealershipId,
            r.DealershipName, r.CustomerId,
            r.Customer is null ? null : string.Join(' ', new[] { r.Customer.Title, r.Customer.FirstName, r.Customer.LastName }.Where(s => !string.IsNullOrWhiteSpace(s))),
            r.PhoneNumber, r.Sessions, r.CreatedAt, r.UpdatedAt, r.ClosedAt, r.ClosedBy))], total);
    }

    /// <summary>The queues of the cases the user may see, for the list's filter.</summary>
    public async Task<IReadOnlyList<string>> QueuesAsync(UserScope user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Visible(db, user).Where(c => c.Queue != null).Select(c => c.Queue!).Distinct().OrderBy(q => q).ToListAsync(ct);
    }

    /// <summary>The dealerships the user may filter by: head office all, anyone else their own.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> DealershipsAsync(UserScope user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Dealerships.AsNoTracking().Where(d => user.IsHeadOffice || d.Id == user.DealershipId).OrderBy(d => d.Name)
            .Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        return [.. rows.Select(d => (d.Id, d.Name))];
    }

    /// <summary>The case's calls in the order they began (numbered so), each with its agents' legs; empty when the user may not see the case.</summary>
    public async Task<IReadOnlyList<CaseSessionRow>> SessionsAsync(UserScope user, long caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sessions = await db.CaseSessions.AsNoTracking()
            .Where(s => s.CaseRecordId == caseId && Visible(db, user).Any(c => c.Id == s.CaseRecordId))
            .OrderBy(s => s.StartedAt).ThenBy(s => s.Sequence) // the order the calls began: a late-reported call takes its place
            .Select(s => new
            {
                s.Sequence, s.SessionType, s.Abandoned, s.StartedAt, s.Call.CallId, s.Call.CustomerNumber, s.Call.Queue, s.Call.EndedAt,
                Legs = s.Call.Legs.OrderBy(l => l.Sequence).Select(l => new
                {
                    l.Type, l.Agent, UserName = l.User == null ? null : l.User.DisplayName, l.StartedAt, l.DurationSeconds, l.Connected,
                    WrapUp = db.CallAttempts.Where(a => a.Id == l.CallAttemptId).Select(a => a.Outcome.Name).FirstOrDefault(),
                    l.Id, l.CallAttemptId,
                }).ToList(),
            }).ToListAsync(ct);
        // Requests raised on a leg, or on the outcome recorded for it (a request raised before the call reached the leg is
        // attached to the outcome when it is recorded): one query for the case, not one per leg.
        var legIds = sessions.SelectMany(s => s.Legs).Select(l => (long?)l.Id).ToList();
        var attemptIds = sessions.SelectMany(s => s.Legs).Where(l => l.CallAttemptId != null).Select(l => l.CallAttemptId).ToList();
        var requests = legIds.Count == 0 ? [] : await db.CustomerRequests.AsNoTracking()
            .Where(r => legIds.Contains(r.CallLegId) || attemptIds.Contains(r.CallAttemptId))
            .OrderBy(r => r.RaisedAt).ThenBy(r => r.Id)
            .Select(r => new { r.CallLegId, r.CallAttemptId, Name = r.Status == Requests.RequestStatus.Draft ? r.RequestType.Name + " (draft)" : r.RequestType.Name })
            .ToListAsync(ct);
        IReadOnlyList<string> RequestsOf(long legId, long? attemptId) =>
            [.. requests.Where(r => r.CallLegId == legId || (attemptId != null && r.CallAttemptId == attemptId && !legIds.Contains(r.CallLegId)))
                .Select(r => r.Name)]; // each request on one leg: its own, else the leg whose outcome it was attached to
        return [.. sessions.Select((s, i) => new CaseSessionRow(i + 1, s.SessionType, s.CallId, s.CustomerNumber, s.Queue, s.StartedAt, s.EndedAt, s.Abandoned,
            [.. s.Legs.Select(l => new CaseSessionLeg(l.Type.ToString().ToUpperInvariant(), l.UserName ?? l.Agent ?? "unknown agent", l.StartedAt,
                l.DurationSeconds, l.Connected, l.WrapUp, RequestsOf(l.Id, l.CallAttemptId)))]))];
    }

    public Task<CommandResult> CloseAsync(UserScope user, long caseId, CancellationToken ct = default) => ChangeAsync(user, caseId, close: true, ct);

    public Task<CommandResult> ReopenAsync(UserScope user, long caseId, CancellationToken ct = default) => ChangeAsync(user, caseId, close: false, ct);

    private async Task<CommandResult> ChangeAsync(UserScope user, long caseId, bool close, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await Visible(db, user).SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (record is null) return CommandResult.NotFound($"Case {caseId} was not found.");
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            if (close) record.Close(user.DisplayName, now);
            else record.Reopen(now);
        }
        catch (CaseRuleException ex)
        {
            return CommandResult.Unchanged(ex.Message);
        }
        AuditLog.Add(db, now, user, close ? AuditClosed : AuditReopened, nameof(CaseRecord), record.Id.ToString(),
            $"Case {record.Id} '{record.Title}' {(close ? "closed" : "reopened")}.", record.CustomerId);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Refused($"Case {caseId} changed meanwhile; nothing was saved. Reload and try again.");
        }
        // Every open Cases list of the dealership (on any instance) shows it; the publisher never waits for them.
        await live.PublishAsync(new LiveEvent(LiveEventKind.CaseChanged, record.DealershipId, 0, AgentId: user.UserId, AgentName: user.DisplayName,
            CustomerId: record.CustomerId), CancellationToken.None);
        return CommandResult.Done(close ? $"Case {record.Id} closed." : $"Case {record.Id} reopened.");
    }
}
