using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Scheduling;

/// <summary>
/// The dispatcher driven by Quartz with its persistent SQLite store, across a stop and a start of the host — as the
/// app is restarted — in real time with a 1 s dispatch interval.
/// </summary>
public sealed class QuartzDispatchTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("konnectlive-quartz-").FullName;

    [Fact]
    public async Task Dispatch_HostRestartedBeforeDue_SentExactlyOnceAfterDueWhileClosedAndUnsubscribedAreSkipped()
    {
        long due, closed, unsubscribed;
        DateTime dueAt;
        await using (var first = await SchedulingHost.StartAsync(_dir))
        {
            await using var db = first.NewDbContext();
            // No sending-hours restriction (From == Until), so the test passes at any time of day.
            var dealership = new Dealership { Code = "Q1", Name = "Quartz Motors", SendFrom = TimeOnly.MinValue, SendUntil = TimeOnly.MinValue };
            db.Dealerships.Add(dealership);
            await db.SaveChangesAsync();
            var now = DateTime.UtcNow;
            dueAt = now.AddSeconds(4);
            due = await QueueAsync(db, dealership.Id, "Q-1", dueAt);
            closed = await QueueAsync(db, dealership.Id, "Q-2", dueAt);
            unsubscribed = await QueueAsync(db, dealership.Id, "Q-3", dueAt);
        } // the app stops before anything is due

        Assert.True(File.Exists(Path.Combine(_dir, "quartz.db")), "Quartz keeps its store in its own SQLite file beside the app's");
        Assert.True(await QuartzHasTriggerAsync(), "the dispatcher's trigger is in Quartz's persistent store");

        // While the app is down: one record closes (FOCUS said Completed), one customer unsubscribes from SMS.
        await using (var db = NewDbContext())
        {
            var record = await db.SurveyRecords.Include(r => r.History).SingleAsync(r => r.FocusRecordId == "Q-2");
            record.ChangeStatus(SurveyStatus.Completed, DateTime.UtcNow, DateTime.UtcNow);
            var phone = await db.CustomerPhones.SingleAsync(p => p.Number == "+447700900Q-3".Replace("Q-", "0"));
            phone.Unsubscribe(ContactChannel.Sms, "agent", DateTime.UtcNow);
            await db.SaveChangesAsync();
        }

        await using (var second = await SchedulingHost.StartAsync(_dir))
        {
            await EventuallyAsync(async () =>
            {
                await using var db = second.NewDbContext();
                return await db.ScheduledMessages.CountAsync(m => m.State == MessageState.Scheduled || m.State == MessageState.Sending) == 0;
            }, "all three messages are dealt with");
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // another dispatch run or two: still one outbox row

            await using var check = second.NewDbContext();
            var sent = await check.ScheduledMessages.AsNoTracking().SingleAsync(m => m.Id == due);
            Assert.Equal(MessageState.Sent, sent.State);
            Assert.True(sent.SentAt >= dueAt, $"sent at {sent.SentAt:O}, due at {dueAt:O}: never early");
            Assert.True(sent.SentAt - dueAt < TimeSpan.FromSeconds(3), $"sent {(sent.SentAt - dueAt)!.Value.TotalSeconds:0.0} s after due");
            Assert.Equal(1, await check.OutboxMessages.CountAsync(o => o.IdempotencyKey == sent.IdempotencyKey));
            Assert.Equal(1, await check.OutboxMessages.CountAsync());

            var skipped = await check.ScheduledMessages.AsNoTracking().SingleAsync(m => m.Id == closed);
            Assert.Equal(MessageState.Skipped, skipped.State);
            Assert.Equal("record closed (Completed)", skipped.SkipReason);
            var consent = await check.ScheduledMessages.AsNoTracking().SingleAsync(m => m.Id == unsubscribed);
            Assert.Equal(MessageState.Skipped, consent.State);
            Assert.StartsWith("no SMS-consented mobile", consent.SkipReason);
        }
    }

    private static async Task<long> QueueAsync(KonnectDbContext db, int dealershipId, string focusId, DateTime dueAt)
    {
        var customer = new Customer
        {
            DealershipId = dealershipId, FirstName = "Quinn", LastName = focusId,
            Phones = [new CustomerPhone { Position = 1, Number = "+447700900" + focusId.Replace("Q-", "0"), Type = PhoneType.Mobile }],
        };
        var record = SurveyRecord.Create(focusId, dealershipId, customer, null, SurveyStatus.Awaiting, DateTime.UtcNow.AddMinutes(-1), null,
            EventType.Sales, DateTime.UtcNow.AddDays(-2), DateTime.UtcNow);
        db.SurveyRecords.Add(record);
        await db.SaveChangesAsync();
        var template = await db.MessageTemplates.FirstAsync(t => t.Channel == MessageChannel.Sms);
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealershipId, TemplateId = template.Id, Channel = MessageChannel.Sms,
            TriggerStatus = record.Status, TriggerStatusChangedAt = record.StatusChangedAt, CreatedAt = DateTime.UtcNow, DueAt = dueAt,
            IdempotencyKey = MessagePlanner.IdempotencyKey(record),
        };
        db.ScheduledMessages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private KonnectDbContext NewDbContext() => new(new DbContextOptionsBuilder<KonnectDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_dir, "konnectlive.db")}").Options);

    private async Task<bool> QuartzHasTriggerAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "quartz.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%TRIGGERS' AND name NOT LIKE '%FIRED%' LIMIT 1";
        var table = (string?)await cmd.ExecuteScalarAsync();
        if (table is null) return false;
        cmd.CommandText = $"SELECT COUNT(*) FROM {table} WHERE TRIGGER_NAME = 'dispatch-messages-every'";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync()) == 1;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {because}.");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
