using System.Security.Claims;
using System.Text;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Telephony;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Api;

/// <summary>
/// POST /api/v1/telephony/events: call events from the phone system, for API clients with the telephony scope. HTTP
/// concerns here (content type 415, size 413, token and scope); the batch is read, validated and applied by
/// <see cref="TelephonyEventService"/>, which logs every request in the Inbound Log.
/// </summary>
public static class TelephonyEventsApi
{
    public const string Path = "/api/v1/telephony/events";
    public const string RateLimitPolicy = "telephony-events";

    public static RouteHandlerBuilder MapTelephonyEventsApi(this IEndpointRouteBuilder group) =>
        group.MapPost("/telephony/events", PostAsync)
            .RequireAuthorization(ApiServiceCollectionExtensions.TelephonyPolicy)
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .WithName("PostTelephonyEvents")
            .WithSummary("Post a batch of call events from the phone system")
            .WithDescription("Up to 500 events per request (application/json): offered, answered, transferred, conferenced, held, resumed, " +
                             "ended (reason completed, abandoned, no_answer or busy) and recording. Each event has the provider's own eventId: " +
                             "sending one again is reported as duplicate and changes nothing, and events may arrive in any order — each call " +
                             "is rebuilt from all of its events. The agent is a KonnectLive user name or extension. A batch is all or nothing: " +
                             "if any event is invalid the answer is 400 with each bad event's errors, and nothing from the batch is stored. " +
                             "Needs a token of an API client with the Telephony scope (403 otherwise).")
            .Produces<CallEventBatchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> PostAsync(HttpContext http, ClaimsPrincipal user, TelephonyEventService telephony, InboundRequestLog requestLog,
        IOptions<InboundApiOptions> options, CancellationToken ct)
    {
        var caller = FocusTokenAuthenticationHandler.CallerOf(user);
        var max = options.Value.MaxBodyBytes;
        var read = await CsiRecordsApi.ReadAsync(http.Request, max, ct);
        if (!CsiRecordsApi.IsJson(http.Request.ContentType))
            return await CsiRecordsApi.RefuseAsync(requestLog, caller, TelephonyEventService.Endpoint, StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Send the events as application/json (got '{http.Request.ContentType ?? "no content type"}').",
                read.Bytes is null ? "" : Encoding.UTF8.GetString(read.Bytes));
        if (read.Bytes is not { } bytes)
            return await CsiRecordsApi.RefuseAsync(requestLog, caller, TelephonyEventService.Endpoint, StatusCodes.Status413PayloadTooLarge, "Batch too large",
                $"The body is larger than {max:N0} bytes. Send at most {CallEventBatchReader.MaxEvents} events per request.", "");

        var outcome = await telephony.IngestAsync(caller, bytes, ct);
        if (outcome.StatusCode == StatusCodes.Status200OK) return TypedResults.Ok(outcome.Response);
        var extensions = new Dictionary<string, object?> { ["requestId"] = outcome.RequestId };
        if (outcome.Rejected is { Count: > 0 } rejected) extensions["events"] = rejected;
        return TypedResults.Problem(outcome.Error, statusCode: outcome.StatusCode,
            title: outcome.StatusCode == 400 ? "Invalid events" : "The events could not be processed", extensions: extensions);
    }
}
