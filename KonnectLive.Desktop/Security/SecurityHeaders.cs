namespace KonnectLive.Desktop.Security;

/// <summary>
/// Headers on every response. The Content-Security-Policy is one Blazor Server and MudBlazor work under: scripts only
/// from this origin (no inline script — which is why App.razor renders no import map), styles from this origin plus the
/// inline style attributes MudBlazor sets, the circuit's WebSocket to this origin, nobody framing the app but itself.
/// Audio and video may come from any web address: call recordings play straight from the phone system's server.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; media-src 'self' https: http:; " +
        "connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>Swagger UI's page runs its own inline bootstrap: it gets the same policy with its styles and scripts allowed, and no more.</summary>
    private const string SwaggerPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/swagger") ? SwaggerPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "SAMEORIGIN"; // for browsers older than frame-ancestors
            if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        });
        return next(context);
    });
}
