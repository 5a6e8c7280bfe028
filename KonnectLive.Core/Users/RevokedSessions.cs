using System.Collections.Concurrent;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Users;

/// <summary>The sign-ins that have been logged out, checked on every request that carries a cookie.</summary>
public interface IRevokedSessions
{
    /// <summary>Records the session as ended; its cookie is refused from now until <paramref name="keepUntil"/>.</summary>
    Task RevokeAsync(string sessionId, string userId, DateTimeOffset keepUntil, CancellationToken ct = default);

    Task<bool> IsRevokedAsync(string sessionId, CancellationToken ct = default);
}

/// <summary>
/// Revoked sessions in the database, so every instance sees a logout the moment it is written — on SQLite, on PostgreSQL
/// with Redis and on PostgreSQL without it — and a restart forgets none. (A Redis set would leave a PostgreSQL-only
/// cluster without the check, and would need its own expiry; the table is one primary-key lookup per request.)
/// Sessions known here to be revoked are remembered in memory, so a replayed cookie costs no query.
/// </summary>
public sealed class DatabaseRevokedSessions(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time) : IRevokedSessions
{
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, DateTime> _known = new();

    public async Task RevokeAsync(string sessionId, string userId, DateTimeOffset keepUntil, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Remember(sessionId, keepUntil.UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.RevokedSessions.AnyAsync(s => s.SessionId == sessionId, ct))
        {
            db.RevokedSessions.Add(new RevokedSession { SessionId = sessionId, UserId = userId, RevokedAt = now, KeepUntil = keepUntil.UtcDateTime });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { /* logged out twice at once: already recorded */ }
        }
        // Rows whose cookies can no longer be valid go with each logout; there are few (one per logout per shift).
        await db.RevokedSessions.Where(s => s.KeepUntil < now).ExecuteDeleteAsync(ct);
    }

    public async Task<bool> IsRevokedAsync(string sessionId, CancellationToken ct = default)
    {
        if (_known.ContainsKey(sessionId)) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keepUntil = await db.RevokedSessions.Where(s => s.SessionId == sessionId).Select(s => (DateTime?)s.KeepUntil).FirstOrDefaultAsync(ct);
        if (keepUntil is null) return false;
        Remember(sessionId, keepUntil.Value);
        return true;
    }

    private void Remember(string sessionId, DateTime keepUntil)
    {
        if (_known.Count >= MaxRemembered)
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var (id, until) in _known) if (until < now) _known.TryRemove(id, out _);
            if (_known.Count >= MaxRemembered) _known.Clear(); // the database still has every one
        }
        _known[sessionId] = keepUntil;
    }
}
