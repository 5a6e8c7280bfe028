using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Audit;

/// <param name="UserId">One user's entries; <see cref="AuditLogQuery.SystemUser"/> for the system's (no user); null for everyone.</param>
/// <param name="FromUtc">Inclusive.</param>
/// <param name="ToUtc">Exclusive.</param>
public sealed record AuditLogRequest(int Skip, int Take, string? UserId = null, string? Action = null, int? CustomerId = null,
    DateTime? FromUtc = null, DateTime? ToUtc = null);

public sealed record AuditLogRow(long Id, DateTime At, string? UserId, string UserName, string Action, string? EntityType, string? EntityId,
    int? CustomerId, string? Details);

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
        return new AuditLogPage(rows, total);
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
