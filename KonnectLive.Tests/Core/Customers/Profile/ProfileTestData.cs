using KonnectLive.Core.Calling;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Core.Customers.Profile;

/// <summary>Calls, messages and settings for the profile tests, written straight to the test database.</summary>
internal static class ProfileTestData
{
    public static UserScope Admin(int? dealershipId = null) => new($"admin-{Guid.NewGuid():N}", "Ada Admin", dealershipId, true, [Roles.Admin]);

    public static async Task<long> AddCallAsync(this CoreTestDatabase database, SurveyRecord record, string? number, DateTime startedAt,
        int durationSeconds = 75, string agent = "Nadia North", string outcome = "No answer", string? note = null,
        CallType type = CallType.Outbound)
    {
        var outcomeId = await database.OutcomeIdAsync(outcome);
        await using var db = database.NewDbContext();
        var attempt = new CallAttempt
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, AgentId = "agent-" + agent,
            AgentName = agent, NumberDialled = number, StartedAt = startedAt, DurationSeconds = durationSeconds, OutcomeId = outcomeId,
            Note = note, RecordedAt = startedAt.AddSeconds(durationSeconds), CallType = type,
        };
        db.CallAttempts.Add(attempt);
        await db.SaveChangesAsync();
        return attempt.Id;
    }

    public static async Task<long> AddMessageAsync(this CoreTestDatabase database, SurveyRecord record, MessageChannel channel,
        string? recipient, DateTime at, MessageState state = MessageState.Sent)
    {
        await using var db = database.NewDbContext();
        var template = await db.MessageTemplates.FirstAsync(t => t.Channel == channel);
        var message = new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId, TemplateId = template.Id,
            Channel = channel, Recipient = recipient, State = state, CreatedAt = at.AddHours(-1), DueAt = at,
            SentAt = state == MessageState.Sent ? at : null, CompletedAt = state == MessageState.Scheduled ? null : at,
            IdempotencyKey = Guid.NewGuid().ToString("N"),
        };
        db.ScheduledMessages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    public static async Task SetAgentsMayEditContactsAsync(this CoreTestDatabase database, bool allowed)
    {
        await using var db = database.NewDbContext();
        await db.AppSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.AgentsMayEditContacts, allowed));
    }
}
