using System.Diagnostics;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Xunit.Abstractions;

namespace KonnectLive.Tests.Scheduling;

/// <summary>
/// The measurements behind "one recurring dispatcher job, not one Quartz trigger per message"
/// (see SchedulingServiceCollectionExtensions). Too slow for every run, so ./test.sh leaves it out; run it with
/// <c>dotnet test KonnectLive.Tests --filter Category=Measurement</c>. Figures are written to the test output and
/// artifacts/benchmarks/messaging.md. Timings are reported, not asserted.
/// </summary>
[Trait("Category", "Measurement")]
public sealed class DispatchMeasurementTests(ITestOutputHelper output) : IDisposable
{
    private const int Count = 10_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("konnectlive-measure-").FullName;

    [Fact]
    public async Task Measure_TriggersVersusRowsAndDispatchLatency_Reported()
    {
        var lines = new List<string> { $"# Messaging measurements ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})", "" };

        // 1. One trigger per message in Quartz's SQLite store: one ScheduleJob each (as ingest would do per record), then one batch.
        await using (var quartz = new ServiceCollection().AddLogging().AddQuartz(q => q.UsePersistentStore(s =>
                     {
                         s.UseSqlite($"Data Source={Path.Combine(_dir, "measure-quartz.db")}");
                         s.UseSystemTextJsonSerializer();
                         s.ProvisionSchema();
                     })).BuildServiceProvider())
        {
            var scheduler = await quartz.GetRequiredService<ISchedulerFactory>().GetScheduler();
            var job = JobBuilder.Create<NoOpJob>().WithIdentity("send-message").StoreDurably().Build();
            await scheduler.AddJob(job, default);
            var due = DateTimeOffset.UtcNow.AddHours(1);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < Count; i++)
                await scheduler.ScheduleJob(TriggerBuilder.Create().WithIdentity($"m-{i}").ForJob(job.Key).StartAt(due.AddSeconds(i)).Build(), default);
            lines.Add($"- {Count:N0} one-shot triggers, one ScheduleJob each, Quartz SQLite store: {sw.Elapsed.TotalSeconds:0.00} s ({sw.Elapsed.TotalMilliseconds / Count:0.00} ms each)");

            var batchJob = JobBuilder.Create<NoOpJob>().WithIdentity("send-message-batch").StoreDurably().Build();
            var triggers = Enumerable.Range(0, Count)
                .Select(i => TriggerBuilder.Create().WithIdentity($"b-{i}").ForJob(batchJob.Key).StartAt(due.AddSeconds(i)).Build()).ToList();
            sw.Restart();
            await scheduler.ScheduleJobs(new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>> { [batchJob] = triggers }, default);
            lines.Add($"- {Count:N0} one-shot triggers in one ScheduleJobs batch: {sw.Elapsed.TotalSeconds:0.00} s");
            await scheduler.Shutdown(false);
        }

        // 2. The same number of ScheduledMessage rows (what ingest writes in any case), and the dispatch through Quartz.
        await using var host = await SchedulingHost.StartAsync(_dir, new Dictionary<string, string?> { ["Messaging:DispatchEverySeconds"] = "1" });
        int dealershipId, recordId, customerId, templateId;
        await using (var db = host.NewDbContext())
        {
            var dealership = new Dealership { Code = "M1", Name = "Measure Motors", SendFrom = TimeOnly.MinValue, SendUntil = TimeOnly.MinValue };
            db.Dealerships.Add(dealership);
            await db.SaveChangesAsync();
            var customer = new Customer { DealershipId = dealership.Id, FirstName = "Max", LastName = "Measure", Phones = [new CustomerPhone { Position = 1, Number = "+447700900999", Type = PhoneType.Mobile }] };
            var record = SurveyRecord.Create("M-1", dealership.Id, customer, null, SurveyStatus.Awaiting, DateTime.UtcNow.AddMinutes(-1), null, EventType.Sales, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow);
            db.SurveyRecords.Add(record);
            await db.SaveChangesAsync();
            (dealershipId, recordId, customerId) = (dealership.Id, record.Id, record.CustomerId);
            templateId = await db.MessageTemplates.Where(t => t.Channel == MessageChannel.Sms).Select(t => t.Id).FirstAsync();
        }
        var statusChangedAt = (await host.NewDbContext().SurveyRecords.AsNoTracking().SingleAsync(r => r.Id == recordId)).StatusChangedAt;
        ScheduledMessage Row(int i, DateTime dueAt) => new()
        {
            SurveyRecordId = recordId, CustomerId = customerId, DealershipId = dealershipId, TemplateId = templateId, Channel = MessageChannel.Sms,
            TriggerStatus = SurveyStatus.Awaiting, TriggerStatusChangedAt = statusChangedAt, CreatedAt = DateTime.UtcNow, DueAt = dueAt,
            IdempotencyKey = $"measure:{i}",
        };

        var swRows = Stopwatch.StartNew();
        await using (var db = host.NewDbContext())
        {
            db.ScheduledMessages.AddRange(Enumerable.Range(0, Count).Select(i => Row(i, DateTime.UtcNow.AddHours(1).AddSeconds(i))));
            await db.SaveChangesAsync();
        }
        lines.Add($"- {Count:N0} ScheduledMessage rows inserted (one SaveChanges): {swRows.Elapsed.TotalSeconds:0.00} s");

        // Latency: 200 messages due over the next 5 s, dispatched by the 1 s Quartz job.
        await using (var db = host.NewDbContext())
        {
            await db.ScheduledMessages.ExecuteDeleteAsync();
            var start = DateTime.UtcNow.AddSeconds(1);
            db.ScheduledMessages.AddRange(Enumerable.Range(0, 200).Select(i => Row(Count + i, start.AddMilliseconds(i * 25))));
            await db.SaveChangesAsync();
        }
        await WaitUntilNoneQueuedAsync(host, TimeSpan.FromSeconds(30));
        await using (var db = host.NewDbContext())
        {
            var lateness = (await db.ScheduledMessages.AsNoTracking().Where(m => m.State == MessageState.Sent).Select(m => new { m.SentAt, m.DueAt }).ToListAsync())
                .Select(m => (m.SentAt!.Value - m.DueAt).TotalSeconds).OrderBy(s => s).ToList();
            lines.Add($"- dispatch latency, 200 messages due over 5 s, job every 1 s: median {lateness[lateness.Count / 2]:0.00} s, " +
                      $"p95 {lateness[(int)(lateness.Count * 0.95)]:0.00} s, max {lateness[^1]:0.00} s (sent {lateness.Count})");
        }

        // Throughput: 10,000 messages all due now, drained by the Quartz job through the outbox sender.
        await using (var db = host.NewDbContext())
        {
            db.ScheduledMessages.AddRange(Enumerable.Range(0, Count).Select(i => Row(2 * Count + i, DateTime.UtcNow)));
            await db.SaveChangesAsync();
        }
        var swDrain = Stopwatch.StartNew();
        await WaitUntilNoneQueuedAsync(host, TimeSpan.FromSeconds(120));
        lines.Add($"- {Count:N0} due messages drained through the outbox sender: {swDrain.Elapsed.TotalSeconds:0.0} s ({Count / swDrain.Elapsed.TotalSeconds:0} per second)");

        foreach (var line in lines) output.WriteLine(line);
        var artifacts = Path.Combine(KonnectLive.Tests.Infrastructure.RepositoryRoot.Path, "artifacts", "benchmarks");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllLinesAsync(Path.Combine(artifacts, "messaging.md"), lines);
    }

    private static async Task WaitUntilNoneQueuedAsync(SchedulingHost host, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            await using var db = host.NewDbContext();
            if (await db.ScheduledMessages.CountAsync(m => m.State == MessageState.Scheduled || m.State == MessageState.Sending) == 0) return;
            if (DateTime.UtcNow > deadline) Assert.Fail("messages still queued");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed class NoOpJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
