using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Inbound;

/// <summary>Who called the inbound API: a client known from its token or credentials, or nobody yet.</summary>
public sealed record InboundCaller(int? ApiClientId, string? ClientId)
{
    public static readonly InboundCaller Anonymous = new(null, null);
}

/// <summary>
/// Writes the InboundRequests table: every request, accepted or refused, in its own short transaction — so a
/// batch that fails half-way still leaves its trace, and the log never waits on (or rolls back with) ingest.
/// </summary>
public sealed class InboundRequestLog(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public const int MaxStoredPayloadChars = 2_000_000;

    /// <summary>Opens the row before processing; until <see cref="CompleteAsync"/> it reads as an unfinished 500.</summary>
    public async Task<long> BeginAsync(InboundCaller caller, string endpoint, string payload, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = NewRow(caller, endpoint, 500, payload, "Processing did not finish.", 0);
        db.InboundRequests.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task CompleteAsync(long id, int statusCode, int recordCount, CsiResultCounts? counts, string? resultsJson, string? error,
        int durationMs, CancellationToken ct = default)
    {
        var c = counts ?? new CsiResultCounts(0, 0, 0, 0, 0, 0, 0);
        int created = c.Created, updated = c.Updated, unchanged = c.Unchanged, ignored = c.Ignored, rejected = c.Rejected;
        var storedError = Truncate(error, 2000);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.InboundRequests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.StatusCode, statusCode)
            .SetProperty(r => r.RecordCount, recordCount)
            .SetProperty(r => r.Created, created)
            .SetProperty(r => r.Updated, updated)
            .SetProperty(r => r.Unchanged, unchanged)
            .SetProperty(r => r.Ignored, ignored)
            .SetProperty(r => r.Rejected, rejected)
            .SetProperty(r => r.ResultsJson, resultsJson)
            .SetProperty(r => r.Error, storedError)
            .SetProperty(r => r.DurationMs, durationMs), ct);
    }

    /// <summary>A request refused as a whole (401, 413, 415, a token request): one row, written at once.</summary>
    public async Task<long> RecordAsync(InboundCaller caller, string endpoint, int statusCode, string payload, string? error, int durationMs,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = NewRow(caller, endpoint, statusCode, payload, error, durationMs);
        db.InboundRequests.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    private InboundRequest NewRow(InboundCaller caller, string endpoint, int statusCode, string payload, string? error, int durationMs) => new()
    {
        ApiClientId = caller.ApiClientId,
        ClientId = Truncate(caller.ClientId, 64),
        ReceivedAt = time.GetUtcNow().UtcDateTime,
        Endpoint = Truncate(endpoint, 100)!,
        StatusCode = statusCode,
        RawPayload = Truncate(payload, MaxStoredPayloadChars)!,
        Error = Truncate(error, 2000),
        DurationMs = durationMs,
    };

    private static string? Truncate(string? s, int max) => s is { } v && v.Length > max ? v[..max] : s;
}
