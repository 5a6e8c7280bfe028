using KonnectLive.Core.Data;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Core.Messaging;

public class MessageDispatcherTests : DispatcherTestBase
{
    [Fact]
    public async Task DispatchDue_DueSms_SentOnceToFirstMobileWithRenderedText()
    {
        var record = await AddRecordAsync("alice@example.test", "+447700900001", "+447700900002");
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(10));

        Assert.Equal(0, (await DispatchAsync()).Claimed); // not due yet
        Db.Time.Advance(TimeSpan.FromMinutes(10));
        var summary = await DispatchAsync();
        await DispatchAsync();

        Assert.Equal(1, summary.Sent);
        var sent = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Sent, sent.State);
        Assert.Equal("+447700900001", sent.Recipient);
        Assert.Equal(Db.Now, sent.SentAt);
        Assert.Equal($"Hi Alice, thank you for choosing Northgate Motors. Please tell us about your Kestrel Aero: https://survey.example.com/r/{record.FocusRecordId}", sent.Body);
        Assert.Null(sent.ClaimToken);
        var outbox = Assert.Single(await OutboxAsync());
        Assert.Equal(message.IdempotencyKey, outbox.IdempotencyKey);
        Assert.Equal(sent.Body, outbox.Body);
        Assert.Equal("+447700900001", outbox.Recipient);
    }

    [Fact]
    public async Task DispatchDue_DueEmail_SubjectAndBodyRendered()
    {
        var record = await AddRecordAsync("alice@example.test");
        var message = await QueueAsync(record, MessageChannel.Email, TimeSpan.Zero);

        await DispatchAsync();

        var sent = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Sent, sent.State);
        Assert.Equal("alice@example.test", sent.Recipient);
        Assert.Equal("Thank you from Northgate Motors", sent.Subject);
        Assert.StartsWith("Dear Mrs Alice Archer,", sent.Body);
        Assert.Contains("Kestrel Aero (AB12 CDE)", sent.Body);
    }

    [Fact]
    public async Task DispatchDue_RecordClosedBeforeDue_SkippedAndNotSent()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(10));
        await Db.ChangeStatusAsync(record.Id, SurveyStatus.Completed);

        Db.Time.Advance(TimeSpan.FromMinutes(10));
        await DispatchAsync();

        var skipped = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Skipped, skipped.State);
        Assert.Equal("record closed (Completed)", skipped.SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_StatusChangedSinceQueued_Skipped()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(10));
        await Db.ChangeStatusAsync(record.Id, SurveyStatus.Pending);

        Db.Time.Advance(TimeSpan.FromMinutes(10));
        await DispatchAsync();

        var skipped = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Skipped, skipped.State);
        Assert.StartsWith("status changed: queued for Awaiting, record is now Pending", skipped.SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_SameStatusArrivedAgainLater_SkippedBecauseItIsAnotherStatusChange()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(10));
        await Db.ChangeStatusAsync(record.Id, SurveyStatus.Awaiting); // a newer Awaiting queues its own message

        Db.Time.Advance(TimeSpan.FromMinutes(10));
        await DispatchAsync();

        Assert.Equal(MessageState.Skipped, (await MessageAsync(message.Id)).State);
    }

    [Fact]
    public async Task DispatchDue_OnlyMobileUnsubscribedFromSms_SkippedWithReason()
    {
        var record = await AddRecordAsync(null, "+447700900001");
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        await UpdateAsync(async db => (await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId)).Unsubscribe(ContactChannel.Sms, "agent", Db.Now));

        await DispatchAsync();

        var skipped = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Skipped, skipped.State);
        Assert.Equal("no SMS-consented mobile: every mobile number is unsubscribed from SMS", skipped.SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_FirstMobileUnsubscribedSecondNot_SentToSecond()
    {
        var record = await AddRecordAsync(null, "+447700900001", "+447700900002");
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        await UpdateAsync(async db => (await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId && p.Position == 1)).Unsubscribe(ContactChannel.Sms, "agent", Db.Now));

        await DispatchAsync();

        Assert.Equal("+447700900002", (await MessageAsync(message.Id)).Recipient);
    }

    [Fact]
    public async Task DispatchDue_LandlineOnly_SkippedNoMobile()
    {
        var record = await AddRecordAsync(null, "+441132000000");
        await UpdateAsync(async db => (await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId)).Type = PhoneType.Home);
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        await DispatchAsync();

        Assert.Equal("no SMS-consented mobile: the customer has no mobile number", (await MessageAsync(message.Id)).SkipReason);
    }

    [Fact]
    public async Task DispatchDue_EmailUnsubscribed_SkippedWithReason()
    {
        var record = await AddRecordAsync("alice@example.test");
        var message = await QueueAsync(record, MessageChannel.Email, TimeSpan.Zero);
        await UpdateAsync(async db => (await db.Customers.SingleAsync(c => c.Id == record.CustomerId)).UnsubscribeEmail("agent", Db.Now));

        await DispatchAsync();

        var skipped = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Skipped, skipped.State);
        Assert.Equal("email unsubscribed", skipped.SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_NoEmailAddress_Skipped()
    {
        var record = await AddRecordAsync(email: null);
        var message = await QueueAsync(record, MessageChannel.Email, TimeSpan.Zero);

        await DispatchAsync();

        Assert.Equal("no email address", (await MessageAsync(message.Id)).SkipReason);
    }

    [Fact]
    public async Task DispatchDue_TemplateDeactivated_Skipped()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        await UpdateAsync(async db => (await db.MessageTemplates.SingleAsync(t => t.Id == message.TemplateId)).IsActive = false);

        await DispatchAsync();

        Assert.StartsWith("template", (await MessageAsync(message.Id)).SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_OutsideSendingHours_DeferredToNextOpeningThenSent()
    {
        var record = await AddRecordAsync();
        Db.Time.Advance(TimeSpan.FromHours(12)); // 21:00 GMT, after the 20:00 close
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        var summary = await DispatchAsync();

        Assert.Equal(1, summary.Deferred);
        var deferred = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Scheduled, deferred.State);
        Assert.Equal(new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc), deferred.DueAt);
        Assert.Empty(await OutboxAsync());

        Db.Time.Advance(TimeSpan.FromHours(6)); // 03:00: still nothing
        Assert.Equal(0, (await DispatchAsync()).Claimed);
        Db.Time.Advance(TimeSpan.FromHours(6)); // 09:00 next day
        await DispatchAsync();
        Assert.Equal(MessageState.Sent, (await MessageAsync(message.Id)).State);
    }

    [Fact]
    public async Task DispatchDue_BacklogAfterNightOutage_NothingAtNightThenSentInDueOrder()
    {
        Options.SendConcurrency = 1; // one at a time, the order is exact; with more, sends start in due order and overlap
        Db.Time.Advance(TimeSpan.FromHours(12)); // 21:00
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var record = await AddRecordAsync(null, $"+44770090010{i}");
            ids.Add((await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromHours(1 + i))).Id); // due 22:00 … 02:00
        }

        Db.Time.Advance(TimeSpan.FromHours(6)); // 03:00, the app comes back: all five are due
        await DispatchAsync();
        Assert.Empty(await OutboxAsync());

        Db.Time.Advance(TimeSpan.FromHours(6)); // 09:00
        await DispatchAsync();

        var outbox = await OutboxAsync();
        Assert.Equal(ids, outbox.Select(o => o.ScheduledMessageId!.Value));
    }

    [Fact]
    public async Task DispatchDue_MoreThanMaxLatenessPastDue_SkippedTooLate()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        Db.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1)); // the app was down for a day
        await DispatchAsync();

        var skipped = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Skipped, skipped.State);
        Assert.StartsWith("too late", skipped.SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_LessThanMaxLatenessPastDue_StillSent()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        Db.Time.Advance(TimeSpan.FromHours(23)); // next day 08:00: deferred to 09:00, then sent
        await DispatchAsync();
        Db.Time.Advance(TimeSpan.FromHours(1));
        await DispatchAsync();

        Assert.Equal(MessageState.Sent, (await MessageAsync(message.Id)).State);
    }

    [Fact]
    public async Task DispatchDue_SenderKeepsFailing_RetriedWithBackoffThenFailed()
    {
        var failing = new FailingSender();
        Senders.Override = failing;
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        Assert.Equal(1, (await DispatchAsync()).Retried);
        var first = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Scheduled, first.State);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(Db.Now.AddSeconds(60), first.DueAt);
        Assert.Contains("gateway down", first.LastError);

        Db.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, (await DispatchAsync()).Claimed); // backing off
        Db.Time.Advance(TimeSpan.FromSeconds(1));
        await DispatchAsync();
        var second = await MessageAsync(message.Id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal(Db.Now.AddSeconds(120), second.DueAt); // doubled

        Db.Time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(1, (await DispatchAsync()).Failed);
        var failed = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Failed, failed.State);
        Assert.Equal(3, failed.Attempts);
        Assert.NotNull(failed.CompletedAt);
        Assert.Equal(3, failing.Calls);

        Db.Time.Advance(TimeSpan.FromHours(1));
        await DispatchAsync();
        Assert.Equal(3, failing.Calls);
    }

    [Fact]
    public async Task DispatchDue_RetryThenSenderRecovers_Sent()
    {
        Senders.Override = new FailingSender();
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        await DispatchAsync();

        Senders.Override = null;
        Db.Time.Advance(TimeSpan.FromMinutes(1));
        await DispatchAsync();

        var sent = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Sent, sent.State);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);
        Assert.Single(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_PermanentFailure_FailedAtOnce()
    {
        Senders.Override = new FailingSender(permanent: true);
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        await DispatchAsync();

        var failed = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Failed, failed.State);
        Assert.Equal(1, failed.Attempts);
    }

    [Fact]
    public async Task DispatchDue_CrashedAfterOutboxWriteBeforeMarkingSent_MarkedSentWithoutSendingTwice()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        // A run claimed it and the outbox took it, then the app died before the row said Sent.
        await UpdateAsync(async db =>
        {
            var m = await db.ScheduledMessages.SingleAsync(x => x.Id == message.Id);
            m.State = MessageState.Sending; m.ClaimToken = "dead-run"; m.ClaimedUntil = Db.Now.AddMinutes(5);
            db.OutboxMessages.Add(new OutboxMessage { ScheduledMessageId = m.Id, Channel = m.Channel, Recipient = "+447700900001", Body = "sent before the crash", SentAt = Db.Now, IdempotencyKey = m.IdempotencyKey });
        });

        Assert.Equal(0, (await DispatchAsync()).Claimed); // the dead run's lease still holds
        Db.Time.Advance(TimeSpan.FromMinutes(5));
        var summary = await DispatchAsync();

        Assert.Equal(1, summary.Sent);
        Assert.Equal(MessageState.Sent, (await MessageAsync(message.Id)).State);
        Assert.Equal("sent before the crash", Assert.Single(await OutboxAsync()).Body);
    }

    [Fact]
    public async Task DispatchDue_CrashedBeforeSending_ReclaimedAfterLeaseAndSentOnce()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        await UpdateAsync(async db =>
        {
            var m = await db.ScheduledMessages.SingleAsync(x => x.Id == message.Id);
            m.State = MessageState.Sending; m.ClaimToken = "dead-run"; m.ClaimedUntil = Db.Now.AddMinutes(5);
        });

        Db.Time.Advance(TimeSpan.FromMinutes(5));
        await DispatchAsync();
        await DispatchAsync();

        Assert.Equal(MessageState.Sent, (await MessageAsync(message.Id)).State);
        Assert.Single(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_CancelledOrSent_NeverClaimed()
    {
        var record = await AddRecordAsync();
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        await UpdateAsync(async db => (await db.ScheduledMessages.SingleAsync(x => x.Id == message.Id)).State = MessageState.Cancelled);

        Assert.Equal(0, (await DispatchAsync()).Claimed);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_FourDispatchersAtOnce_EveryMessageSentExactlyOnce()
    {
        Options.BatchSize = 20;
        for (var i = 0; i < 120; i++)
        {
            var record = await AddRecordAsync(null, $"+4477009{i:D5}");
            await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);
        }

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(DispatchAsync)));

        Assert.Equal(120, runs.Sum(r => r.Sent));
        var outbox = await OutboxAsync();
        Assert.Equal(120, outbox.Count);
        Assert.Equal(120, outbox.Select(o => o.ScheduledMessageId).Distinct().Count());
    }

    [Fact]
    public async Task DispatchDue_ManyDueTogetherSentConcurrently_EachSentExactlyOnce()
    {
        Options.SendConcurrency = 8;
        var ids = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            var record = await AddRecordAsync(null, $"+4477009002{i:D2}");
            ids.Add((await QueueAsync(record, MessageChannel.Sms, TimeSpan.FromMinutes(1))).Id);
        }
        Db.Time.Advance(TimeSpan.FromMinutes(2));

        var summary = await DispatchAsync();
        await DispatchAsync(); // a second run finds nothing left to send

        Assert.Equal((40, 40), (summary.Claimed, summary.Sent));
        var outbox = await OutboxAsync();
        Assert.Equal(ids.Order(), outbox.Select(o => o.ScheduledMessageId!.Value).Order());
        foreach (var id in ids) Assert.Equal(MessageState.Sent, (await MessageAsync(id)).State);
    }
}

/// <summary>Message claiming and dispatch on PostgreSQL.</summary>
public sealed class MessageDispatcherTestsOnPostgreSql : MessageDispatcherTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
