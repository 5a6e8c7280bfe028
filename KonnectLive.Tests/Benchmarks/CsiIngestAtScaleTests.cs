using System.Diagnostics;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

using KonnectLive.Tests.Core;
using KonnectLive.Tests.Core.Inbound;

namespace KonnectLive.Tests.Benchmarks;

/// <summary>
/// FOCUS may push 100,000 records in a night: 10,000 Awaiting records in ten 1,000-record batches, every one
/// stored and its message scheduled. The time is written to artifacts/benchmarks/ingest.md, not asserted.
/// </summary>
[Collection(BenchmarkCollection.Name)]
public sealed class CsiIngestAtScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task IngestAsync_TenThousandAwaitingInTenBatches_AllStoredAndQueued()
    {
        await using var db = await CoreTestDatabase.CreateAsync();
        var dealers = new[] { await db.AddDealershipAsync("North"), await db.AddDealershipAsync("South") };
        var ingest = db.Services.GetRequiredService<CsiIngestService>();
        var at = db.Now.AddHours(-1);
        var batches = Enumerable.Range(0, 10).Select(b => CsiPayloads.Batch(Enumerable.Range(0, 1000).Select(i =>
        {
            var n = b * 1000 + i;
            return (object)CsiPayloads.Record($"PERF-{n:D5}", dealers[n % 2].Code, "Awaiting", at, firstName: $"First{n}", lastName: $"Last{n}",
                phones: [$"+44 7911 {n:D6}", $"+44 161 555 {n:D4}"], email: $"perf{n}@example.com", registration: $"PF{n:D5}");
        }))).ToList();

        var times = new List<long>();
        var total = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var one = Stopwatch.StartNew();
            var outcome = await ingest.IngestAsync(new InboundCaller(null, "perf"), batch);
            times.Add(one.ElapsedMilliseconds);
            Assert.Equal(1000, outcome.Response!.Counts.Created);
        }
        total.Stop();
        output.WriteLine($"10,000 Awaiting records in 10 batches: {total.ElapsedMilliseconds} ms in all; per batch {string.Join(", ", times)} ms");

        await using var ctx = db.NewDbContext();
        Assert.Equal(10_000, await ctx.SurveyRecords.CountAsync(r => r.FocusRecordId.StartsWith("PERF-")));
        Assert.Equal(10_000, await ctx.ScheduledMessages.CountAsync(m => m.State == MessageState.Scheduled));

        var dir = Path.Combine(KonnectLive.Tests.Infrastructure.RepositoryRoot.Path, "artifacts", "benchmarks");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "ingest.md"),
            $"# FOCUS ingest ({Environment.ProcessorCount} cores, SQLite file)\n\n10,000 Awaiting records in 10 batches of 1,000, " +
            $"stored with their scheduled messages: {total.ElapsedMilliseconds:N0} ms in all; per batch {string.Join(", ", times)} ms\n");
    }
}
