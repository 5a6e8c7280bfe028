using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Retention;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Retention;

/// <summary>The daily clean-up on a real SQLite file: old rows go, recent rows and anything still pending stay.</summary>
public class RetentionPurgeTests : IAsyncLifetime
{
    /// <summary><see cref="RetentionPurgeTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private RetentionPurge Purge => _db.Services.GetRequiredService<RetentionPurge>();
    private RetentionSettingsService Settings => _db.Services.GetRequiredService<RetentionSettingsService>();
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, true, [Roles.Admin]);

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync(provider: Provider);
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private DateTime DaysAgo(int days) => _db.Now.AddDays(-days);

    [Fact]
    public async Task RunAsync_RowsOlderThanTheirPeriod_AreRemovedAndRecentAndPendingStay()
    {
        var saved = await Settings.UpdateAsync(Admin, new RetentionSettingsInput { InboundPayloadDays = 30, OutboxDays = 60, FinishedMessageDays = 90, AuditDays = 365 });
        Assert.Equal(CommandOutcome.Done, saved.Outcome);
        var dealership = await _db.AddDealershipAsync();
        var record = await _db.AddAwaitingRecordAsync(dealership.Id, phones: "+447700900123");

        await using (var db = _db.NewDbContext())
        {
            InboundRequest Inbound(int days, string payload) => new()
            {
                ReceivedAt = DaysAgo(days), Endpoint = CsiIngestService.Endpoint, StatusCode = 200, RawPayload = payload, ResultsJson = "[]",
            };
            db.InboundRequests.AddRange(Inbound(31, "{\"old\":1}"), Inbound(29, "{\"recent\":1}"), Inbound(400, "{\"ancient\":1}"));

            ScheduledMessage Message(string key, MessageState state, int createdDaysAgo, int? completedDaysAgo) => new()
            {
                SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealership.Id, Channel = MessageChannel.Sms,
                State = state, CreatedAt = DaysAgo(createdDaysAgo), DueAt = DaysAgo(createdDaysAgo),
                CompletedAt = completedDaysAgo is { } c ? DaysAgo(c) : null, IdempotencyKey = key,
            };
            var oldSent = Message("old-sent", MessageState.Sent, 200, 100);
            var recentSent = Message("recent-sent", MessageState.Sent, 200, 80);
            var oldCancelled = Message("old-cancelled", MessageState.Cancelled, 120, 95);
            var oldScheduled = Message("old-scheduled", MessageState.Scheduled, 200, null); // still waiting: never removed
            var oldSending = Message("old-sending", MessageState.Sending, 200, null);
            db.ScheduledMessages.AddRange(oldSent, recentSent, oldCancelled, oldScheduled, oldSending);
            await db.SaveChangesAsync();

            OutboxMessage Outbox(string key, long? messageId, int days) => new()
            {
                ScheduledMessageId = messageId, Channel = MessageChannel.Sms, Recipient = "+447700900123", Body = "Hello", SentAt = DaysAgo(days), IdempotencyKey = key,
            };
            db.OutboxMessages.AddRange(Outbox("old-sent", oldSent.Id, 100), Outbox("recent-sent", recentSent.Id, 59),
                Outbox("old-sending", oldSending.Id, 100)); // its message is still sending: the key must stay to keep it exactly-once

            db.AuditEntries.AddRange(
                new AuditEntry { At = DaysAgo(366), Action = "test.old" },
                new AuditEntry { At = DaysAgo(364), Action = "test.recent" });
            await db.SaveChangesAsync();
        }

        var summary = await Purge.RunAsync();

        Assert.Equal(new RetentionPurgeSummary(PayloadsCleared: 2, InboundRowsDeleted: 1, OutboxDeleted: 1, MessagesDeleted: 2, AuditDeleted: 1), summary);
        await using var check = _db.NewDbContext();
        var inbound = await check.InboundRequests.OrderBy(r => r.Id).Select(r => new { r.RawPayload, r.ResultsJson }).ToListAsync();
        Assert.Equal(2, inbound.Count);
        Assert.Equal(("", (string?)null), (inbound[0].RawPayload, inbound[0].ResultsJson)); // 31 days: body emptied, the row stays
        Assert.Equal("{\"recent\":1}", inbound[1].RawPayload);
        Assert.Equal(["old-scheduled", "old-sending", "recent-sent"], await check.ScheduledMessages.OrderBy(m => m.IdempotencyKey).Select(m => m.IdempotencyKey).ToListAsync());
        Assert.Equal(["old-sending", "recent-sent"], await check.OutboxMessages.OrderBy(m => m.IdempotencyKey).Select(m => m.IdempotencyKey).ToListAsync());
        var actions = await check.AuditEntries.Select(a => a.Action).ToListAsync();
        Assert.DoesNotContain("test.old", actions);
        Assert.Contains("test.recent", actions);
        var purged = await check.AuditEntries.SingleAsync(a => a.Action == RetentionPurge.AuditAction);
        Assert.Contains("2 inbound payload(s) emptied", purged.Details);

        // A second run finds nothing and writes no audit entry.
        Assert.Equal(0, (await Purge.RunAsync()).Total);
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == RetentionPurge.AuditAction));
    }

    [Fact]
    public async Task RunAsync_MoreRowsThanOneBatch_RemovesThemAllInBatches()
    {
        await using (var db = _db.NewDbContext())
        {
            for (var i = 0; i < 2_500; i++) db.AuditEntries.Add(new AuditEntry { At = DaysAgo(800 + i % 5), Action = "test.old" });
            await db.SaveChangesAsync();
        }

        var summary = await Purge.RunAsync(); // defaults: audit 730 days, batches of 1,000

        Assert.Equal(2_500, summary.AuditDeleted);
        await using var check = _db.NewDbContext();
        Assert.Equal(0, await check.AuditEntries.CountAsync(a => a.Action == "test.old"));
    }

    [Fact]
    public async Task UpdateAsync_AuditShorterThanAnotherPeriodOrOutOfRange_IsRefusedAndNothingChanges()
    {
        var shorter = await Settings.UpdateAsync(Admin, new RetentionSettingsInput { InboundPayloadDays = 400, OutboxDays = 30, FinishedMessageDays = 30, AuditDays = 365 });
        var zero = await Settings.UpdateAsync(Admin, new RetentionSettingsInput { InboundPayloadDays = 0, OutboxDays = 30, FinishedMessageDays = 30, AuditDays = 365 });
        var missing = await Settings.UpdateAsync(Admin, new RetentionSettingsInput { InboundPayloadDays = 30, OutboxDays = null, FinishedMessageDays = 30, AuditDays = 365 });

        Assert.Equal(CommandOutcome.Invalid, shorter.Outcome);
        Assert.Contains("Audit log must be kept at least as long as every other period.", shorter.Message);
        Assert.Equal(CommandOutcome.Invalid, zero.Outcome);
        Assert.Contains("Inbound payloads must be between 1 and 3,650 days.", zero.Message);
        Assert.Equal(CommandOutcome.Invalid, missing.Outcome);
        Assert.Contains("Outbox is required.", missing.Message);
        var current = await Settings.GetAsync();
        Assert.Equal(RetentionSettings.DefaultInboundPayloadDays, current.InboundPayloadDays);
    }

    [Fact]
    public async Task UpdateAsync_NotAnAdmin_IsForbidden_AndAnAdminsChangeIsAudited()
    {
        var supervisor = new UserScope("sup-1", "Sam Supervisor", null, true, [Roles.Supervisor]);
        var input = new RetentionSettingsInput { InboundPayloadDays = 7, OutboxDays = 30, FinishedMessageDays = 30, AuditDays = 365 };

        Assert.Equal(CommandOutcome.Forbidden, (await Settings.UpdateAsync(supervisor, input)).Outcome);
        Assert.Equal(CommandOutcome.Done, (await Settings.UpdateAsync(Admin, input)).Outcome);

        await using var check = _db.NewDbContext();
        var entry = await check.AuditEntries.SingleAsync(a => a.Action == RetentionSettingsService.AuditAction);
        Assert.Equal("Ada Admin", entry.UserName);
        Assert.Contains("Inbound payloads: 30 days → 7 days", entry.Details);
        Assert.Equal(7, (await Settings.GetAsync()).InboundPayloadDays);
    }
}

public sealed class RetentionPurgeTestsOnPostgreSql : RetentionPurgeTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
