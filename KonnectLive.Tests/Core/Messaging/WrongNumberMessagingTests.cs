using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Messaging;

/// <summary>
/// Wrong number on the last number moves the customer to the next contact method (SMS, then email), and no message
/// ever goes to a number an agent found to be wrong.
/// </summary>
public sealed class WrongNumberMessagingTests : DispatcherTestBase
{
    private const string First = "+447700900001";
    private const string Second = "+447700900002";
    private UserScope _nadia = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _nadia = CoreTestDatabase.Agent("Nadia North", DealershipId);
    }

    private async Task<AttemptResult> WrongNumberAsync(SurveyRecord record, string number) =>
        await Db.Calling.RecordAttemptAsync(_nadia, new RecordAttemptCommand(record.Id,
            await Db.OutcomeIdAsync(DatabaseInitializer.WrongNumberOutcome), number, Db.Now, null));

    private Task ChangePhoneAsync(int customerId, string number, Action<CustomerPhone> change) => UpdateAsync(async db =>
        change(await db.CustomerPhones.SingleAsync(p => p.CustomerId == customerId && p.Number == number)));

    private async Task<List<ScheduledMessage>> QueuedAsync()
    {
        await using var db = Db.NewDbContext();
        return await db.ScheduledMessages.AsNoTracking().Include(m => m.Template).OrderBy(m => m.Id).ToListAsync();
    }

    [Fact]
    public async Task RecordAttempt_WrongNumberOnLastCallableNumber_QueuesSmsToTheRemainingMobileAndSendsIt()
    {
        var record = await AddRecordAsync("alice@example.test", First, Second);
        // The second mobile may not be called, but may still be texted.
        await ChangePhoneAsync(record.CustomerId, Second, p => p.Unsubscribe(ContactChannel.Call, "agent", Db.Now));

        var result = await WrongNumberAsync(record, First);

        Assert.True(result.LeftChaseList);
        Assert.Equal("Wrong number: no number left; an SMS is queued to 07700 900002. They are off the chase list.", result.Message);
        var message = Assert.Single(await QueuedAsync());
        Assert.Equal(MessageChannel.Sms, message.Channel);
        Assert.Equal(DatabaseInitializer.AwaitingTemplateName, message.Template!.Name);
        Assert.Equal(Db.Now, message.DueAt);
        Assert.Equal(SurveyStatus.Awaiting, message.TriggerStatus);
        Assert.Equal(record.StatusChangedAt, message.TriggerStatusChangedAt);
        Assert.Equal("Nadia North", message.CreatedBy);
        Assert.StartsWith($"next-method:{record.FocusRecordId}:", message.IdempotencyKey);
        var ended = await Db.GetRecordAsync(record.Id);
        Assert.Equal(Db.Now, ended.ChaseEndedAt);
        Assert.Equal("Wrong number, no number left to call: SMS queued", ended.ChaseEndedReason);

        await DispatchAsync();

        Assert.Equal(Second, Assert.Single(await OutboxAsync()).Recipient);
        Assert.Equal(MessageState.Sent, (await MessageAsync(message.Id)).State);
    }

    [Fact]
    public async Task RecordAttempt_WrongNumberOnOnlyNumberWithEmail_QueuesEmail()
    {
        var record = await AddRecordAsync("alice@example.test", First);

        var result = await WrongNumberAsync(record, First);

        Assert.Equal("Wrong number: no number left; an email is queued to alice@example.test. They are off the chase list.", result.Message);
        var message = Assert.Single(await QueuedAsync());
        Assert.Equal(MessageChannel.Email, message.Channel);
        Assert.Equal(DatabaseInitializer.EmailReminderTemplateName, message.Template!.Name);
        Assert.Equal("Wrong number, no number left to call: email queued", (await Db.GetRecordAsync(record.Id)).ChaseEndedReason);

        await DispatchAsync();

        var sent = Assert.Single(await OutboxAsync());
        Assert.Equal(MessageChannel.Email, sent.Channel);
        Assert.Equal("alice@example.test", sent.Recipient);
    }

    [Fact]
    public async Task RecordAttempt_WrongNumberSmsTemplateRetired_FallsBackToEmail()
    {
        var record = await AddRecordAsync("alice@example.test", First, Second);
        await ChangePhoneAsync(record.CustomerId, Second, p => p.Unsubscribe(ContactChannel.Call, "agent", Db.Now));
        await UpdateAsync(db => db.MessageTemplates.Where(t => t.Name == DatabaseInitializer.AwaitingTemplateName)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.IsActive, false)));

        await WrongNumberAsync(record, First);

        Assert.Equal(MessageChannel.Email, Assert.Single(await QueuedAsync()).Channel);
    }

    [Fact]
    public async Task RecordAttempt_WrongNumberWithNoMobileAndNoEmail_OffTheListAndSaysSo()
    {
        var record = await AddRecordAsync(null, First);

        var result = await WrongNumberAsync(record, First);

        Assert.True(result.LeftChaseList);
        Assert.Equal("Wrong number: no number left and no other way to contact them; they are off the chase list.", result.Message);
        Assert.Empty(await QueuedAsync());
        var ended = await Db.GetRecordAsync(record.Id);
        Assert.Equal(Db.Now, ended.ChaseEndedAt);
        Assert.Equal("Wrong number, no number left to call: no other way to contact them", ended.ChaseEndedReason);
        Assert.Empty((await Db.ChaseList.GetPageAsync(_nadia, new ChaseListRequest(0, 10))).Rows);
    }

    [Fact]
    public async Task RecordAttempt_WrongNumberEmailUnsubscribed_NoMessage()
    {
        var record = await AddRecordAsync("alice@example.test", First);
        await UpdateAsync(async db => (await db.Customers.SingleAsync(c => c.Id == record.CustomerId)).UnsubscribeEmail("agent", Db.Now));

        var result = await WrongNumberAsync(record, First);

        Assert.Contains("no other way to contact them", result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task DispatchDue_FollowUpAfterFocusCompletedTheSurvey_Skipped()
    {
        var record = await AddRecordAsync("alice@example.test", First);
        await WrongNumberAsync(record, First);
        await Db.ChangeStatusAsync(record.Id, SurveyStatus.Completed);

        await DispatchAsync();

        Assert.Equal(MessageState.Skipped, Assert.Single(await QueuedAsync()).State);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task DispatchDue_FirstMobileIsAWrongNumber_TextsTheSecond()
    {
        var record = await AddRecordAsync(null, First, Second);
        await ChangePhoneAsync(record.CustomerId, First, p => p.MarkWrongNumber("agent", Db.Now));
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        await DispatchAsync();

        Assert.Equal(Second, (await MessageAsync(message.Id)).Recipient);
        Assert.Equal(Second, Assert.Single(await OutboxAsync()).Recipient);
    }

    [Fact]
    public async Task DispatchDue_OnlyMobileIsAWrongNumber_SkippedWithReasonAndNeverTexted()
    {
        var record = await AddRecordAsync(null, First);
        await ChangePhoneAsync(record.CustomerId, First, p => p.MarkWrongNumber("agent", Db.Now));
        var message = await QueueAsync(record, MessageChannel.Sms, TimeSpan.Zero);

        await DispatchAsync();

        var skipped = await MessageAsync(message.Id);
        Assert.Equal(MessageState.Skipped, skipped.State);
        Assert.Equal("no SMS-consented mobile: every mobile number is marked as a wrong number", skipped.SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task SendNowAvailability_OnlyMobileIsAWrongNumber_SmsBlockedWithReason()
    {
        var record = await AddRecordAsync("alice@example.test", First);
        await ChangePhoneAsync(record.CustomerId, First, p => p.MarkWrongNumber("agent", Db.Now));
        var sendNow = Db.Services.GetRequiredService<SendNowService>();

        var availability = (await sendNow.GetAvailabilityAsync(_nadia, record.CustomerId))!;
        var result = await sendNow.SendAsync(_nadia, new SendNowRequest(record.CustomerId, MessageChannel.Sms, null, null, "Hello", Guid.NewGuid()));

        Assert.False(availability.Sms.CanSend);
        Assert.Equal("The only mobile is a wrong number", availability.Sms.Reason);
        Assert.True(availability.Email.CanSend);
        Assert.False(result.Succeeded);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task SendNowAvailability_FirstMobileWrongSecondFine_OffersTheSecond()
    {
        var record = await AddRecordAsync(null, First, Second);
        await ChangePhoneAsync(record.CustomerId, First, p => p.MarkWrongNumber("agent", Db.Now));

        var availability = (await Db.Services.GetRequiredService<SendNowService>().GetAvailabilityAsync(_nadia, record.CustomerId))!;

        Assert.True(availability.Sms.CanSend);
        Assert.Equal(Second, availability.Sms.Recipient);
    }

    [Fact]
    public async Task CustomerProfile_WrongNumber_ShownOnThePhone()
    {
        var record = await AddRecordAsync(null, First, Second);
        await WrongNumberAsync(record, First);

        var profile = (await Db.Services.GetRequiredService<CustomerProfileService>().GetAsync(_nadia, record.CustomerId))!;

        Assert.True(profile.Phones.Single(p => p.Number == First).WrongNumber);
        Assert.False(profile.Phones.Single(p => p.Number == Second).WrongNumber);
    }
}
