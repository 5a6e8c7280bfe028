using System.Security.Claims;
using System.Text;
using KonnectLive.Core.Inbound;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Api;

/// <summary>
/// POST /api/v1/csi/records. HTTP concerns live here — content type (415), size (413), authentication — and the
/// batch itself is read, validated and applied by <see cref="CsiIngestService"/>, which logs every request it sees.
/// </summary>
public static class CsiRecordsApi
{
    public const string Path = "/api/v1/csi/records";
    public const string RateLimitPolicy = "inbound-records";

    public static RouteHandlerBuilder MapCsiRecordsApi(this IEndpointRouteBuilder group) =>
        group.MapPost("/csi/records", IngestAsync)
            .RequireAuthorization(ApiServiceCollectionExtensions.InboundPolicy)
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .WithName("PushCsiRecords")
            .WithSummary("Push a batch of FOCUS survey records")
            .WithDescription("Up to 1,000 records per request (application/json, at most 5 MB). Each record is validated and applied on " +
                             "its own and reported as created, updated, unchanged, ignored_out_of_order, ignored_closed, outside_match_window " +
                             "or rejected (with its field errors). Sending the same batch again changes nothing. A malformed body (400), a " +
                             "wrong content type (415) or an oversized body (413) is refused as a whole and nothing from it is stored; so is a " +
                             "body that is not UTF-8, or whose JSON strings or property names hold an unpaired surrogate escape (400).")
            // No .Accepts<T>(): its content-type matcher would answer 415 itself, bare and unlogged; the body is documented by InboundApiExamples.
            .Produces<CsiBatchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> IngestAsync(HttpContext http, ClaimsPrincipal user, CsiIngestService ingest, InboundRequestLog requestLog,
        IOptions<InboundApiOptions> options, CancellationToken ct)
    {
        var caller = FocusTokenAuthenticationHandler.CallerOf(user);
        var request = http.Request;
        var max = options.Value.MaxBodyBytes;

        if (!IsJson(request.ContentType))
        {
            var body = await ReadAsync(request, max, ct);
            return await RefuseAsync(requestLog, caller, CsiIngestService.Endpoint, StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Send the batch as application/json (got '{request.ContentType ?? "no content type"}').",
                body.Bytes is null ? "" : Encoding.UTF8.GetString(body.Bytes));
        }
        var read = await ReadAsync(request, max, ct);
        if (read.Bytes is not { } bytes)
            return await RefuseAsync(requestLog, caller, CsiIngestService.Endpoint, StatusCodes.Status413PayloadTooLarge, "Batch too large",
                $"The body is larger than {max:N0} bytes. Send at most {options.Value.MaxRecordsPerBatch:N0} records per request.", "");

        // The bytes go to the service as they came: it refuses a body that is not UTF-8 instead of guessing at it.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await ingest.IngestAsync(caller, bytes, ct);
        Core.Cluster.KonnectLiveMetrics.IngestBatchTook(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return outcome.StatusCode switch
        {
            StatusCodes.Status200OK => TypedResults.Ok(outcome.Response),
            _ => TypedResults.Problem(outcome.Error, statusCode: outcome.StatusCode,
                title: outcome.StatusCode == 400 ? "Malformed batch" : "The batch could not be processed",
                extensions: new Dictionary<string, object?> { ["requestId"] = outcome.RequestId }),
        };
    }

    /// <summary>A request refused before its body is read as a batch (415, 413): logged with its status, answered as a problem.</summary>
    internal static async Task<IResult> RefuseAsync(InboundRequestLog log, InboundCaller caller, string endpoint, int status, string title,
        string detail, string payload)
    {
        var requestId = await log.RecordAsync(caller, endpoint, status, payload, detail, 0, CancellationToken.None);
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["requestId"] = requestId });
    }

    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return false;
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
               || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads at most <paramref name="max"/> bytes; null when the body is longer (nothing more is read).</summary>
    internal static async Task<(byte[]? Bytes, long Length)> ReadAsync(HttpRequest request, long max, CancellationToken ct)
    {
        if (request.ContentLength > max) return (null, request.ContentLength.Value);
        var chunk = new byte[81920];
        // Kestrel's own limit must sit above ours, so that it is this code that answers 413 (with a problem), not the server.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = max + chunk.Length + 1;
        using var buffer = new MemoryStream();
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > max) return (null, buffer.Length + n);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException)
        {
            return (null, buffer.Length);
        }
        return (buffer.ToArray(), buffer.Length);
    }
}
