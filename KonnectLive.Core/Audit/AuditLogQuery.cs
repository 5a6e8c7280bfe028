using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Audit;

/// <param name="UserId">One user's entries; <see cref="AuditLogQuery.SystemUser"/> for the system's (no user); null for everyone.</param>
/// <param name="FromUtc">Inclusive.</param>
/// <param name="ToUtc">Exclusive.</param>
public sealed record AuditLogRequest(int Skip, int Take, string? UserId = null, string? Action = null, int? CustomerId = null,
    DateTime? FromUtc = null, DateTime? ToUtc = null);

/// <param name="SubjectName">What the entry is about as people know it (a user's name, an outcome's name), when it still exists.</param>
public sealed record AuditLogRow(long Id, DateTime At, string? UserId, string UserName, string Action, string? EntityType, string? EntityId,
    int? CustomerId, string? Details, string? SubjectName = null);

public sealed record AuditLogPage(IReadOnlyList<AuditLogRow> Rows, int Total);

/// <summary>Someone who appears in the log, for the user filter.</summary>
public sealed record AuditUserOption(string UserId, string Name);

/// <summary>
/// Configuration → Audit Log: read-only by design. There is no edit or delete here or anywhere else in the app;
/// entries are only ever added by <see cref="AuditLog.Add"/>, in the transaction of the change they describe.
/// </summary>
public sealed class AuditLogQuery(IDbContextFactory<KonnectDbContext> dbFactory, UserAdminGuard guard)
{
    /// <summary>The filter value for entries written by the system (FOCUS ingest, the dispatcher): they have no user id.</summary>
    public const string SystemUser = "(system)";
    public const int MaxPageSize = 500;

    /// <summary>Newest first.</summary>
    /// <exception cref="UnauthorizedAccessException">The caller is not an enabled admin.</exception>
    public async Task<AuditLogPage> GetPageAsync(UserScope? by, AuditLogRequest request, CancellationToken ct = default)
    {
        await EnsureAdminAsync(by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        if (request.UserId == SystemUser) query = query.Where(a => a.UserId == null);
        else if (!string.IsNullOrEmpty(request.UserId)) query = query.Where(a => a.UserId == request.UserId);
        if (!string.IsNullOrEmpty(request.Action)) query = query.Where(a => a.Action == request.Action);
        if (request.CustomerId is { } customerId) query = query.Where(a => a.CustomerId == customerId);
        if (request.FromUtc is { } from) query = query.Where(a => a.At >= from);
        if (request.ToUtc is { } to) query = query.Where(a => a.At < to);

        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, request.Skip)).Take(Math.Clamp(request.Take, 1, MaxPageSize))
            .Select(a => new AuditLogRow(a.Id, a.At, a.UserId, a.UserName ?? "system", a.Action, a.EntityType, a.EntityId, a.CustomerId, a.Details))
            .ToListAsync(ct);
        var names = await SubjectNamesAsync(db, rows, ct);
        rows = rows.Select(r => r.EntityType is { } type && r.EntityId is { } id && names.TryGetValue((type, id), out var name)
            ? r with { SubjectName = name } : r).ToList();
        return new AuditLogPage(rows, total);
    }

    /// <summary>
    /// Names for the subjects on one page, one query per kind: an admin reads "User agent.north1", not a GUID. A subject
    /// deleted since keeps its id.
    /// </summary>
    private static async Task<Dictionary<(string Type, string Id), string>> SubjectNamesAsync(KonnectDbContext db, List<AuditLogRow> rows,
        CancellationToken ct)
    {
        var names = new Dictionary<(string, string), string>();
        string[] Ids(string type) => rows.Where(r => r.EntityType == type && r.EntityId is not null).Select(r => r.EntityId!).Distinct().ToArray();
        int[] IntIds(string type) => Ids(type).Select(i => int.TryParse(i, out var n) ? n : (int?)null).OfType<int>().ToArray();
        void Add(string type, IEnumerable<(string Id, string Name)> found)
        {
            foreach (var (id, name) in found) names[(type, id)] = name;
        }

        if (Ids("User") is { Length: > 0 } users)
            Add("User", (await db.Users.AsNoTracking().Where(u => users.Contains(u.Id)).Select(u => new { u.Id, u.UserName }).ToListAsync(ct))
                .Select(u => (u.Id, u.UserName ?? u.Id)));
        if (IntIds("Dealership") is { Length: > 0 } dealerships)
            Add("Dealership", (await db.Dealerships.AsNoTracking().Where(d => dealerships.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(ct))
                .Select(d => (d.Id.ToString(), d.Name)));
        if (IntIds(nameof(Calling.CallOutcome)) is { Length: > 0 } outcomes)
            Add(nameof(Calling.CallOutcome), (await db.CallOutcomes.AsNoTracking().Where(o => outcomes.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
                .Select(o => (o.Id.ToString(), o.Name)));
        if (IntIds(nameof(Calling.DeclineReason)) is { Length: > 0 } reasons)
            Add(nameof(Calling.DeclineReason), (await db.DeclineReasons.AsNoTracking().Where(o => reasons.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
                .Select(o => (o.Id.ToString(), o.Name)));
        if (IntIds(nameof(Messaging.MessageTemplate)) is { Length: > 0 } templates)
            Add(nameof(Messaging.MessageTemplate), (await db.MessageTemplates.AsNoTracking().Where(t => templates.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
                .Select(t => (t.Id.ToString(), t.Name)));
        if (IntIds(nameof(Inbound.ApiClient)) is { Length: > 0 } clients)
            Add(nameof(Inbound.ApiClient), (await db.ApiClients.AsNoTracking().Where(c => clients.Contains(c.Id)).Select(c => new { c.Id, c.ClientId }).ToListAsync(ct))
                .Select(c => (c.Id.ToString(), c.ClientId)));
        return names;
    }

    /// <summary>The distinct actions in the log, for the action filter.</summary>
    public async Task<IReadOnlyList<string>> GetActionsAsync(UserScope? by, CancellationToken ct = default)
    {
        await EnsureAdminAsync(by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.AsNoTracking().Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
    }

    /// <summary>Everyone who appears in the log (by their latest name there), then the system if it does.</summary>
    public async Task<IReadOnlyList<AuditUserOption>> GetUsersAsync(UserScope? by, CancellationToken ct = default)
    {
        await EnsureAdminAsync(by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.AuditEntries.AsNoTracking().Where(a => a.UserId != null)
            .GroupBy(a => a.UserId!)
            .Select(g => new { UserId = g.Key, LastId = g.Max(a => a.Id) })
            .Join(db.AuditEntries, g => g.LastId, a => a.Id, (g, a) => new { g.UserId, a.UserName })
            .ToListAsync(ct);
        var options = latest.Select(u => new AuditUserOption(u.UserId, u.UserName ?? u.UserId)).OrderBy(u => u.Name).ToList();
        if (await db.AuditEntries.AnyAsync(a => a.UserId == null, ct)) options.Add(new AuditUserOption(SystemUser, "System (FOCUS, dispatcher)"));
        return options;
    }

    private async Task EnsureAdminAsync(UserScope? by, CancellationToken ct)
    {
        if (await guard.AdminAsync(by, ct) is null) throw new UnauthorizedAccessException("Only administrators can read the audit log.");
    }
}
