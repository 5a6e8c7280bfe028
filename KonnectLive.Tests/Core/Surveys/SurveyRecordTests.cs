using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Tests.Core;

public sealed class SurveyRecordTests
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static SurveyRecord NewRecord(SurveyStatus status = SurveyStatus.Pending) =>
        SurveyRecord.Create("FOCUS-1", 1, new Customer { FirstName = "Alice", LastName = "Archer" }, null, status, At, null,
            EventType.Sales, At.AddDays(-3), At);

    [Fact]
    public void Create_NewRecord_NeverAttemptedAndHistoryStartsWithItsStatus()
    {
        var record = NewRecord(SurveyStatus.Awaiting);

        Assert.Equal(SurveyRecord.NeverAttemptedKey, record.ChaseKey);
        Assert.Equal(0, record.AttemptCount);
        Assert.True(record.IsCallable);
        var first = Assert.Single(record.History);
        Assert.Equal(SurveyStatus.Awaiting, first.Status);
    }

    [Fact]
    public void ChangeStatus_OpenRecord_MovesAndAppendsHistory()
    {
        var record = NewRecord();

        record.ChangeStatus(SurveyStatus.Awaiting, At.AddHours(1), At.AddHours(2));
        record.ChangeStatus(SurveyStatus.Completed, At.AddDays(1), At.AddDays(1));

        Assert.Equal(SurveyStatus.Completed, record.Status);
        Assert.Equal(At.AddDays(1), record.StatusChangedAt);
        Assert.True(record.IsClosed);
        Assert.False(record.IsCallable);
        Assert.Equal([SurveyStatus.Pending, SurveyStatus.Awaiting, SurveyStatus.Completed], record.History.Select(h => h.Status));
    }

    [Theory]
    [InlineData(SurveyStatus.Completed)]
    [InlineData(SurveyStatus.Expired)]
    [InlineData(SurveyStatus.Rejected)]
    public void ChangeStatus_ClosedRecord_ThrowsAndStaysClosed(SurveyStatus closed)
    {
        var record = NewRecord(closed);

        Assert.Throws<DomainException>(() => record.ChangeStatus(SurveyStatus.Awaiting, At.AddDays(1), At.AddDays(1)));

        Assert.Equal(closed, record.Status);
        Assert.Single(record.History);
    }

    [Fact]
    public void SeedAttempts_WithLastAttempt_SortsByIt()
    {
        var record = NewRecord(SurveyStatus.Awaiting);

        record.SeedAttempts(3, At.AddHours(-2));

        Assert.Equal(3, record.AttemptCount);
        Assert.Equal(At.AddHours(-2), record.ChaseKey);
    }

    [Theory]
    [InlineData(SurveyStatus.Awaiting, SurveyStatus.Awaiting, 0, IncomingStatusCheck.Same)]
    [InlineData(SurveyStatus.Awaiting, SurveyStatus.Completed, 1, IncomingStatusCheck.Newer)]
    [InlineData(SurveyStatus.Awaiting, SurveyStatus.Awaiting, 1, IncomingStatusCheck.Newer)]
    [InlineData(SurveyStatus.Awaiting, SurveyStatus.Pending, 0, IncomingStatusCheck.OutOfOrder)]
    [InlineData(SurveyStatus.Awaiting, SurveyStatus.Completed, -1, IncomingStatusCheck.OutOfOrder)]
    [InlineData(SurveyStatus.Completed, SurveyStatus.Completed, 0, IncomingStatusCheck.Same)]
    [InlineData(SurveyStatus.Completed, SurveyStatus.Awaiting, 1, IncomingStatusCheck.Closed)]
    [InlineData(SurveyStatus.Expired, SurveyStatus.Expired, -1, IncomingStatusCheck.Closed)]
    public void CheckIncoming_StatusAndTime_Classified(SurveyStatus current, SurveyStatus incoming, int minutesLater, IncomingStatusCheck expected)
    {
        var record = NewRecord(current);

        Assert.Equal(expected, record.CheckIncoming(incoming, At.AddMinutes(minutesLater)));
    }

    [Fact]
    public void ApplyIncomingStatus_Newer_AppendsHistoryWithRequest()
    {
        var record = NewRecord(SurveyStatus.Pending);

        record.ApplyIncomingStatus(SurveyStatus.Awaiting, At.AddHours(1), At.AddHours(2), inboundRequestId: 7);

        Assert.Equal(SurveyStatus.Awaiting, record.Status);
        Assert.Equal(7, record.History[^1].InboundRequestId);
    }

    [Fact]
    public void ApplyIncomingStatus_OutOfOrder_ThrowsAndKeepsState()
    {
        var record = NewRecord(SurveyStatus.Awaiting);

        Assert.Throws<DomainException>(() => record.ApplyIncomingStatus(SurveyStatus.Completed, At.AddMinutes(-1), At, 1));

        Assert.Equal(SurveyStatus.Awaiting, record.Status);
        Assert.Single(record.History);
    }
}
