using KonnectLive.Core.Customers;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class SendNowServiceTests : DispatcherTestBase
{
    private UserScope _agent = null!;

    private SendNowService SendNow => Db.Services.GetRequiredService<SendNowService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _agent = CoreTestDatabase.Agent("Alice Agent", DealershipId);
    }

    private static SendNowRequest Sms(int customerId, string body = "Hello from Northgate") =>
        new(customerId, MessageChannel.Sms, null, null, body, Guid.NewGuid());

    private static SendNowRequest Email(int customerId, string subject = "Your visit", string body = "Thank you for visiting.") =>
        new(customerId, MessageChannel.Email, null, subject, body, Guid.NewGuid());

    private async Task<List<ScheduledMessage>> QueuedAsync()
    {
        await using var db = Db.NewDbContext();
        return await db.ScheduledMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    private Task UnsubscribeSmsAsync(int customerId, int position = 1) => UpdateAsync(async db =>
    {
        var phone = await db.CustomerPhones.SingleAsync(p => p.CustomerId == customerId && p.Position == position);
        phone.Unsubscribe(ContactChannel.Sms, "test", Db.Now);
    });

    private async Task<int> TemplateIdAsync(MessageChannel channel)
    {
        await using var db = Db.NewDbContext();
        return await db.MessageTemplates.Where(t => t.Channel == channel && t.IsActive).Select(t => t.Id).FirstAsync();
    }

    [Fact]
    public async Task Send_OnlyMobileUnsubscribedFromSms_RefusedWithReasonAndNothingQueued()
    {
        var record = await AddRecordAsync("alice@example.test", "+447700900001");
        await UnsubscribeSmsAsync(record.CustomerId);

        var availability = (await SendNow.GetAvailabilityAsync(_agent, record.CustomerId))!;
        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId));

        Assert.False(availability.Sms.CanSend);
        Assert.Equal("The only mobile is unsubscribed from SMS", availability.Sms.Reason);
        Assert.True(availability.Email.CanSend); // the other channel is unaffected
        Assert.False(result.Succeeded);
        Assert.Equal("The only mobile is unsubscribed from SMS", result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_FirstMobileUnsubscribedSecondConsented_QueuedForTheSecond()
    {
        var record = await AddRecordAsync("alice@example.test", "+447700900001", "+447700900002");
        await UnsubscribeSmsAsync(record.CustomerId, position: 1);

        var availability = (await SendNow.GetAvailabilityAsync(_agent, record.CustomerId))!;
        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId));
        await DispatchAsync();

        Assert.True(availability.Sms.CanSend);
        Assert.Equal("+447700900002", availability.Sms.Recipient);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("+447700900002", (await MessageAsync(result.MessageId!.Value)).Recipient);
    }

    [Fact]
    public async Task Send_NoMobileOnlyAHomeNumber_RefusedNoMobileNumber()
    {
        var record = await AddRecordAsync("alice@example.test", "+441134960001");
        await UpdateAsync(async db => (await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId)).Type = PhoneType.Home);

        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId));

        Assert.False(result.Succeeded);
        Assert.Equal("No mobile number", result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_MobileNotAValidNumber_RefusedAsInvalid()
    {
        var record = await AddRecordAsync("alice@example.test", "12");

        var availability = (await SendNow.GetAvailabilityAsync(_agent, record.CustomerId))!;
        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId));

        Assert.False(availability.Sms.CanSend);
        Assert.Equal("The mobile number 12 is not a valid number", availability.Sms.Reason);
        Assert.False(result.Succeeded);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_NoEmailAddress_RefusedNoEmailAddress()
    {
        var record = await AddRecordAsync(email: null);

        var availability = (await SendNow.GetAvailabilityAsync(_agent, record.CustomerId))!;
        var result = await SendNow.SendAsync(_agent, Email(record.CustomerId));

        Assert.Equal("No email address", availability.Email.Reason);
        Assert.True(availability.Sms.CanSend);
        Assert.False(result.Succeeded);
        Assert.Equal("No email address", result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_EmailUnsubscribed_RefusedEmailUnsubscribed()
    {
        var record = await AddRecordAsync("alice@example.test");
        await UpdateAsync(async db => (await db.Customers.SingleAsync(c => c.Id == record.CustomerId)).UnsubscribeEmail("test", Db.Now));

        var result = await SendNow.SendAsync(_agent, Email(record.CustomerId));

        Assert.False(result.Succeeded);
        Assert.Equal("Email unsubscribed", result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_MalformedEmailAddress_Refused()
    {
        var record = await AddRecordAsync("alice at example");

        var result = await SendNow.SendAsync(_agent, Email(record.CustomerId));

        Assert.False(result.Succeeded);
        Assert.Equal("The email address alice at example is not valid", result.Message);
    }

    [Fact]
    public async Task Send_FreeTextSms_QueuedDueNowAsAgentMessageAuditedAndSentByDispatcher()
    {
        var record = await AddRecordAsync("alice@example.test", "+447700900001");

        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId, "Hi Alice, your car is ready."));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("Queued for sending.", result.Message);
        var queued = await MessageAsync(result.MessageId!.Value);
        Assert.Equal(MessageState.Scheduled, queued.State);
        Assert.Null(queued.TriggerStatus);
        Assert.Null(queued.TemplateId);
        Assert.Equal(Db.Now, queued.DueAt);
        Assert.Equal("Alice Agent", queued.CreatedBy);
        Assert.Equal(record.Id, queued.SurveyRecordId);
        Assert.StartsWith("now:", queued.IdempotencyKey);
        await using (var db = Db.NewDbContext())
        {
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "message.sent-now");
            Assert.Equal(queued.Id.ToString(), audit.EntityId);
            Assert.Equal(record.CustomerId, audit.CustomerId);
            Assert.Equal(_agent.UserId, audit.UserId);
            Assert.Equal("SMS to +447700900001, free text", audit.Details);
        }

        var summary = await DispatchAsync();

        Assert.Equal(1, summary.Sent);
        var sent = await MessageAsync(queued.Id);
        Assert.Equal(MessageState.Sent, sent.State);
        var outbox = Assert.Single(await OutboxAsync());
        Assert.Equal("Hi Alice, your car is ready.", outbox.Body);
        Assert.Equal("+447700900001", outbox.Recipient);
        Assert.Equal(queued.IdempotencyKey, outbox.IdempotencyKey);
    }

    [Fact]
    public async Task Send_EmailTemplate_DispatcherRendersItForTheCustomer()
    {
        var record = await AddRecordAsync("alice@example.test");
        var templateId = await TemplateIdAsync(MessageChannel.Email);

        var preview = await SendNow.PreviewAsync(_agent, record.CustomerId, templateId);
        var result = await SendNow.SendAsync(_agent, new SendNowRequest(record.CustomerId, MessageChannel.Email, templateId, null, null, Guid.NewGuid()));
        await DispatchAsync();

        Assert.True(result.Succeeded, result.Message);
        var sent = await MessageAsync(result.MessageId!.Value);
        Assert.Equal(MessageState.Sent, sent.State);
        Assert.Equal(templateId, sent.TemplateId);
        Assert.Equal("alice@example.test", sent.Recipient);
        Assert.StartsWith("Dear Mrs Alice Archer,", sent.Body);
        Assert.Equal(preview!.Subject, sent.Subject);
        Assert.Equal(preview.Body, sent.Body);
    }

    [Fact]
    public async Task Send_FreeTextEmail_PlaceholdersFilledInAsInATemplate()
    {
        var record = await AddRecordAsync("alice@example.test");

        var result = await SendNow.SendAsync(_agent, Email(record.CustomerId, "Your visit, {CustomerName}", "Body text for {CustomerFirstName}"));
        await DispatchAsync();

        var outbox = Assert.Single(await OutboxAsync());
        Assert.Equal(result.MessageId, outbox.ScheduledMessageId);
        Assert.Equal("Your visit, Mrs Alice Archer", outbox.Subject);
        Assert.Equal("Body text for Alice", outbox.Body);
    }

    [Fact]
    public async Task Send_FreeTextSms_PlaceholdersFilledFromTheRecordAtSendTime_AsThePreviewValuesSay()
    {
        var record = await AddRecordAsync();

        var values = await SendNow.PlaceholderValuesAsync(_agent, record.CustomerId);
        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId, "Hi {CustomerFirstName}, {DealershipName} here about {Registration}: {SurveyLink}"));
        await DispatchAsync();

        Assert.True(result.Succeeded, result.Message);
        var body = Assert.Single(await OutboxAsync()).Body;
        Assert.StartsWith("Hi Alice, Northgate Motors here about AB12 CDE: ", body);
        Assert.EndsWith(record.FocusRecordId, body);
        Assert.Equal(body, TemplateRenderer.Render("Hi {CustomerFirstName}, {DealershipName} here about {Registration}: {SurveyLink}", values!));
        Assert.Null(await SendNow.PlaceholderValuesAsync(CoreTestDatabase.Agent("Other", DealershipId + 1000), record.CustomerId));
    }

    [Theory]
    [InlineData("Hi {FirstName}", "Unknown placeholder {FirstName}. Use one of:")]
    [InlineData("Hi {FirstName} {Surname}", "Unknown placeholders {FirstName}, {Surname}. Use one of:")]
    public async Task Send_FreeTextWithAnUnknownPlaceholder_RefusedNamingIt_NothingQueued(string body, string message)
    {
        var record = await AddRecordAsync();

        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId, body));

        Assert.False(result.Succeeded);
        Assert.StartsWith(message, result.Message);
        Assert.Contains("{CustomerFirstName}", result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_OutsideSendingHours_SaysWhenInTheDealershipsWords()
    {
        var record = await AddRecordAsync();
        Db.Time.Advance(TimeSpan.FromHours(12)); // 21:00 in London: after 20:00

        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId));

        Assert.Equal("Queued for sending. It is outside Northgate Motors' sending hours, so it will go when they open (09:00).", result.Message);
    }

    [Fact]
    public async Task Send_SameRequestTwice_OneMessageQueued()
    {
        var record = await AddRecordAsync();
        var request = Sms(record.CustomerId);

        var first = await SendNow.SendAsync(_agent, request);
        var second = await SendNow.SendAsync(_agent, request);

        Assert.True(second.Succeeded);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Single(await QueuedAsync());
    }

    [Fact]
    public async Task Send_InactiveTemplate_Refused()
    {
        var record = await AddRecordAsync();
        var templateId = await TemplateIdAsync(MessageChannel.Sms);
        await UpdateAsync(async db => (await db.MessageTemplates.SingleAsync(t => t.Id == templateId)).IsActive = false);

        var result = await SendNow.SendAsync(_agent, new SendNowRequest(record.CustomerId, MessageChannel.Sms, templateId, null, null, Guid.NewGuid()));

        Assert.False(result.Succeeded);
        Assert.Equal("That template is not available for SMS: choose another.", result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_TemplateOfTheOtherChannel_Refused()
    {
        var record = await AddRecordAsync();
        var emailTemplate = await TemplateIdAsync(MessageChannel.Email);

        var result = await SendNow.SendAsync(_agent, new SendNowRequest(record.CustomerId, MessageChannel.Sms, emailTemplate, null, null, Guid.NewGuid()));

        Assert.False(result.Succeeded);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_SmsOver1530Characters_RefusedAnd1530Accepted()
    {
        var record = await AddRecordAsync();

        var tooLong = await SendNow.SendAsync(_agent, Sms(record.CustomerId, new string('a', 1531)));
        var longest = await SendNow.SendAsync(_agent, Sms(record.CustomerId, new string('a', 1530)));

        Assert.False(tooLong.Succeeded);
        Assert.Equal("An SMS can be at most 1,530 characters.", tooLong.Message);
        Assert.True(longest.Succeeded, longest.Message);
    }

    [Fact]
    public async Task Send_EmailWithoutSubjectOrWithLongSubject_Refused()
    {
        var record = await AddRecordAsync();

        var noSubject = await SendNow.SendAsync(_agent, Email(record.CustomerId, subject: " "));
        var longSubject = await SendNow.SendAsync(_agent, Email(record.CustomerId, subject: new string('s', 201)));
        var longBody = await SendNow.SendAsync(_agent, Email(record.CustomerId, body: new string('b', 10_001)));

        Assert.Equal("Give the email a subject.", noSubject.Message);
        Assert.Equal("The subject can be at most 200 characters.", longSubject.Message);
        Assert.Equal("An email can be at most 10,000 characters.", longBody.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_AgentOfAnotherDealership_RefusedAsNotFound()
    {
        var record = await AddRecordAsync();
        var other = CoreTestDatabase.Agent("Olga Other", (await Db.AddDealershipAsync("Southside Cars")).Id);

        var availability = await SendNow.GetAvailabilityAsync(other, record.CustomerId);
        var result = await SendNow.SendAsync(other, Sms(record.CustomerId));

        Assert.Null(availability);
        Assert.False(result.Succeeded);
        Assert.Equal(SendNowService.NotFound, result.Message);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_CustomerWithoutSurveyRecord_RefusedWithReason()
    {
        var customer = new Customer { DealershipId = DealershipId, FirstName = "Nora", LastName = "Norecord", Email = "nora@example.test",
            Phones = [new CustomerPhone { Position = 1, Number = "+447700900009", Type = PhoneType.Mobile }] };
        await UpdateAsync(db => { db.Customers.Add(customer); return Task.CompletedTask; });

        var availability = (await SendNow.GetAvailabilityAsync(_agent, customer.Id))!;
        var result = await SendNow.SendAsync(_agent, Sms(customer.Id));

        Assert.Null(availability.SurveyRecordId);
        Assert.False(availability.Sms.CanSend);
        Assert.Equal(SendNowAvailability.NoSurveyRecord, availability.Email.Reason);
        Assert.False(result.Succeeded);
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Send_SeveralRecords_UsesTheLatest()
    {
        var older = await AddRecordAsync();
        Db.Time.Advance(TimeSpan.FromMinutes(1));
        var newer = await AddRecordAsync();
        // Move the newer record to the same customer as the older one.
        await UpdateAsync(async db => (await db.SurveyRecords.SingleAsync(r => r.Id == newer.Id)).CustomerId = older.CustomerId);

        var result = await SendNow.SendAsync(_agent, Sms(older.CustomerId));

        Assert.Equal(newer.Id, (await MessageAsync(result.MessageId!.Value)).SurveyRecordId);
    }

    [Fact]
    public async Task Dispatch_AgentMessageForClosedRecord_StillSent()
    {
        var record = await AddRecordAsync();
        await Db.ChangeStatusAsync(record.Id, SurveyStatus.Completed);

        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId, "Thanks for completing the survey"));
        await DispatchAsync();

        Assert.Equal(MessageState.Sent, (await MessageAsync(result.MessageId!.Value)).State);
    }

    [Fact]
    public async Task Dispatch_SmsConsentWithdrawnAfterQueueing_SkippedAtSendTime()
    {
        var record = await AddRecordAsync("alice@example.test", "+447700900001");
        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId));
        await UnsubscribeSmsAsync(record.CustomerId);

        await DispatchAsync();

        var skipped = await MessageAsync(result.MessageId!.Value);
        Assert.Equal(MessageState.Skipped, skipped.State);
        Assert.StartsWith("no SMS-consented mobile", skipped.SkipReason);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task Send_OutsideSendingHours_QueuedWithNoticeAndDeferredByDispatcher()
    {
        var record = await AddRecordAsync();
        Db.Time.Advance(TimeSpan.FromHours(12)); // 21:00 in London, after the 20:00 close

        var result = await SendNow.SendAsync(_agent, Sms(record.CustomerId));
        var summary = await DispatchAsync();

        Assert.True(result.Succeeded);
        Assert.Contains("outside", result.Message);
        Assert.Equal(1, summary.Deferred);
        Assert.Equal(MessageState.Scheduled, (await MessageAsync(result.MessageId!.Value)).State);
    }
}
