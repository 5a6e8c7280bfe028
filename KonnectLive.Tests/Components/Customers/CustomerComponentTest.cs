using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using KonnectLive.Tests.Components.Pages.Csi;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Components.Customers;

/// <summary>The customer pages and panels on the real services and database, signed in as a Leeds agent (<see cref="CsiPageTest.Me"/>).</summary>
public abstract class CustomerComponentTest : CsiPageTest
{
    private int _serial;

    /// <summary>A customer exactly as given (empty fields stay empty) with one Awaiting survey record; returns the record.</summary>
    protected async Task<SurveyRecord> AddCustomerAsync(string firstName, string lastName, string? title = null, string? email = null,
        string[]? phones = null, string registration = "YX21 ABC", string? vin = null, int? dealershipId = null)
    {
        var n = Interlocked.Increment(ref _serial);
        var dealership = dealershipId ?? DealershipId;
        var customer = new Customer { DealershipId = dealership, Title = title, FirstName = firstName, LastName = lastName, Email = email };
        var position = 1;
        foreach (var number in phones ?? [])
            customer.Phones.Add(new CustomerPhone { Position = position++, Number = number, Type = PhoneType.Mobile });
        var vehicle = new Vehicle { Registration = registration, Vin = vin, Make = "Kestrel", Model = "Aero" };
        customer.Vehicles.Add(vehicle);
        var record = SurveyRecord.Create($"CUST-{n:D4}", dealership, customer, vehicle, SurveyStatus.Awaiting, Now.AddDays(-2), null,
            EventType.Service, Now.AddDays(-5), Now.AddDays(-2));
        await using var db = await CreateDbAsync();
        db.SurveyRecords.Add(record);
        await db.SaveChangesAsync();
        return record;
    }

    protected async Task<long> AddCallAsync(SurveyRecord record, string number, DateTime startedAt, int durationSeconds, string agent,
        string outcome = "No answer", string? note = null)
    {
        await using var db = await CreateDbAsync();
        var outcomeId = await db.CallOutcomes.Where(o => o.Name == outcome).Select(o => o.Id).SingleAsync();
        var call = new CallAttempt
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, AgentId = "id-" + agent,
            AgentName = agent, NumberDialled = number, StartedAt = startedAt, DurationSeconds = durationSeconds, OutcomeId = outcomeId,
            Note = note, RecordedAt = startedAt.AddSeconds(durationSeconds),
        };
        db.CallAttempts.Add(call);
        await db.SaveChangesAsync();
        return call.Id;
    }

    protected async Task<long> AddMessageAsync(SurveyRecord record, MessageChannel channel, string recipient, DateTime sentAt)
    {
        await using var db = await CreateDbAsync();
        var template = await db.MessageTemplates.FirstAsync(t => t.Channel == channel);
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, TemplateId = template.Id,
            Channel = channel, Recipient = recipient, State = MessageState.Sent, CreatedAt = sentAt, DueAt = sentAt, SentAt = sentAt,
            CompletedAt = sentAt, IdempotencyKey = Guid.NewGuid().ToString("N"),
        };
        db.ScheduledMessages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    protected async Task SetAgentsMayEditContactsAsync(bool allowed)
    {
        await using var db = await CreateDbAsync();
        await db.AppSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.AgentsMayEditContacts, allowed));
    }
}
