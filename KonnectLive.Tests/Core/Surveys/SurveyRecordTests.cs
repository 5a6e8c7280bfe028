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
}
