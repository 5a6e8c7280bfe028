using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Core.Reports;

/// <summary>
/// A known dataset for the reports, on fixed dates in March 2026 (London is on GMT then). <see cref="Range"/> is the
/// 7 days to 2 March; attempts just before and just after it must not count.
/// <code>
/// Leeds R1 received 1 Mar  sent SMS        Alice "Spoke – will complete"  Completed  (+ Bob "No answer" 3 Mar 00:00Z, after the range)
/// Leeds R2 received 1 Mar  sent + cancel   Alice "No answer" ×2, Bob "Voicemail" 24 Feb 00:30Z   Awaiting
/// Leeds R3 received 1 Mar  scheduled only  not called                                            Awaiting
/// Leeds R4 received 20 Feb (out)           Bob "No answer" 23 Feb 23:59Z (out)                   Completed
/// York  Y1 received 1 Mar  no message      Yasmin "Spoke – will complete"                        Completed
/// </code>
/// </summary>
public sealed class ReportsDataset
{
    public const string WillComplete = "Spoke – will complete survey";
    public const string NoAnswer = "No answer";
    public const string Voicemail = "Voicemail";

    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly ReportRange Range = new(new DateOnly(2026, 2, 24), new DateOnly(2026, 3, 2));

    public int LeedsId { get; private set; }
    public int YorkId { get; private set; }

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    public static async Task<ReportsDataset> SeedAsync(Func<Task<KonnectDbContext>> newDb)
    {
        var set = new ReportsDataset();
        await using var db = await newDb();
        var outcomes = await db.CallOutcomes.ToDictionaryAsync(o => o.Name, o => o.Id);
        var leeds = new Dealership { Code = "RPT-LEEDS", Name = "Leeds Motors" };
        var york = new Dealership { Code = "RPT-YORK", Name = "York Motors" };
        db.Dealerships.AddRange(leeds, york);
        await db.SaveChangesAsync();
        set.LeedsId = leeds.Id;
        set.YorkId = york.Id;

        var r1 = Record(db, leeds.Id, "R1", SurveyStatus.Completed, Utc(3, 1, 9));
        var r2 = Record(db, leeds.Id, "R2", SurveyStatus.Awaiting, Utc(3, 1, 9));
        var r3 = Record(db, leeds.Id, "R3", SurveyStatus.Awaiting, Utc(3, 1, 9));
        var r4 = Record(db, leeds.Id, "R4", SurveyStatus.Completed, Utc(2, 20, 9));
        var y1 = Record(db, york.Id, "Y1", SurveyStatus.Completed, Utc(3, 1, 9));
        await db.SaveChangesAsync();

        Message(db, r1, MessageState.Sent);
        Message(db, r2, MessageState.Sent);
        Message(db, r2, MessageState.Cancelled);
        Message(db, r3, MessageState.Scheduled);
        Message(db, r4, MessageState.Sent);

        Attempt(db, r1, "alice", "Alice Agent", outcomes[WillComplete], Utc(3, 1, 10));
        Attempt(db, r2, "alice", "Alice Agent", outcomes[NoAnswer], Utc(3, 1, 11));
        Attempt(db, r2, "alice", "Alice Agent", outcomes[NoAnswer], Utc(3, 2, 8));
        Attempt(db, r2, "bob", "Bob Jones", outcomes[Voicemail], Utc(2, 24, 0, 30));
        Attempt(db, r4, "bob", "Bob Jones", outcomes[NoAnswer], Utc(2, 23, 23, 59));
        Attempt(db, r1, "bob", "Bob Jones", outcomes[NoAnswer], Utc(3, 3, 0));
        Attempt(db, y1, "yasmin", "Yasmin York", outcomes[WillComplete], Utc(3, 1, 12));
        await db.SaveChangesAsync();
        return set;
    }

    private static SurveyRecord Record(KonnectDbContext db, int dealershipId, string name, SurveyStatus status, DateTime receivedAt)
    {
        var customer = new Customer { DealershipId = dealershipId, FirstName = name, LastName = "Customer" };
        var record = SurveyRecord.Create($"RPT-{name}", dealershipId, customer, null, status, receivedAt, null,
            EventType.Service, receivedAt.AddDays(-3), receivedAt);
        db.SurveyRecords.Add(record);
        return record;
    }

    private static void Message(KonnectDbContext db, SurveyRecord record, MessageState state) =>
        db.ScheduledMessages.Add(new ScheduledMessage
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId,
            Channel = MessageChannel.Sms, State = state, CreatedAt = record.ReceivedAt, DueAt = record.ReceivedAt,
            IdempotencyKey = $"rpt:{record.Id}:{state}",
        });

    private static void Attempt(KonnectDbContext db, SurveyRecord record, string agentId, string agentName, int outcomeId, DateTime at) =>
        db.CallAttempts.Add(new CallAttempt
        {
            SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId,
            AgentId = agentId, AgentName = agentName, OutcomeId = outcomeId, StartedAt = at.AddMinutes(-2), RecordedAt = at,
        });
}
