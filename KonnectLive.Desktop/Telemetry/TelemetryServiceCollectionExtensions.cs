using KonnectLive.Core.Cluster;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KonnectLive.Desktop.Telemetry;

/// <summary>
/// OpenTelemetry: metrics (ASP.NET Core, HttpClient, .NET runtime, KonnectLive's own meter) always, scraped at
/// <c>/metrics</c> (Prometheus text) unless <c>Telemetry:Prometheus</c> is false; traces (ASP.NET Core, HttpClient,
/// EF Core) and metrics also pushed by OTLP when <c>Telemetry:OtlpEndpoint</c> (or OTEL_EXPORTER_OTLP_ENDPOINT) is set.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddKonnectLiveTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } endpoint ? endpoint
            : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var prometheus = configuration.GetValue("Telemetry:Prometheus", true);
        if (string.IsNullOrEmpty(otlp) && !prometheus) return services;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("KonnectLive", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddMeter(KonnectLiveMetrics.MeterName);
                if (prometheus) m.AddPrometheusExporter();
                if (!string.IsNullOrEmpty(otlp)) m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            });
        // Traces cost something per request; collected only when there is somewhere to send them.
        if (!string.IsNullOrEmpty(otlp))
            telemetry.WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation().AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        return services;
    }

    public static IEndpointRouteBuilder MapKonnectLiveMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue("Telemetry:Prometheus", true))
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
