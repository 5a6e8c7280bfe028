using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace KonnectLive.Desktop.Api;

/// <summary>OpenAPI for the two inbound endpoints, with the bearer scheme and example payloads; Swagger UI at /swagger.</summary>
public static class InboundApiDocumentation
{
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddInboundApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "KonnectLive inbound API (FOCUS and telephony)",
                Version = "v1",
                Description = "How the manufacturer's FOCUS system pushes survey records to KonnectLive. " +
                              "1) POST /api/v1/token with your client id and secret; 2) send the access_token as " +
                              "`Authorization: Bearer <token>` to POST /api/v1/csi/records. A token lasts 20 minutes exactly; " +
                              "on 401 with error_description \"…expired…\" ask for a new one. " +
                              "Who a record's customer is: send customer.focusCustomerId (FOCUS's own id for the person) when you have it — " +
                              "records with the same id are the same person even after a change of name or email, and records with different " +
                              "ids are never merged. Without it KonnectLive matches within the dealership on the email, else on a shared number " +
                              "together with the same first and last name; a shared household number alone never makes two people one. " +
                              "The phone system posts call events to POST /api/v1/telephony/events with a token of a client that has the " +
                              "Telephony scope (FOCUS clients cannot, and telephony clients cannot push records).",
            });
            o.DocInclusionPredicate((_, api) => api.RelativePath?.StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase) == true);
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "opaque (43 characters)",
                Description = "The access_token from POST /api/v1/token. Valid for 20 minutes.",
            });
            o.DocumentFilter<InboundApiExamples>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapInboundApiDocumentation(this IEndpointRouteBuilder app)
    {
        app.MapSwagger("/swagger/{documentName}/swagger.json");
        app.MapSwaggerUI("/swagger", o =>
        {
            o.SwaggerEndpoint("/swagger/v1/swagger.json", "FOCUS inbound API v1");
            o.DocumentTitle = "KonnectLive inbound API";
        });
        return app;
    }
}

/// <summary>Puts the bearer requirement on the records endpoint and example bodies on both.</summary>
internal sealed class InboundApiExamples : IDocumentFilter
{
    public const string BatchExample = """
        {
          "records": [
            {
              "focusRecordId": "FOCUS-000123",
              "dealershipCode": "NGM",
              "status": "Awaiting",
              "statusChangedAt": "2026-03-01T10:15:00Z",
              "score": 9,
              "customer": {
                "focusCustomerId": "FC-88412",
                "title": "Mrs",
                "firstName": "Amelia",
                "lastName": "Clarke",
                "phones": [ { "number": "07700 900123", "type": "Mobile" }, { "number": "+44 113 496 0123", "type": "Home" } ],
                "email": "amelia.clarke@example.com"
              },
              "vehicle": { "registration": "AB12 CDE", "vin": "SKA1234567890ABCD", "make": "Kestrel", "model": "Aero 1.5 Sport" },
              "eventType": "Service",
              "eventDate": "2026-02-20"
            }
          ]
        }
        """;

    public const string BatchResponseExample = """
        {
          "requestId": 42,
          "received": 2,
          "counts": { "created": 1, "updated": 0, "unchanged": 0, "ignoredOutOfOrder": 0, "ignoredClosed": 0, "outsideMatchWindow": 0, "rejected": 1, "ignored": 0 },
          "results": [
            { "index": 0, "focusRecordId": "FOCUS-000123", "result": "created", "recordId": 361, "status": "Awaiting",
              "detail": "Awaiting Sms message queued for 2026-03-01T11:15:00.0000000Z." },
            { "index": 1, "focusRecordId": "FOCUS-000124", "result": "rejected", "detail": "One or more validation errors occurred.",
              "errors": { "customer.phones[0].number": [ "'12' is not a phone number." ], "vehicle.vin": [ "vin must be 17 letters or digits (no I, O or Q)." ] } }
          ]
        }
        """;

    public const string TelephonyExample = """
        {
          "events": [
            { "eventId": "e-1", "callId": "c-1", "type": "offered", "occurredAt": "2026-12-01T10:00:00Z", "direction": "inbound",
              "ani": "07700 900123", "dnis": "0113 496 0000", "queue": "CSI", "language": "en", "agent": "agent.north1" },
            { "eventId": "e-2", "callId": "c-1", "type": "answered", "occurredAt": "2026-12-01T10:00:08Z", "agent": "agent.north1" },
            { "eventId": "e-3", "callId": "c-1", "type": "ended", "occurredAt": "2026-12-01T10:04:08Z", "reason": "completed" }
          ]
        }
        """;

    public const string TelephonyResponseExample = """
        {
          "requestId": 43, "received": 3, "stored": 3, "duplicates": 0,
          "calls": [ { "callId": "c-1", "direction": "inbound", "customerNumber": "07700 900123", "startedAt": "2026-12-01T10:00:00Z",
                       "endedAt": "2026-12-01T10:04:08Z", "endReason": "completed",
                       "legs": [ { "sequence": 1, "type": "INBOUND", "agent": "agent.north1", "startedAt": "2026-12-01T10:00:08Z",
                                   "endedAt": "2026-12-01T10:04:08Z", "connected": true, "durationSeconds": 240, "holdSeconds": 0 } ] } ],
          "results": [ { "index": 0, "eventId": "e-1", "callId": "c-1", "result": "stored" },
                       { "index": 1, "eventId": "e-2", "callId": "c-1", "result": "stored" },
                       { "index": 2, "eventId": "e-3", "callId": "c-1", "result": "stored" } ]
        }
        """;

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var (path, item) in document.Paths)
        {
            if (item.Operations is null) continue;
            foreach (var (_, operation) in item.Operations)
            {
                if (path.EndsWith("/csi/records", StringComparison.OrdinalIgnoreCase))
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(InboundApiDocumentation.BearerScheme, document)] = [] }];
                    operation.RequestBody = Body(context, typeof(KonnectLive.Core.Inbound.CsiRecordBatch), ("application/json", BatchExample));
                    if (operation.Responses?.TryGetValue("200", out var ok) == true) SetExample(ok.Content, "application/json", BatchResponseExample);
                }
                else if (path.EndsWith("/telephony/events", StringComparison.OrdinalIgnoreCase))
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(InboundApiDocumentation.BearerScheme, document)] = [] }];
                    operation.RequestBody = Body(context, typeof(KonnectLive.Core.Telephony.CallEventBatch), ("application/json", TelephonyExample));
                    if (operation.Responses?.TryGetValue("200", out var ok) == true) SetExample(ok.Content, "application/json", TelephonyResponseExample);
                }
                else if (path.EndsWith("/token", StringComparison.OrdinalIgnoreCase))
                {
                    operation.RequestBody = Body(context, typeof(TokenRequest),
                        ("application/json", """{ "client_id": "focus-demo", "client_secret": "focus-demo-secret" }"""),
                        ("application/x-www-form-urlencoded", """{ "grant_type": "client_credentials", "client_id": "focus-demo", "client_secret": "focus-demo-secret" }"""));
                    if (operation.Responses?.TryGetValue("200", out var ok) == true)
                        SetExample(ok.Content, "application/json", """{ "access_token": "q3Zx…43 characters…", "token_type": "Bearer", "expires_in": 1200 }""");
                }
            }
        }
    }

    private static OpenApiRequestBody Body(DocumentFilterContext context, Type type, params (string MediaType, string Example)[] media)
    {
        var schema = context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository);
        var body = new OpenApiRequestBody { Required = true, Content = new Dictionary<string, IOpenApiMediaType>() };
        foreach (var (mediaType, example) in media)
            body.Content[mediaType] = new OpenApiMediaType { Schema = schema, Example = JsonNode.Parse(example) };
        return body;
    }

    private static void SetExample<TMedia>(IDictionary<string, TMedia>? content, string mediaType, string json) where TMedia : class
    {
        if (content is not null && content.TryGetValue(mediaType, out var media) && media is OpenApiMediaType concrete)
            concrete.Example = JsonNode.Parse(json);
    }
}
