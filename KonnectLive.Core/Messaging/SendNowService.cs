using System.Net.Mail;
using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Messaging;

/// <summary>Whether a channel can be used for a customer now and, if not, why (shown beside the greyed-out option).</summary>
public sealed record ChannelAvailability(MessageChannel Channel, bool CanSend, string? Reason, string? Recipient);

/// <summary>What the send-message dialog needs to know about a customer before the agent chooses anything.</summary>
public sealed record SendNowAvailability(int CustomerId, string CustomerName, int? SurveyRecordId, ChannelAvailability Sms, ChannelAvailability Email)
{
    public const string NoSurveyRecord = "The customer has no survey record, and messages are sent for a survey record.";

    public ChannelAvailability For(MessageChannel channel) => channel == MessageChannel.Sms ? Sms : Email;
}

/// <summary>An active template the agent may choose.</summary>
public sealed record SendNowTemplate(int Id, string Name, MessageChannel Channel, string? Subject, string Body);

/// <summary>
/// A message an agent sends now: a template (<see cref="TemplateId"/>) or free text (<see cref="Body"/>, plus
/// <see cref="Subject"/> for email). Free text may use the templates' placeholders, filled in the same way when it is sent. <see cref="RequestId"/> is made once per dialog, so a double click or a retry
/// after a lost reply queues one message, not two.
/// </summary>
public sealed record SendNowRequest(int CustomerId, MessageChannel Channel, int? TemplateId, string? Subject, string? Body, Guid RequestId)
{
    public const int MaxSmsLength = 1530; // ten concatenated GSM-7 parts of 153
    public const int MaxSubjectLength = 200;
    public const int MaxEmailLength = 10_000;
}

public sealed class SendNowRequestValidator : AbstractValidator<SendNowRequest>
{
    public SendNowRequestValidator()
    {
        RuleFor(r => r.CustomerId).GreaterThan(0);
        RuleFor(r => r.RequestId).NotEqual(Guid.Empty);
        When(r => r.TemplateId is null, () =>
        {
            RuleFor(r => r.Body).Must(b => !string.IsNullOrWhiteSpace(b)).WithMessage("Write the message or choose a template.");
            RuleFor(r => r.Body).MaximumLength(SendNowRequest.MaxSmsLength).When(r => r.Channel == MessageChannel.Sms)
                .WithMessage("An SMS can be at most 1,530 characters.");
            RuleFor(r => r.Body).MaximumLength(SendNowRequest.MaxEmailLength).When(r => r.Channel == MessageChannel.Email)
                .WithMessage("An email can be at most 10,000 characters.");
            RuleFor(r => r.Subject).Must(s => !string.IsNullOrWhiteSpace(s)).When(r => r.Channel == MessageChannel.Email)
                .WithMessage("Give the email a subject.");
            RuleFor(r => r.Subject).MaximumLength(SendNowRequest.MaxSubjectLength).When(r => r.Channel == MessageChannel.Email)
                .WithMessage("The subject can be at most 200 characters.");
            // As in templates: a typo such as {FirstName} must not reach the customer as written.
            RuleFor(r => r.Body).Must(MessageTemplateValidator.NoUnknownPlaceholders)
                .WithMessage(r => TemplateRenderer.UnknownPlaceholdersMessage(r.Body));
            RuleFor(r => r.Subject).Must(MessageTemplateValidator.NoUnknownPlaceholders).When(r => r.Channel == MessageChannel.Email)
                .WithMessage(r => TemplateRenderer.UnknownPlaceholdersMessage(r.Subject));
        });
        When(r => r.TemplateId is not null, () =>
            RuleFor(r => r.Body).Must(string.IsNullOrEmpty).WithMessage("Choose a template or write a message, not both."));
    }
}

public sealed record SendNowResult(bool Succeeded, string Message, long? MessageId = null);

/// <summary>
/// An agent's "send now": checks what it can (the user may see the customer, a consented and valid recipient, an active
/// template of the channel, the text's length) and queues a <see cref="ScheduledMessage"/> due now, with no trigger
/// status. The dispatcher then sends it like any other message — same senders, outbox, consent and sending-hours
/// re-check at send time — so the customer's message history shows it and its state.
/// </summary>
public sealed class SendNowService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    IValidator<SendNowRequest> validator,
    IOptions<MessagingOptions> options,
    TimeProvider time)
{
    public const string NotFound = "Customer not found.";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Per channel, whether the customer can be messaged and why not; null when the user may not see the customer.</summary>
    public async Task<SendNowAvailability?> GetAvailabilityAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await LoadCustomerAsync(db, user, customerId, ct);
        return customer is null ? null : Availability(customer, await LatestRecordIdAsync(db, customerId, ct));
    }

    /// <summary>The active templates of a channel, by name.</summary>
    public async Task<IReadOnlyList<SendNowTemplate>> TemplatesAsync(MessageChannel channel, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MessageTemplates.AsNoTracking().Where(t => t.IsActive && t.Channel == channel).OrderBy(t => t.Name)
            .Select(t => new SendNowTemplate(t.Id, t.Name, t.Channel, t.Subject, t.Body)).ToListAsync(ct);
    }

    /// <summary>A template filled in for this customer's latest survey record, as the dispatcher will render it; null if it cannot be.</summary>
    public async Task<RenderedMessage?> PreviewAsync(UserScope user, int customerId, int templateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct);
        if (template is null || await LoadCustomerAsync(db, user, customerId, ct) is null) return null;
        var recordId = await LatestRecordIdAsync(db, customerId, ct);
        if (recordId is null) return new RenderedMessage(template.Subject, template.Body);
        var record = await db.SurveyRecords.AsNoTracking().Include(r => r.Customer).Include(r => r.Dealership).Include(r => r.Vehicle)
            .SingleAsync(r => r.Id == recordId, ct);
        return TemplateRenderer.Render(template.Channel, template.Subject, template.Body, MessageDispatcher.DataFor(record), options.Value.SurveyLinkBase);
    }

    /// <summary>
    /// What each placeholder becomes for this customer's latest survey record, as the dispatcher will fill it: the dialog
    /// previews an agent's own text with it as they type. Null when the user may not see the customer or there is no record.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>?> PlaceholderValuesAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await LoadCustomerAsync(db, user, customerId, ct) is null || await LatestRecordIdAsync(db, customerId, ct) is not { } recordId) return null;
        var record = await db.SurveyRecords.AsNoTracking().Include(r => r.Customer).Include(r => r.Dealership).Include(r => r.Vehicle)
            .SingleAsync(r => r.Id == recordId, ct);
        return TemplateRenderer.Values(MessageDispatcher.DataFor(record), options.Value.SurveyLinkBase);
    }

    public async Task<SendNowResult> SendAsync(UserScope user, SendNowRequest request, CancellationToken ct = default)
    {
        var validation = await validator.ValidateAsync(request, ct);
        if (!validation.IsValid) return new SendNowResult(false, validation.Errors[0].ErrorMessage);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = $"now:{request.RequestId:N}";
        if (await AlreadyQueuedAsync(db, key, request.CustomerId, ct) is { } existing) return existing;

        var customer = await LoadCustomerAsync(db, user, request.CustomerId, ct);
        if (customer is null) return new SendNowResult(false, NotFound);
        var recordId = await LatestRecordIdAsync(db, customer.Id, ct);
        var channel = Availability(customer, recordId).For(request.Channel);
        if (!channel.CanSend) return new SendNowResult(false, channel.Reason!);
        var record = await db.SurveyRecords.AsNoTracking().Include(r => r.Dealership).SingleAsync(r => r.Id == recordId, ct);

        MessageTemplate? template = null;
        if (request.TemplateId is { } templateId)
        {
            template = await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct);
            if (template is null || !template.IsActive || template.Channel != request.Channel)
                return new SendNowResult(false, $"That template is not available for {Label(request.Channel)}: choose another.");
        }

        var now = Now;
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = customer.Id, DealershipId = record.DealershipId, TemplateId = template?.Id,
            Channel = request.Channel, TriggerStatus = null, TriggerStatusChangedAt = null,
            CustomBody = template is null ? request.Body!.Trim() : null,
            CustomSubject = template is null && request.Channel == MessageChannel.Email ? request.Subject!.Trim() : null,
            State = MessageState.Scheduled, CreatedAt = now, DueAt = now, IdempotencyKey = key,
            CreatedBy = user.DisplayName.Length <= 100 ? user.DisplayName : user.DisplayName[..100],
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ScheduledMessages.Add(message);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same request raced itself (a double click): the unique key kept one, and that one is the message.
            await tx.RollbackAsync(ct);
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            if (await AlreadyQueuedAsync(fresh, key, request.CustomerId, ct) is { } first) return first;
            throw;
        }
        var what = template is null ? "free text" : $"template '{template.Name}'";
        AuditLog.Add(db, now, user, "message.sent-now", nameof(ScheduledMessage), message.Id.ToString(),
            $"{Label(request.Channel)} to {channel.Recipient}, {what}", customer.Id);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var d = record.Dealership;
        var opening = SendingWindow.NextOpening(now, SendingWindow.Zone(d.TimeZone), d.SendFrom, d.SendUntil);
        return new SendNowResult(true, opening is null
            ? "Queued for sending."
            : $"Queued for sending. It is outside {Wording.Possessive(d.Name)} sending hours, so it will go when they open ({d.SendFrom:HH\\:mm}).", message.Id);
    }

    /// <summary>Whether each channel can be used, by the same rules the dispatcher applies at send time, plus a validity check.</summary>
    public static SendNowAvailability Availability(Customer customer, int? surveyRecordId)
    {
        var sms = SmsAvailability(customer);
        var email = EmailAvailability(customer);
        if (surveyRecordId is null)
        {
            sms = sms.CanSend ? sms with { CanSend = false, Reason = SendNowAvailability.NoSurveyRecord } : sms;
            email = email.CanSend ? email with { CanSend = false, Reason = SendNowAvailability.NoSurveyRecord } : email;
        }
        return new SendNowAvailability(customer.Id, customer.FullName, surveyRecordId, sms, email);
    }

    private static ChannelAvailability SmsAvailability(Customer customer)
    {
        var mobiles = customer.Phones.Where(p => p.Type == PhoneType.Mobile).OrderBy(p => p.Position).ToList();
        if (mobiles.Count == 0) return Blocked(MessageChannel.Sms, "No mobile number");
        // The dispatcher sends to the first mobile that can receive SMS (consented, not a wrong number), so that is the one
        // that has to be valid.
        var mobile = mobiles.FirstOrDefault(p => p.CanReceiveSms);
        if (mobile is null)
            return Blocked(MessageChannel.Sms, mobiles.Count == 1
                ? mobiles[0].IsWrongNumber ? "The only mobile is a wrong number" : "The only mobile is unsubscribed from SMS"
                : mobiles.All(p => p.IsWrongNumber) ? "Every mobile is a wrong number"
                : mobiles.All(p => p.SmsUnsubscribed) ? "Every mobile is unsubscribed from SMS"
                : "Every mobile is unsubscribed from SMS or a wrong number");
        if (PhoneNormaliser.ToE164(mobile.Number) != mobile.Number)
            return Blocked(MessageChannel.Sms, $"The mobile number {mobile.Number} is not a valid number");
        return new ChannelAvailability(MessageChannel.Sms, true, null, mobile.Number);
    }

    private static ChannelAvailability EmailAvailability(Customer customer)
    {
        var email = customer.Email?.Trim();
        if (string.IsNullOrEmpty(email)) return Blocked(MessageChannel.Email, "No email address");
        if (customer.EmailUnsubscribed) return Blocked(MessageChannel.Email, "Email unsubscribed");
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.DisplayName.Length > 0)
            return Blocked(MessageChannel.Email, $"The email address {email} is not valid");
        return new ChannelAvailability(MessageChannel.Email, true, null, email);
    }

    private static ChannelAvailability Blocked(MessageChannel channel, string reason) => new(channel, false, reason, null);

    private static string Label(MessageChannel channel) => channel == MessageChannel.Sms ? "SMS" : "email";

    private static async Task<Customer?> LoadCustomerAsync(KonnectDbContext db, UserScope user, int customerId, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == customerId, ct);
        return customer is not null && user.CanSee(customer.DealershipId) ? customer : null;
    }

    /// <summary>A message belongs to a survey record; for a customer with several, the one FOCUS sent last.</summary>
    private static Task<int?> LatestRecordIdAsync(KonnectDbContext db, int customerId, CancellationToken ct) =>
        db.SurveyRecords.Where(r => r.CustomerId == customerId)
            .OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);

    private static async Task<SendNowResult?> AlreadyQueuedAsync(KonnectDbContext db, string key, int customerId, CancellationToken ct)
    {
        var id = await db.ScheduledMessages.Where(m => m.IdempotencyKey == key && m.CustomerId == customerId)
            .Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        return id is null ? null : new SendNowResult(true, "Queued for sending.", id);
    }
}
