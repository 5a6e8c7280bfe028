using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Tests.Core.Inbound;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Api.Inbound;

[Collection(InboundApiCollection.Name)]
public sealed class CsiRecordsApiTests(InboundApiFixture app)
{
    private DateTime Now => app.Time.GetUtcNow().UtcDateTime;

    private async Task<string> DemoTokenAsync() => await app.TokenAsync(DatabaseInitializer.DemoApiClientId, DatabaseInitializer.DemoApiClientSecret);

    private async Task<KonnectDbContext> DbAsync() => await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task Post_ValidAndInvalidRecords_200WithPerRecordResultsAndLogged()
    {
        var token = await DemoTokenAsync();
        var id = $"API-{Guid.NewGuid():N}"[..24];
        var bad = CsiPayloads.Record(id + "B", "NGM", "Awaiting", Now.AddMinutes(-1));
        bad["status"] = "Lost";

        var response = await app.PostRecordsAsync(token, CsiPayloads.Batch(CsiPayloads.Record(id + "A", "NGM", "Awaiting", Now.AddMinutes(-1)), bad));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var results = body.GetProperty("results");
        Assert.Equal("created", results[0].GetProperty("result").GetString());
        Assert.Equal("rejected", results[1].GetProperty("result").GetString());
        Assert.True(results[1].GetProperty("errors").TryGetProperty("status", out _));
        await using var db = await DbAsync();
        var logged = await db.InboundRequests.SingleAsync(r => r.Id == body.GetProperty("requestId").GetInt64());
        Assert.Equal((200, "focus-demo", 1, 1), (logged.StatusCode, logged.ClientId, logged.Created, logged.Rejected));
        Assert.Contains(id + "B", logged.RawPayload);
    }

    [Fact]
    public async Task Post_RecordWithSeveralBadlyTypedFields_RejectedWithEveryFieldsErrorAndNothingStored()
    {
        var token = await DemoTokenAsync();
        var id = $"API-{Guid.NewGuid():N}"[..24];
        var bad = CsiPayloads.Record(id, "NGM", "Awaiting", Now.AddMinutes(-1));
        bad["score"] = "ten";                                    // a word for a number
        bad["status"] = 3;                                       // a number for a string
        ((Dictionary<string, object?>)bad["customer"]!)["firstName"] = new[] { "Al" };
        ((Dictionary<string, object?>)bad["vehicle"]!)["vin"] = true;
        bad["dealershipCode"] = "NOPE";                          // well typed, but no such dealership

        var response = await app.PostRecordsAsync(token, CsiPayloads.Batch(bad));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];
        Assert.Equal("rejected", result.GetProperty("result").GetString());
        var errors = result.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value[0].GetString()!);
        Assert.Equal(["customer.firstName", "dealershipCode", "score", "status", "vehicle.vin"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("score has the wrong type: expected a whole number, got a string.", errors["score"]);
        Assert.Equal("status has the wrong type: expected a string, got a number.", errors["status"]);
        Assert.Equal("customer.firstName has the wrong type: expected a string, got an array.", errors["customer.firstName"]);
        Assert.Equal("vehicle.vin has the wrong type: expected a string, got true or false.", errors["vehicle.vin"]);
        await using var db = await DbAsync();
        Assert.False(await db.SurveyRecords.AnyAsync(r => r.FocusRecordId == id));
    }

    [Theory]
    [InlineData("{\"records\": [", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"records\": []}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("<records/>", "application/xml", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("{\"records\": []}", "", HttpStatusCode.UnsupportedMediaType)]
    public async Task Post_RefusedBody_ClearProblemAndLogged(string body, string contentType, HttpStatusCode expected)
    {
        var token = await DemoTokenAsync();
        await using var db = await DbAsync();
        var before = await db.InboundRequests.CountAsync();

        var response = await app.PostRecordsAsync(token, body, contentType);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()));
        var logged = await db.InboundRequests.OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal(before + 1, await db.InboundRequests.CountAsync());
        Assert.Equal((int)expected, logged.StatusCode);
    }

    [Fact]
    public async Task Post_HouseholdSharingAHomeNumber_TwoCustomersWithTheirOwnDetailsAndTwoChaseRows()
    {
        var token = await DemoTokenAsync();
        var surname = "Family" + Guid.NewGuid().ToString("N")[..6];
        var home = $"0113 496 {Random.Shared.Next(1000, 9999)}";
        var (annaMobile, benMobile) = ($"+44 7911 {Random.Shared.Next(100_000, 999_999)}", $"+44 7911 {Random.Shared.Next(100_000, 999_999)}");
        var anna = CsiPayloads.Record($"API-HH-A-{surname}", "NGM", "Awaiting", Now.AddMinutes(-10), firstName: "Anna", lastName: surname, title: "Mrs",
            phones: [$"{home}|Home", $"{annaMobile}|Mobile"], email: $"anna@{surname}.example", registration: "HH11 AAA");
        var ben = CsiPayloads.Record($"API-HH-B-{surname}", "NGM", "Awaiting", Now.AddMinutes(-5), firstName: "Ben", lastName: surname, title: "Mr",
            phones: [$"{home}|Home", $"{benMobile}|Mobile"], email: $"ben@{surname}.example", registration: "HH22 BBB");

        Assert.Equal(HttpStatusCode.OK, (await app.PostRecordsAsync(token, CsiPayloads.Batch(anna))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostRecordsAsync(token, CsiPayloads.Batch(ben))).StatusCode);

        await using var db = await DbAsync();
        var customers = await db.Customers.AsNoTracking().Include(c => c.Phones).Include(c => c.Vehicles)
            .Where(c => c.LastName == surname).OrderBy(c => c.FirstName).ToListAsync();
        Assert.Equal(2, customers.Count);
        // Emails are stored lower case.
        Assert.Equal(("Mrs Anna " + surname, $"anna@{surname.ToLowerInvariant()}.example", "HH11 AAA"),
            (customers[0].FullName, customers[0].Email, Assert.Single(customers[0].Vehicles).Registration));
        Assert.Equal(("Mr Ben " + surname, $"ben@{surname.ToLowerInvariant()}.example", "HH22 BBB"),
            (customers[1].FullName, customers[1].Email, Assert.Single(customers[1].Vehicles).Registration));
        Assert.Equal([PhoneNormaliser.ToE164(home), PhoneNormaliser.ToE164(annaMobile)], customers[0].Phones.OrderBy(p => p.Position).Select(p => p.Number));
        Assert.Equal([PhoneNormaliser.ToE164(home), PhoneNormaliser.ToE164(benMobile)], customers[1].Phones.OrderBy(p => p.Position).Select(p => p.Number));
        // Each survey text goes to its own person.
        var messages = await db.ScheduledMessages.AsNoTracking().Where(m => customers.Select(c => c.Id).Contains(m.CustomerId)).ToListAsync();
        Assert.Equal(2, messages.Select(m => m.CustomerId).Distinct().Count());

        var agent = await app.ScopeAsync("agent.north1");
        var rows = (await app.Service<ChaseListQuery>().GetPageAsync(agent, new ChaseListRequest(0, 10, Search: surname))).Rows;
        Assert.Equal(["Mr Ben " + surname, "Mrs Anna " + surname], rows.Select(r => r.CustomerName).Order(StringComparer.Ordinal));
        Assert.Equal(2, rows.Select(r => r.CustomerId).Distinct().Count());
    }

    [Theory]
    [InlineData("escape-in-focusRecordId")]
    [InlineData("escape-in-property-name")]
    [InlineData("escape-in-lastName")]
    [InlineData("invalid-utf8-in-lastName")]
    [InlineData("overlong-utf8")]
    [InlineData("utf8-encoded-surrogate")]
    [InlineData("invalid-utf8-in-focusRecordId")]
    public async Task Post_BodyThatIsNotText_400ProblemAndNothingStored(string kind)
    {
        var token = await DemoTokenAsync();
        var focusId = $"API-BB-{Guid.NewGuid():N}"[..24];
        var lastName = "Badbytes" + Guid.NewGuid().ToString("N")[..6];
        var json = CsiPayloads.Batch(CsiPayloads.Record(focusId, "NGM", "Awaiting", Now.AddMinutes(-1), lastName: lastName, phones: ["+44 7911 654321"]));
        byte[] Spliced(string after, byte[] bad) =>
            [.. Encoding.UTF8.GetBytes(json[..(json.IndexOf(after, StringComparison.Ordinal) + after.Length)]), .. bad,
             .. Encoding.UTF8.GetBytes(json[(json.IndexOf(after, StringComparison.Ordinal) + after.Length)..])];
        var body = kind switch
        {
            "escape-in-focusRecordId" => Encoding.UTF8.GetBytes(json.Replace(focusId, focusId + @"\uD800")),
            "escape-in-property-name" => Encoding.UTF8.GetBytes(json.Replace("\"lastName\":", @"""last\uDC00Name"":")),
            "escape-in-lastName" => Encoding.UTF8.GetBytes(json.Replace(lastName, lastName + @"\uD83D\u0041")),
            "invalid-utf8-in-lastName" => Spliced(lastName, [0xFF]),
            "overlong-utf8" => Spliced(lastName, [0xC0, 0xAF]),
            "utf8-encoded-surrogate" => Spliced(lastName, [0xED, 0xA0, 0x80]),
            "invalid-utf8-in-focusRecordId" => Spliced(focusId, [0xC3, 0x28]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await using var db = await DbAsync();
        var before = await db.InboundRequests.CountAsync();

        var response = await app.PostRecordBytesAsync(token, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        var logged = await db.InboundRequests.AsNoTracking().SingleAsync(r => r.Id == problem.GetProperty("requestId").GetInt64());
        Assert.Equal(400, logged.StatusCode);
        Assert.Equal(before + 1, await db.InboundRequests.CountAsync());
        var idPrefix = focusId[..20];
        Assert.False(await db.SurveyRecords.AnyAsync(r => r.FocusRecordId.StartsWith(idPrefix)));
        Assert.False(await db.Customers.AnyAsync(c => c.LastName.StartsWith(lastName)));
    }

    [Fact]
    public async Task Post_BodyOverFiveMegabytes_413AndNothingStored()
    {
        var token = await DemoTokenAsync();
        var huge = CsiPayloads.Record("API-HUGE", "NGM", "Awaiting", Now.AddMinutes(-1), firstName: new string('x', 5 * 1024 * 1024 + 10));

        var response = await app.PostRecordsAsync(token, CsiPayloads.Batch(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync());
        await using var db = await DbAsync();
        Assert.False(await db.SurveyRecords.AnyAsync(r => r.FocusRecordId == "API-HUGE"));
        Assert.Equal(413, (await db.InboundRequests.OrderByDescending(r => r.Id).FirstAsync()).StatusCode);
    }

    [Fact]
    public async Task Post_OverThousandRecords_400()
    {
        var token = await DemoTokenAsync();
        var records = Enumerable.Range(0, 1001).Select(i => (object)CsiPayloads.Record($"API-MANY-{i}", "NGM", "Awaiting", Now.AddMinutes(-1)));

        var response = await app.PostRecordsAsync(token, CsiPayloads.Batch(records));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 1,000", await response.Content.ReadAsStringAsync());
        await using var db = await DbAsync();
        Assert.False(await db.SurveyRecords.AnyAsync(r => r.FocusRecordId.StartsWith("API-MANY-")));
    }

    [Fact]
    public async Task Post_GeneratedMalformedPayloads_Never5xxNothingInvalidStoredEachLogged()
    {
        var token = await DemoTokenAsync();
        var rnd = new Random(20260302);
        await using var db = await DbAsync();
        var loggedBefore = await db.InboundRequests.CountAsync();
        var requests = 0;
        var fields = new[] { "focusRecordId", "dealershipCode", "status", "statusChangedAt", "score", "customer", "vehicle", "eventType", "eventDate" };
        var junk = new object?[] { 123, -1, 1e300, true, false, null, "", new string('é', 70_000), new object[] { 1, "a" }, new { nested = new { deeper = 1 } }, "2026-13-45T99:99:99Z" };

        for (var i = 0; i < 300; i++)
        {
            var prefix = $"FZ{i:D3}-";
            var records = Enumerable.Range(0, 3).Select(n => CsiPayloads.Record($"{prefix}{n}", "NGM", "Awaiting", Now.AddMinutes(-1),
                lastName: $"Fuzz{i}x{n}", phones: [$"+44 7911 {i * 10 + n:D6}"])).ToList();
            var contentType = "application/json";
            string body;
            switch (i % 6)
            {
                case 0: // random truncation
                    var full = CsiPayloads.Batch(records);
                    body = full[..rnd.Next(0, full.Length - 1)];
                    break;
                case 1: // a wrong type or an absurd value in a random field of a random record
                    records[rnd.Next(3)][fields[rnd.Next(fields.Length)]] = junk[rnd.Next(junk.Length)];
                    body = CsiPayloads.Batch(records);
                    break;
                case 2: // wrong types inside customer and vehicle
                    var customer = (Dictionary<string, object?>)records[rnd.Next(3)]["customer"]!;
                    customer[new[] { "firstName", "lastName", "phones", "email", "title" }[rnd.Next(5)]] = junk[rnd.Next(junk.Length)];
                    ((Dictionary<string, object?>)records[rnd.Next(3)]["vehicle"]!)["vin"] = junk[rnd.Next(junk.Length)];
                    body = CsiPayloads.Batch(records);
                    break;
                case 3: // not JSON at all
                    var bytes = new byte[rnd.Next(1, 400)];
                    rnd.NextBytes(bytes);
                    body = new[] { "", "null", "[]", "{", "{\"records\": {}}", "{\"records\": null}", new string('[', 5000), Convert.ToBase64String(bytes), "{\"records\": [1, \"two\", null]}" }[rnd.Next(9)];
                    break;
                case 4: // the wrong content type
                    body = CsiPayloads.Batch(records);
                    contentType = new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "" }[rnd.Next(5)];
                    break;
                default: // a valid batch with a broken record in it
                    records[1]["statusChangedAt"] = Now.AddDays(2).ToString("O");
                    body = CsiPayloads.Batch(records);
                    break;
            }

            var response = await app.PostRecordsAsync(token, body, contentType);
            requests++;
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"Payload {i} got {status}: {await response.Content.ReadAsStringAsync()}");
            var stored = await db.SurveyRecords.CountAsync(r => r.FocusRecordId.StartsWith(prefix));
            if (status == 200)
            {
                var result = await response.Content.ReadFromJsonAsync<CsiBatchResponse>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
                Assert.Equal(result!.Counts.Created, stored);
                Assert.True(stored <= (i % 6 == 5 ? 2 : 3));
            }
            else
            {
                Assert.True(status is 400 or 415, $"Payload {i}: {status}");
                Assert.Equal(0, stored);
            }
        }

        Assert.Equal(loggedBefore + requests, await db.InboundRequests.CountAsync());
        Assert.False(await db.InboundRequests.AnyAsync(r => r.StatusCode >= 500));
    }
}
