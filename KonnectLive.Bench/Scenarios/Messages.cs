using System.Diagnostics;
using KonnectLive.Bench.Hosting;
using KonnectLive.Bench.Reporting;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Bench.Scenarios;

/// <summary>
/// 1,000 chasers falling due together: ScheduledMessage rows (the app's own model, written with its DbContext, as ingest
/// queues them: the Awaiting template, for the record's status) all due 3 s from now, sent by the app's own Quartz
/// dispatcher through the embedded outbox sender. due → sent is each row's SentAt − DueAt; messages/s is the count over
/// the time from due to the last one sent. Floor: the least a send can be — claim, outbox insert, mark Sent — with
/// prepared ADO.NET on the same number of rows in an identical schema.
/// </summary>
public static class Messages
{
    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "messages";
        var app = await ctx.AppAsync();
        var count = ctx.Quick ? 20 : 1_000;
        var factory = app.Service<IDbContextFactory<KonnectDbContext>>();

        await using var floorDb = await CoreOnly.CreateAsync();
        var floorDealership = await floorDb.AddDealershipAsync(Dataset.BenchDealershipCode);
        using var raw = new RawRows(floorDb.DatabasePath);

        List<Percentiles> reps = [];
        List<double> all = [];
        double sentCount = 0, sentSeconds = 0, floorCount = 0, floorSeconds = 0;
        for (var rep = 0; rep < ctx.Repetitions; rep++)
        {
            var due = DateTime.UtcNow.AddSeconds(3);
            var key = $"bench-{Guid.NewGuid():N}";
            await using (var db = await factory.CreateDbContextAsync())
            {
                var template = await db.MessageTemplates.AsNoTracking().SingleAsync(t => t.Name == DatabaseInitializer.AwaitingTemplateName);
                var records = await db.SurveyRecords.AsNoTracking()
                    .Where(r => r.DealershipId == ctx.BenchDealershipId && r.Status == SurveyStatus.Awaiting && r.FocusRecordId.StartsWith("BEN-"))
                    .OrderBy(r => r.Id).Take(count)
                    .Select(r => new { r.Id, r.CustomerId, r.DealershipId, r.StatusChangedAt }).ToListAsync();
                db.ScheduledMessages.AddRange(records.Select(r => new ScheduledMessage
                {
                    SurveyRecordId = r.Id, CustomerId = r.CustomerId, DealershipId = r.DealershipId, TemplateId = template.Id, Channel = template.Channel,
                    TriggerStatus = SurveyStatus.Awaiting, TriggerStatusChangedAt = r.StatusChangedAt, CreatedAt = DateTime.UtcNow, CreatedBy = "bench",
                    DueAt = due, IdempotencyKey = $"{key}-{r.Id}",
                }));
                await db.SaveChangesAsync();
            }
            if (DateTime.UtcNow > due) BenchContext.Log($"{scenario}: the rows were written after their due time; latency includes the lag");

            // Wait until every row has left Scheduled/Sending.
            var deadline = Stopwatch.StartNew();
            List<(MessageState State, DateTime? SentAt)> rows;
            while (true)
            {
                await using var db = await factory.CreateDbContextAsync();
                rows = (await db.ScheduledMessages.AsNoTracking().Where(m => m.IdempotencyKey.StartsWith(key))
                    .Select(m => new { m.State, m.SentAt }).ToListAsync()).Select(m => (m.State, m.SentAt)).ToList();
                if (rows.All(r => r.State is not (MessageState.Scheduled or MessageState.Sending))) break;
                if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{rows.Count(r => r.State == MessageState.Sent)} of {count} sent after 5 minutes");
                await Task.Delay(250);
            }
            var sent = rows.Where(r => r.State == MessageState.Sent).Select(r => r.SentAt!.Value).ToList();
            if (sent.Count != count) throw new InvalidOperationException($"{sent.Count} of {count} were sent; the rest: {string.Join(", ", rows.Where(r => r.State != MessageState.Sent).GroupBy(r => r.State).Select(g => $"{g.Count()} {g.Key}"))}");
            var latencies = sent.Select(s => (s - due).TotalMilliseconds).ToList();
            var span = (sent.Max() - due).TotalSeconds;

            // Floor: the same number of rows, due now, sent raw.
            var now = DateTime.UtcNow;
            raw.InsertBatch(floorDealership, $"MSG{rep}", 0, count, now.AddHours(-1), now.AddSeconds(-1));
            var floorClock = Stopwatch.StartNew();
            var floorSent = raw.SendDue(200);
            var floorElapsed = floorClock.Elapsed.TotalSeconds;

            sentCount += count; sentSeconds += span; floorCount += floorSent; floorSeconds += floorElapsed;
            reps.Add(Percentiles.Of(latencies)); all.AddRange(latencies);
            BenchContext.Log($"{scenario} rep {rep + 1}: due → sent {reps[^1]}, {count / span:N0} messages/s; raw floor {floorSent / floorElapsed:N0} messages/s");
        }

        var p = Percentiles.Of(all);
        ctx.Report.Add(new Figure(scenario, $"{count:N0} messages due together: due → sent (Quartz dispatcher every 1 s, 8 sends at once, outbox sender)", "ms", p, null,
            "raw claim + outbox insert + mark Sent (ADO.NET)", reps, "p99 ≤ 2 s", p.P99 <= 2_000,
            Rate: sentCount / sentSeconds, FloorRate: floorCount / floorSeconds, RateUnit: "messages/s",
            Note: "latency has no floor of its own: the dispatcher polls every Messaging:DispatchEverySeconds (1 s), so up to 1 s is by design"));
    }
}
