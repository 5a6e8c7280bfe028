using System.Text;
using KonnectLive.Core.Inbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Inbound;

/// <summary>
/// Bodies that are not text: bytes that are not UTF-8, and JSON escapes of half a surrogate pair. Each is refused as a
/// whole with a 400 and a finished log row; nothing from any of them is stored.
/// </summary>
public sealed class CsiBadBytesTests : IAsyncLifetime
{
    private const string Marker = "QQMARKERQQ";
    private static readonly InboundCaller Caller = new(null, "bad-bytes");
    private CoreTestDatabase _db = null!;
    private string _dealer = "";

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _dealer = (await _db.AddDealershipAsync()).Code;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CsiIngestService Ingest => _db.Services.GetRequiredService<CsiIngestService>();

    /// <summary>The string fields of a record, by the path used to put the marker in them.</summary>
    private static readonly string[] StringFields =
    [
        "focusRecordId", "dealershipCode", "status", "statusChangedAt", "eventType", "eventDate",
        "customer.title", "customer.firstName", "customer.lastName", "customer.email", "customer.phones.number", "customer.phones.type",
        "vehicle.registration", "vehicle.vin", "vehicle.make", "vehicle.model",
    ];

    private static readonly string[] PropertyNames =
    [
        "records", "focusRecordId", "dealershipCode", "status", "statusChangedAt", "score", "customer", "title", "firstName", "lastName",
        "phones", "number", "type", "email", "vehicle", "registration", "vin", "make", "model", "eventType", "eventDate",
    ];

    /// <summary>Escapes that are not text: a lone high or low half, a high half followed by a letter or by another high half, the halves reversed.</summary>
    private static readonly string[] SurrogateEscapes = [@"\uD800", @"\uDFFF", @"\uD83Dx", @"\uD83D\u0041", @"\uD83D\uD83D", @"\uDE00\uD83D"];

    /// <summary>Byte sequences that no UTF-8 encoder writes.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0x80], [0xBF],                 // never valid; a continuation byte alone
        [0xC0, 0xAF], [0xC1, 0xBF],                     // overlong two-byte forms of '/' and '?'
        [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF],   // overlong three- and four-byte forms
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],         // UTF-16 surrogates encoded as if they were characters
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], // beyond U+10FFFF
        [0xC3], [0xE2, 0x82],                           // a sequence cut short
    ];

    private string ValidBatch(string focusPrefix, string? markedField = null)
    {
        var records = Enumerable.Range(0, 3).Select(n =>
        {
            var r = CsiPayloads.Record($"{focusPrefix}-{n}", _dealer, "Awaiting", _db.Now.AddHours(-1), lastName: $"Bytes{n}",
                phones: [$"07700 9{n:D5}"], email: $"bytes{n}@example.com", vin: "SKA1234567890ABCD");
            if (n == 1 && markedField is not null) Put(r, markedField);
            return (object)r;
        });
        return CsiPayloads.Batch(records);
    }

    private static void Put(Dictionary<string, object?> record, string path)
    {
        var parts = path.Split('.');
        if (parts.Length == 1) { record[path] = Marker; return; }
        var child = record[parts[0]];
        if (child is List<Dictionary<string, object?>> list) child = list[0];
        var dict = (Dictionary<string, object?>)child!;
        if (parts.Length == 3)
        {
            var phone = ((List<Dictionary<string, object?>>)dict[parts[1]]!)[0];
            phone[parts[2]] = Marker;
        }
        else dict[parts[1]] = Marker;
    }

    private async Task AssertRefusedAsync(CsiIngestOutcome outcome, string what)
    {
        Assert.True(outcome.StatusCode == 400, $"{what}: got {outcome.StatusCode} ({outcome.Error})");
        Assert.False(string.IsNullOrWhiteSpace(outcome.Error), what);
        await using var db = _db.NewDbContext();
        var logged = await db.InboundRequests.AsNoTracking().SingleAsync(r => r.Id == outcome.RequestId);
        Assert.True(logged.StatusCode == 400, $"{what}: logged as {logged.StatusCode} ({logged.Error})");
    }

    private async Task AssertNothingStoredAsync()
    {
        await using var db = _db.NewDbContext();
        Assert.Equal(0, await db.SurveyRecords.CountAsync());
        Assert.Equal(0, await db.Customers.CountAsync());
        Assert.Equal(0, await db.ScheduledMessages.CountAsync());
        Assert.False(await db.InboundRequests.AnyAsync(r => r.StatusCode != 400));
    }

    [Fact]
    public async Task IngestAsync_SurrogateEscapeInEveryStringField_400AndNothingStored()
    {
        var sent = 0;
        foreach (var field in StringFields)
        foreach (var escape in SurrogateEscapes)
        foreach (var (before, after) in new[] { ("", ""), ("Ab", ""), ("", "Cd") })
        {
            var body = ValidBatch($"SF{sent}", field).Replace(Marker, before + escape + after);
            await AssertRefusedAsync(await Ingest.IngestAsync(Caller, body), $"{field} = {before}{escape}{after}");
            sent++;
        }

        Assert.Equal(StringFields.Length * SurrogateEscapes.Length * 3, sent);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task IngestAsync_SurrogateEscapeInEveryPropertyName_400AndNothingStored()
    {
        var sent = 0;
        foreach (var name in PropertyNames)
        foreach (var escape in SurrogateEscapes.Take(4))
        foreach (var where in new[] { 0, name.Length / 2 })
        {
            var valid = ValidBatch($"PN{sent}");
            var quoted = $"\"{name}\":";
            Assert.Contains(quoted, valid);
            var broken = $"\"{name[..where]}{escape}{name[where..]}\":";
            // Only the second record's copy (or the one "records"), so the batch is otherwise good.
            var at = name == "records" ? valid.IndexOf(quoted, StringComparison.Ordinal) : NthIndexOf(valid, quoted, 1);
            var body = valid[..at] + broken + valid[(at + quoted.Length)..];
            await AssertRefusedAsync(await Ingest.IngestAsync(Caller, body), $"property {broken}");
            sent++;
        }

        Assert.Equal(PropertyNames.Length * 4 * 2, sent);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task IngestAsync_InvalidUtf8InEveryStringField_400AndNothingStored()
    {
        var sent = 0;
        foreach (var field in StringFields)
        foreach (var bad in InvalidUtf8)
        {
            var parts = ValidBatch($"UF{sent}", field).Split(Marker);
            byte[] body = [.. Encoding.UTF8.GetBytes(parts[0] + "A"), .. bad, .. Encoding.UTF8.GetBytes("B" + parts[1])];
            await AssertRefusedAsync(await Ingest.IngestAsync(Caller, body), $"{field} with {Convert.ToHexString(bad)}");
            sent++;
        }

        Assert.Equal(StringFields.Length * InvalidUtf8.Length, sent);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task IngestAsync_InvalidUtf8AnywhereInTheBody_400AndNothingStored()
    {
        var rnd = new Random(20260309);
        for (var i = 0; i < 150; i++)
        {
            var valid = Encoding.UTF8.GetBytes(ValidBatch($"RB{i}"));
            var at = rnd.Next(0, valid.Length + 1);
            var bad = InvalidUtf8[rnd.Next(InvalidUtf8.Length)];
            byte[] body = [.. valid.AsSpan(0, at), .. bad, .. valid.AsSpan(at)];
            await AssertRefusedAsync(await Ingest.IngestAsync(Caller, body), $"{Convert.ToHexString(bad)} at byte {at}");
        }

        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task IngestAsync_StringWithRawLoneSurrogate_400AndNothingStored(int which)
    {
        // Built here, not passed in: xunit would replace a lone surrogate in test data before the test saw it.
        var broken = new[] { "\uD800", "\uDC00", "x\uDBFF" }[which];
        var body = ValidBatch("RAW", "customer.firstName").Replace(Marker, broken);

        await AssertRefusedAsync(await Ingest.IngestAsync(Caller, body), "raw surrogate");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task IngestAsync_ValidUtf8Bytes_Accepted()
    {
        var body = Encoding.UTF8.GetBytes(ValidBatch("OK", "customer.firstName").Replace(Marker, "Zoë 🚗"));

        var outcome = await Ingest.IngestAsync(Caller, body);

        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal(3, outcome.Response!.Counts.Created);
        await using var db = _db.NewDbContext();
        Assert.True(await db.Customers.AnyAsync(c => c.FirstName == "Zoë 🚗"));
    }

    [Fact]
    public async Task IngestAsync_ValidSurrogatePairEscape_Accepted()
    {
        var body = ValidBatch("PAIR", "customer.firstName").Replace(Marker, @"Zo\u00EB \uD83D\uDE97");

        var outcome = await Ingest.IngestAsync(Caller, body);

        Assert.Equal(200, outcome.StatusCode);
        await using var db = _db.NewDbContext();
        Assert.True(await db.Customers.AnyAsync(c => c.FirstName == "Zoë 🚗"));
    }

    private static int NthIndexOf(string s, string value, int n)
    {
        var at = -1;
        for (var i = 0; i <= n; i++)
        {
            at = s.IndexOf(value, at + 1, StringComparison.Ordinal);
            if (at < 0) return s.IndexOf(value, StringComparison.Ordinal);
        }
        return at;
    }
}
