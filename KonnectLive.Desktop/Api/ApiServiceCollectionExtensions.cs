using System.Threading.RateLimiting;
using KonnectLive.Core.Inbound;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Api;

/// <summary>The inbound FOCUS API: token endpoint, bearer authentication, record ingest, OpenAPI docs.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>Bearer tokens only: an admin's cookie does not let a browser push records.</summary>
    public const string InboundPolicy = "InboundApi";
    /// <summary>Bearer tokens of clients with the telephony scope.</summary>
    public const string TelephonyPolicy = "TelephonyApi";

    public static IServiceCollection AddKonnectLiveApi(this IServiceCollection services)
    {
        // Adds a scheme without touching the defaults, which AddIdentity set to the Identity cookie.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, FocusTokenAuthenticationHandler>(FocusTokenAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorizationBuilder()
            .AddPolicy(InboundPolicy, p => p.AddAuthenticationSchemes(FocusTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(FocusTokenAuthenticationHandler.ScopeClaim, nameof(ApiScopes.CsiIngest)))
            .AddPolicy(TelephonyPolicy, p => p.AddAuthenticationSchemes(FocusTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(FocusTokenAuthenticationHandler.ScopeClaim, nameof(ApiScopes.Telephony)));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client IP, fixed window: enough for a machine that renews every 20 minutes, too few to guess secrets.
            o.AddPolicy(TokenApi.RateLimitPolicy, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<InboundApiOptions>>().Value.TokenRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            // Per API client (the bearer token's client id), not per address: a token holder cannot push batch after batch
            // without pause, and two clients behind one proxy do not share a bucket.
            o.AddPolicy(CsiRecordsApi.RateLimitPolicy, http => PerClient(http, "client|", limits => limits.RecordRequestsPerMinute));
            o.AddPolicy(TelephonyEventsApi.RateLimitPolicy, http => PerClient(http, "telephony|", limits => limits.TelephonyRequestsPerMinute));
            o.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
                http.Response.Headers.RetryAfter = retryAfter.ToString();
                var records = http.Request.Path.StartsWithSegments(CsiRecordsApi.Path);
                var telephony = http.Request.Path.StartsWithSegments(TelephonyEventsApi.Path);
                var detail = telephony
                    ? $"Too many telephony event batches from this API client. Try again in {retryAfter} seconds; at most " +
                      $"{http.RequestServices.GetRequiredService<IOptions<InboundApiOptions>>().Value.TelephonyRequestsPerMinute} batches a minute are accepted."
                    : records
                    ? $"Too many record batches from this API client. Try again in {retryAfter} seconds; at most " +
                      $"{http.RequestServices.GetRequiredService<IOptions<InboundApiOptions>>().Value.RecordRequestsPerMinute} batches a minute are accepted."
                    : $"Too many token requests from this address. Try again in {retryAfter} seconds; a token lasts 20 minutes, so reuse it.";
                if (records || telephony)
                {
                    // The inbound log shows every request with its real status, a refused one too (the body is not read).
                    var caller = FocusTokenAuthenticationHandler.CallerOf(http.User);
                    await http.RequestServices.GetRequiredService<InboundRequestLog>()
                        .RecordAsync(caller, telephony ? Core.Telephony.TelephonyEventService.Endpoint : CsiIngestService.Endpoint, StatusCodes.Status429TooManyRequests, "", detail, 0, CancellationToken.None);
                }
                await TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    extensions: new Dictionary<string, object?> { ["error"] = "rate_limited" }).ExecuteAsync(http);
            };
        });

        services.AddInboundApiDocumentation();
        return services;
    }

    /// <summary>A fixed one-minute window per API client (the bearer token's client id) for one endpoint's batches.</summary>
    private static RateLimitPartition<string> PerClient(HttpContext http, string prefix, Func<InboundApiOptions, int> perMinute)
    {
        var limit = perMinute(http.RequestServices.GetRequiredService<IOptions<InboundApiOptions>>().Value);
        var client = http.User.FindFirst(FocusTokenAuthenticationHandler.ClientIdClaim)?.Value ?? "anonymous";
        return RateLimitPartition.GetFixedWindowLimiter(prefix + client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    public static IEndpointRouteBuilder MapKonnectLiveApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1").WithTags("FOCUS inbound API");
        v1.MapTokenApi();
        v1.MapCsiRecordsApi();
        v1.MapTelephonyEventsApi().WithTags("Telephony API");
        app.MapInboundApiDocumentation();
        return app;
    }
}
