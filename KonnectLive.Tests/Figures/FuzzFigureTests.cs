using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KonnectLive.Core.Customers.Import;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Surveys;
using KonnectLive.Tests.Api.Inbound;
using KonnectLive.Tests.Core.Inbound;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Figures;

/// <summary>
/// The fuzz figure: thousands of generated FOCUS payloads across many fault kinds against the real app on Kestrel, then the token
/// endpoint, then broken CSV files against the customer import. Prints one line each; asserts 0 × 5xx, 0 invalid rows stored,
/// every records request in the inbound log with the status it answered, and 0 rows from any broken CSV file.
/// </summary>
[Collection(InboundApiCollection.Name)]
public sealed class FuzzFigureTests(InboundApiFixture app, ITestOutputHelper output)
{
    private const int Payloads = 2_100;
    private const int TokenBodies = 300;
    private const int CsvFiles = 520;

    private static readonly string[] Injections =
    [
        "'; DROP TABLE Customers; --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "\" OR 1=1 --", "../../etc/passwd",
        "%00", "Robert'); DELETE FROM SurveyRecords;--", "=cmd|' /C calc'!A0", "\u202Eevil\u202C",
    ];

    private enum Fault
    {
        WrongType, UnknownEnum, MissingField, NullField, OversizeString, DuplicateKey, UnknownKey, InvalidUtf8, UnpairedSurrogate,
        DeepNesting, TooManyRecords, FarDate, Injection, OversizeBody, NotJson,
    }

    [Fact]
    public async Task Fuzz_RecordsTokenAndCsvImport_No5xx_NoInvalidRows_EveryRequestLogged()
    {
        var dealership = await app.NewDealershipAsync("fuzz", customers: 1);
        var client = await app.NewApiClientAsync("fuzz");
        var token = await app.TokenAsync(client.Client.ClientId, client.Secret);
        long firstLogId;
        await using (var db = await NewDbAsync()) firstLogId = await db.InboundRequests.MaxAsync(r => (long?)r.Id) ?? 0;

        var random = new Random(13);
        var now = app.Time.GetUtcNow().UtcDateTime.AddMinutes(-5);
        var bodies = Enumerable.Range(0, Payloads).Select(i => Generate((Fault)(i % Enum.GetValues<Fault>().Length), i, dealership.Code, random, now)).ToList();
        var statuses = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (body, ct) =>
        {
            using var response = await app.PostRecordBytesAsync(token, body);
            statuses.Add((int)response.StatusCode);
        });

        var fiveHundreds = statuses.Count(s => s >= 500);
        int invalid;
        Dictionary<int, int> logged;
        await using (var db = await NewDbAsync())
        {
            logged = await db.InboundRequests.Where(r => r.Id > firstLogId && r.Endpoint == CsiIngestService.Endpoint)
                .GroupBy(r => r.StatusCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
            invalid = await InvalidRowsAsync(db, dealership.Id);
        }
        var answered = statuses.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Print($"fuzz: {Payloads:N0} payloads across {Enum.GetValues<Fault>().Length} fault kinds, {fiveHundreds} × 5xx, {invalid} invalid rows, " +
                         $"{logged.Values.Sum():N0} of {Payloads:N0} in the inbound log with their status");
        Assert.Equal(0, fiveHundreds);
        Assert.Equal(0, invalid);
        Assert.Equal(answered.OrderBy(k => k.Key), logged.OrderBy(k => k.Key));

        // The token endpoint: broken bodies and wrong secrets.
        var tokenStatuses = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, TokenBodies), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            using var http = app.NewClient();
            var body = TokenBody(i, client.Client.ClientId);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new(i % 7 == 0 ? "application/x-www-form-urlencoded" : "application/json");
            using var response = await http.PostAsync("/api/v1/token", content, ct);
            tokenStatuses.Add((int)response.StatusCode);
        });
        var token5xx = tokenStatuses.Count(s => s >= 500);
        Print($"fuzz: {TokenBodies:N0} token requests, {token5xx} × 5xx, {tokenStatuses.Count(s => s == 200)} tokens issued");
        Assert.Equal(0, token5xx);
        Assert.Equal(0, tokenStatuses.Count(s => s == 200));

        // The CSV import: broken files, none of whose rows may be stored.
        var import = app.Service<CustomerImportService>();
        var admin = await app.AdminAsync();
        int customersBefore;
        await using (var db = await NewDbAsync()) customersBefore = await db.Customers.CountAsync();
        var csvStored = 0;
        var csvErrors = 0;
        for (var i = 0; i < CsvFiles; i++)
        {
            try
            {
                var result = await import.ImportAsync(admin, BrokenCsv(i, dealership.Code, random), $"broken-{i}.csv");
                csvStored += result.Created + result.Updated;
            }
            catch (Exception)
            {
                csvErrors++;
            }
        }
        int customersAfter;
        await using (var db = await NewDbAsync()) customersAfter = await db.Customers.CountAsync();
        Print($"fuzz: {CsvFiles:N0} broken CSV files, {csvStored + customersAfter - customersBefore} rows stored, {csvErrors} errors");
        Assert.Equal(0, csvErrors);
        Assert.Equal(0, csvStored);
        Assert.Equal(customersBefore, customersAfter);
    }

    /// <summary>The figure line: on the console (so ./test.sh shows it, as the other figures) and in the test's own output.</summary>
    private void Print(string line)
    {
        Console.WriteLine(line);
        output.WriteLine(line);
    }

    private Task<KonnectDbContext> NewDbAsync() =>
        app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();

    /// <summary>Rows the fuzz dealership holds that a valid FOCUS record could not have produced.</summary>
    private static async Task<int> InvalidRowsAsync(KonnectDbContext db, int dealershipId)
    {
        var customers = await db.Customers.AsNoTracking().Where(c => c.DealershipId == dealershipId)
            .Select(c => new { c.FirstName, c.LastName, c.Email, Phones = c.Phones.Select(p => p.Number).ToList() }).ToListAsync();
        var records = await db.SurveyRecords.AsNoTracking().Where(r => r.DealershipId == dealershipId)
            .Select(r => new { r.FocusRecordId, r.Score, r.EventDate, r.StatusChangedAt, r.Status }).ToListAsync();
        static bool BadText(string? s, int max) => string.IsNullOrWhiteSpace(s) || s.Length > max || s.Any(ch => char.IsControl(ch) || char.IsSurrogate(ch) && !char.IsLetter(ch) && false);
        var badCustomers = customers.Count(c => BadText(c.FirstName, 100) || BadText(c.LastName, 100)
            || c.Email is { Length: > 254 } || c.Phones.Any(p => !p.StartsWith('+') || p.Length > 16 || !p[1..].All(char.IsAsciiDigit)));
        var badRecords = records.Count(r => BadText(r.FocusRecordId, 64) || r.Score is < 0 or > 10 || !Enum.IsDefined(r.Status)
            || r.EventDate.Year is < 1900 or > 2200 || r.StatusChangedAt.Year is < 1900 or > 2200);
        return badCustomers + badRecords;
    }

    private static byte[] Generate(Fault fault, int i, string code, Random random, DateTime now)
    {
        Dictionary<string, object?> Record() => CsiPayloads.Record($"FZ-{i}", code, "Awaiting", now, firstName: "Fuzz", lastName: $"Case{i}",
            phones: [$"07700 9{i % 100_000:D5}"]);
        byte[] Batch(params object[] records) => Encoding.UTF8.GetBytes(CsiPayloads.Batch(records));
        var r = Record();
        var customer = (Dictionary<string, object?>)r["customer"]!;
        switch (fault)
        {
            case Fault.WrongType:
                switch (i % 5)
                {
                    case 0: r["score"] = "ten"; break;
                    case 1: r["status"] = 3; break;
                    case 2: r["customer"] = "Fuzz Case"; break;
                    case 3: customer["phones"] = "07700 900123"; break;
                    default: r["eventDate"] = true; break;
                }
                return Batch(r);
            case Fault.UnknownEnum:
                if (i % 3 == 0) r["status"] = "Maybe"; else if (i % 3 == 1) r["eventType"] = "Lease"; else ((List<Dictionary<string, object?>>)customer["phones"]!)[0]["type"] = "Pager";
                return Batch(r);
            case Fault.MissingField:
                var keys = new[] { "focusRecordId", "dealershipCode", "status", "statusChangedAt", "customer", "vehicle", "eventType", "eventDate" };
                r.Remove(keys[i % keys.Length]);
                if (i % 2 == 0) customer.Remove("lastName");
                return Batch(r);
            case Fault.NullField:
                var nullable = new[] { "focusRecordId", "dealershipCode", "status", "statusChangedAt", "customer", "vehicle", "eventType", "eventDate", "score" };
                r[nullable[i % nullable.Length]] = null;
                if (i % 3 == 0) customer["firstName"] = null;
                return i % 11 == 0 ? "null"u8.ToArray() : Batch(r);
            case Fault.OversizeString:
                var big = new string((char)('a' + i % 26), 1_000 + random.Next(200_000));
                if (i % 4 == 0) r["focusRecordId"] = big; else if (i % 4 == 1) customer["lastName"] = big; else if (i % 4 == 2) customer["email"] = big + "@x.test"; else r["dealershipCode"] = big;
                return Batch(r);
            case Fault.DuplicateKey:
                var json = CsiPayloads.Batch(r);
                return Encoding.UTF8.GetBytes(json.Replace("\"status\":\"Awaiting\"", "\"status\":\"Awaiting\",\"status\":\"Completed\"")
                    .Replace("{\"records\":", i % 2 == 0 ? "{\"records\":[],\"records\":" : "{\"records\":"));
            case Fault.UnknownKey:
                r["x-" + i] = new { nested = new[] { 1, 2, 3 } };
                customer["middleName"] = "Q";
                // Valid otherwise: it may be stored; what is stored must still be valid.
                return Batch(r);
            case Fault.InvalidUtf8:
                var bytes = Batch(r);
                var at = bytes.Length / 2 + random.Next(bytes.Length / 4);
                bytes[at] = (byte)(0x80 + random.Next(0x40)); // a continuation byte with no lead
                if (i % 2 == 0) bytes[at] = 0xC0; // an overlong lead
                return bytes;
            case Fault.UnpairedSurrogate:
                var withSurrogate = CsiPayloads.Batch(r).Replace("\"Fuzz\"", i % 2 == 0 ? "\"Fu\\ud800zz\"" : "\"\\udfff\"")
                    .Replace($"\"FZ-{i}\"", i % 3 == 0 ? $"\"FZ-{i}\\ud83d\"" : $"\"FZ-{i}\"");
                return Encoding.UTF8.GetBytes(withSurrogate);
            case Fault.DeepNesting:
                var depth = 65 + random.Next(2_000);
                var deep = new StringBuilder("{\"records\":[");
                for (var d = 0; d < depth; d++) deep.Append(i % 2 == 0 ? "[" : "{\"a\":");
                for (var d = 0; d < depth; d++) deep.Append(i % 2 == 0 ? "]" : "}");
                return Encoding.UTF8.GetBytes(deep.Append("]}").ToString());
            case Fault.TooManyRecords:
                // 1,001 whole records now and then; otherwise 1,001 empty ones (the count is refused before any record is read).
                return i % 10 == 0
                    ? Batch(Enumerable.Range(0, 1_001).Select(n => (object)CsiPayloads.Record($"FZ-{i}-{n}", code, "Awaiting", now)).ToArray())
                    : Encoding.UTF8.GetBytes("{\"records\":[" + string.Join(",", Enumerable.Repeat("{}", 1_001)) + "]}");
            case Fault.FarDate:
                var far = new[] { "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-13-45T25:61:61Z", "+275760-09-13T00:00:00Z", "1900-01-01" };
                if (i % 2 == 0) r["statusChangedAt"] = far[i % far.Length]; else r["eventDate"] = far[i % far.Length][..Math.Min(10, far[i % far.Length].Length)];
                return Batch(r);
            case Fault.Injection:
                var injection = Injections[i % Injections.Length];
                if (i % 3 == 0) customer["lastName"] = injection; else if (i % 3 == 1) r["focusRecordId"] = injection; else r["dealershipCode"] = injection;
                return Batch(r);
            case Fault.OversizeBody:
                // Over the 5 MB limit only now and then (each costs 5 MB of traffic); otherwise many records of padding.
                if (i % 150 == 0) return Encoding.UTF8.GetBytes("{\"records\":[" + new string(' ', 5 * 1024 * 1024 + 10) + "]}");
                return Batch(Enumerable.Range(0, 10).Select(n =>
                {
                    var x = CsiPayloads.Record($"FZ-{i}-{n}", code, "Bogus", now);
                    x["pad"] = new string('p', 2_000);
                    return (object)x;
                }).ToArray());
            default:
                var junk = new[] { "", "{", "[]", "{\"records\":{}}", "{\"records\":\"x\"}", "records", "\uFEFF{\"records\":[]}", "{\"records\":[1,2,3]}", "<xml/>" };
                return Encoding.UTF8.GetBytes(junk[i % junk.Length]);
        }
    }

    private static byte[] TokenBody(int i, string clientId) => (i % 10) switch
    {
        0 => "{}"u8.ToArray(),
        1 => Encoding.UTF8.GetBytes($"{{\"client_id\":\"{clientId}\",\"client_secret\":\"wrong-{i}\"}}"),
        2 => Encoding.UTF8.GetBytes($"{{\"client_id\":{i},\"client_secret\":[1]}}"),
        3 => Encoding.UTF8.GetBytes("{\"client_id\":\"" + new string('c', 100_000) + "\",\"client_secret\":\"x\"}"),
        4 => [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D],
        5 => "{\"client_id\":\"\\ud800\",\"client_secret\":\"\\udfff\"}"u8.ToArray(),
        6 => Encoding.UTF8.GetBytes(new string('[', 5_000)),
        7 => Encoding.UTF8.GetBytes($"client_id={clientId}&client_secret='%20OR%201=1--"),
        8 => "null"u8.ToArray(),
        _ => Encoding.UTF8.GetBytes($"{{\"client_id\":\"{clientId}\",\"client_id\":\"other\",\"client_secret\":null,\"grant_type\":\"password\"}}"),
    };

    /// <summary>A CSV file none of whose rows may be imported: a wrong header, missing names, unknown dealerships, binary junk, broken quoting.</summary>
    private static byte[] BrokenCsv(int i, string code, Random random)
    {
        const string header = "DealershipCode,Title,FirstName,LastName,Email,Phone1,Phone1Type,Registration";
        string text = (i % 10) switch
        {
            0 => "",
            1 => "Name,Phone\nAlice,07700900123\n",
            2 => header + "\n" + string.Join("\n", Enumerable.Range(0, 5).Select(n => $"{code},Mr,,Nolast{n},,07700900{n:D3},Mobile,")),
            3 => header + "\n" + string.Join("\n", Enumerable.Range(0, 5).Select(n => $"NOPE{i},Ms,Ann,Unknown{n},,,,")),
            4 => header + "\n" + $"{code},Mr,\"Unclosed,Quote{i},,,,\n{code},Mr,Bad\"Quote,Row,,,,",
            5 => Encoding.Latin1.GetString(Enumerable.Range(0, 200 + random.Next(2_000)).Select(_ => (byte)random.Next(256)).ToArray()),
            6 => header + "\n" + $"{code},Mr,{new string('x', 500)},{new string('y', 500)},,,,",
            7 => header + "\n" + $",Mr,Ann,Blank{i},,,,\n   ,Ms,Bea,Space{i},,,,",
            8 => "\uFEFF\uFEFF" + header.Replace(",", ";") + $"\n{code};Mr;Ann;Semi{i};;;;",
            _ => header + "\n" + $"{code},Mr,\u0000\u0001,\u0002{i},,,,\n{code},Mr,=cmd|' /C calc'!A0,,,,,",
        };
        return Encoding.UTF8.GetBytes(text);
    }
}
