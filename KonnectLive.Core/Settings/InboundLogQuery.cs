using System.Text.Encodings.Web;
using System.Text.Json;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Settings;

public enum InboundStatusFilter { All, Success, Refused }

/// <param name="FromUtc">Inclusive.</param>
/// <param name="ToUtc">Exclusive.</param>
public sealed record InboundLogRequest(int Skip, int Take, string? ClientId = null, InboundStatusFilter Status = InboundStatusFilter.All,
    DateTime? FromUtc = null, DateTime? ToUtc = null);

/// <summary>One row of the log, without the (possibly large) payload and results.</summary>
public sealed record InboundLogRow(long Id, DateTime ReceivedAt, string? ClientId, string Endpoint, int StatusCode, int RecordCount,
    int Created, int Updated, int Unchanged, int Ignored, int Rejected, int DurationMs, string? Error)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

public sealed record InboundLogPage(IReadOnlyList<InboundLogRow> Rows, int Total);

/// <summary>A request's payload and results, ready to read: pretty-printed when they are JSON, cut short when huge.</summary>
public sealed record InboundLogDetails(InboundLogRow Request, InboundText Payload, InboundText? Results);

/// <param name="Text">What to display (at most <see cref="InboundLogQuery.MaxDisplayChars"/> characters).</param>
/// <param name="IsJson">The original parsed as JSON and <paramref name="Text"/> is it indented.</param>
/// <param name="OriginalLength">The length of the stored text, in characters.</param>
public sealed record InboundText(string Text, bool IsJson, bool IsTruncated, int OriginalLength);

/// <summary>Configuration → Inbound Log: every request to the inbound API, newest first. Read-only.</summary>
public sealed class InboundLogQuery(IDbContextFactory<KonnectDbContext> dbFactory)
{
    /// <summary>Beyond this a browser struggles to lay out one text block; the rest is summarised, not shown.</summary>
    public const int MaxDisplayChars = 100_000;

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        MaxDepth = 256,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // shown as text (HTML-encoded by Razor), never embedded in script
    };

    public async Task<InboundLogPage> GetPageAsync(InboundLogRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.InboundRequests.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.ClientId)) query = query.Where(r => r.ClientId == request.ClientId);
        query = request.Status switch
        {
            InboundStatusFilter.Success => query.Where(r => r.StatusCode >= 200 && r.StatusCode < 300),
            InboundStatusFilter.Refused => query.Where(r => r.StatusCode < 200 || r.StatusCode >= 300),
            _ => query,
        };
        if (request.FromUtc is { } from) query = query.Where(r => r.ReceivedAt >= from);
        if (request.ToUtc is { } to) query = query.Where(r => r.ReceivedAt < to);

        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Id)
            .Skip(Math.Max(0, request.Skip)).Take(Math.Clamp(request.Take, 1, 500))
            .Select(r => new InboundLogRow(r.Id, r.ReceivedAt, r.ClientId, r.Endpoint, r.StatusCode, r.RecordCount,
                r.Created, r.Updated, r.Unchanged, r.Ignored, r.Rejected, r.DurationMs, r.Error))
            .ToListAsync(ct);
        return new InboundLogPage(rows, total);
    }

    /// <summary>The client ids that appear in the log, for the filter.</summary>
    public async Task<IReadOnlyList<string>> GetClientIdsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.InboundRequests.AsNoTracking().Where(r => r.ClientId != null).Select(r => r.ClientId!)
            .Distinct().OrderBy(c => c).ToListAsync(ct);
    }

    public async Task<InboundLogDetails?> GetDetailsAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.InboundRequests.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return null;
        var row = new InboundLogRow(r.Id, r.ReceivedAt, r.ClientId, r.Endpoint, r.StatusCode, r.RecordCount,
            r.Created, r.Updated, r.Unchanged, r.Ignored, r.Rejected, r.DurationMs, r.Error);
        return new InboundLogDetails(row, Readable(r.RawPayload), r.ResultsJson is null ? null : Readable(r.ResultsJson));
    }

    /// <summary>Indented JSON when it parses, the text as stored otherwise; either cut at <see cref="MaxDisplayChars"/>.</summary>
    public static InboundText Readable(string text)
    {
        var display = text;
        var isJson = false;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
                display = JsonSerializer.Serialize(doc.RootElement, Indented);
                isJson = true;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException) { } // malformed bodies are logged too; show them as they came
        }
        var truncated = display.Length > MaxDisplayChars;
        return new InboundText(truncated ? display[..MaxDisplayChars] : display, isJson, truncated, text.Length);
    }
}
