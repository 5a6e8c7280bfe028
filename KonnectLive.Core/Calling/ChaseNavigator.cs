using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KonnectLive.Core.Calling;

public enum ChaseMoveOutcome
{
    /// <summary>The page's lease is now on <see cref="ChaseMove.RecordId"/>, another customer: the page adopts it.</summary>
    Opened,
    /// <summary>Nobody to move to: the page keeps (or took back) the customer it had.</summary>
    Stayed,
    /// <summary>Neither: the customer it had could not be kept, so the agent goes back to the chase list.</summary>
    Left,
}

/// <summary>Where First / Previous / Next left the calling page, and what to tell the agent (null: nothing to say).</summary>
public sealed record ChaseMove(ChaseMoveOutcome Outcome, int RecordId, string? Message = null);

/// <summary>Confirm &amp; next: the call as recorded, and where the page goes (Opened: the next customer; Left: the chase list).</summary>
public sealed record ConfirmAndNext(AttemptResult Recorded, ChaseMove Move);

/// <summary>
/// First / Previous / Next from the calling page: gives the customer back (nothing recorded) and opens the neighbouring
/// free customer in chase-list order with the same page token, so the page adopts the new lease without taking it again.
/// An agent holds one lock at a time, so the neighbour is locked after the release; if another agent takes it first, the
/// one beyond it is tried (up to <see cref="MaxTries"/>). With nobody to move to, the agent takes their customer back.
/// Confirm &amp; next (issue 10) is the attempt recorded with the page token, then <see cref="OpenFromAsync"/> onwards.
/// </summary>
public sealed class ChaseNavigator(
    CallLockService locks,
    ChaseListQuery chaseList,
    CallingService calling,
    IDbContextFactory<KonnectDbContext> dbFactory,
    ILogger<ChaseNavigator> logger)
{
    /// <summary>How many customers a move tries when the one it found is taken before it can be opened.</summary>
    public const int MaxTries = 5;

    public async Task<ChaseMove> MoveAsync(UserScope agent, int currentRecordId, string pageToken, ChaseDirection direction,
        int? dealershipId = null, CancellationToken ct = default)
    {
        var none = direction switch
        {
            ChaseDirection.Next => "No more free customers after this one.",
            ChaseDirection.Previous => "No free customers before this one.",
            _ => "No other customer is free on the chase list.",
        };
        var candidate = await chaseList.FindNeighbourAsync(agent, currentRecordId, direction, dealershipId, ct);
        if (candidate is null)
            return new(ChaseMoveOutcome.Stayed, currentRecordId, none);
        if (candidate == currentRecordId)
            return new(ChaseMoveOutcome.Stayed, currentRecordId, $"{await CustomerNameAsync(currentRecordId, ct)} is already the first free customer on the chase list.");

        var held = await locks.ReleaseAsync(agent, currentRecordId, pageToken, ct);
        try
        {
            var opened = await OpenFromAsync(agent, currentRecordId, pageToken, direction, candidate, dealershipId, ct);
            if (opened.RecordId is { } id) return new(ChaseMoveOutcome.Opened, id);
            return await TakeBackAsync(agent, currentRecordId, pageToken, held, opened.Exhausted
                ? "The neighbouring customers were all taken by other agents just now. Please try again."
                : none, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Moving {Direction} from record {RecordId} failed", direction, currentRecordId);
            return await TakeBackAsync(agent, currentRecordId, pageToken, held, "Could not open another customer just now.", ct);
        }
    }

    /// <summary>
    /// Confirm &amp; next: records the call with the page's token (which gives the customer back in the same transaction), then
    /// opens the next free customer after the place the customer had before the outcome moved them, with the same token;
    /// past the end of the list it starts again from the top. Nobody free: the page goes back to the chase list and says so.
    /// A refused recording (validation, a retired outcome, the call held in another tab) throws and leaves everything as it
    /// was; once the call is recorded, failing to open the next customer only sends the agent back to the list.
    /// </summary>
    public async Task<ConfirmAndNext> ConfirmAndNextAsync(UserScope agent, RecordAttemptCommand command, int? dealershipId = null,
        CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(command.PageToken))
            throw new ArgumentException("Confirm & next needs the calling page's token.", nameof(command));
        var place = await chaseList.PlaceOfAsync(agent, command.RecordId, ct);
        var recorded = await calling.RecordAttemptAsync(agent, command, ct);
        const string nobody = "No other customer is free to call on the chase list, so you are back on the list.";
        if (place is null) return new(recorded, new(ChaseMoveOutcome.Left, command.RecordId, nobody));
        try
        {
            var candidate = await chaseList.FindNeighbourAsync(agent, place, ChaseDirection.Next, dealershipId, ct);
            if (candidate is null || candidate == command.RecordId) // the end of the list (the call may have moved them there)
                candidate = await chaseList.FindNeighbourAsync(agent, place, ChaseDirection.First, dealershipId, ct);
            var opened = await OpenFromAsync(agent, command.RecordId, command.PageToken, ChaseDirection.Next, candidate, dealershipId, ct);
            if (opened.RecordId is { } id) return new(recorded, new(ChaseMoveOutcome.Opened, id));
            return new(recorded, new(ChaseMoveOutcome.Left, command.RecordId, opened.Exhausted
                ? "The next customers were all taken by other agents just now, so you are back on the chase list."
                : nobody));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Opening the next customer after record {RecordId} failed", command.RecordId);
            return new(recorded, new(ChaseMoveOutcome.Left, command.RecordId, "The next customer could not be opened just now, so you are back on the chase list."));
        }
    }

    /// <summary>
    /// Opens the first customer it can from <paramref name="candidate"/> on, moving on past any another agent takes first.
    /// Null record when there was nobody (or only <paramref name="fromRecordId"/> itself) left, or every try was lost.
    /// </summary>
    internal async Task<(int? RecordId, bool Exhausted)> OpenFromAsync(UserScope agent, int fromRecordId, string pageToken,
        ChaseDirection direction, int? candidate, int? dealershipId, CancellationToken ct)
    {
        // After a lost race the search goes on from the lost one (First continues as Next).
        var onwards = direction == ChaseDirection.Previous ? ChaseDirection.Previous : ChaseDirection.Next;
        for (var tries = 0; candidate is { } id && tries < MaxTries; tries++)
        {
            if (id == fromRecordId) return (null, false); // only this customer is left
            if ((await locks.AcquireAsync(agent, id, pageToken, ct)).Succeeded) return (id, false);
            candidate = await chaseList.FindNeighbourAsync(agent, id, onwards, dealershipId, ct);
        }
        return (null, candidate is not null);
    }

    /// <summary>
    /// After a move that found nobody to open: keep the customer the agent had, if nobody took it meanwhile. A page that
    /// had lost its lease before the move (the release found nothing) never takes it back silently.
    /// </summary>
    private async Task<ChaseMove> TakeBackAsync(UserScope agent, int recordId, string pageToken, bool held, string message, CancellationToken ct)
    {
        string? name = null;
        if (held)
        {
            try
            {
                var back = await locks.AcquireAsync(agent, recordId, pageToken, ct);
                if (back.Succeeded) return new(ChaseMoveOutcome.Stayed, recordId, message);
                name = back.CustomerName;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Taking back record {RecordId} after a failed move failed", recordId);
            }
        }
        name ??= await CustomerNameAsync(recordId, ct);
        return new(ChaseMoveOutcome.Left, recordId, $"{message} {name} could not be kept open, so you are back on the chase list.");
    }

    private async Task<string> CustomerNameAsync(int recordId, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.SurveyRecords.AsNoTracking().Where(r => r.Id == recordId)
                .Select(r => (r.Customer.Title == null ? "" : r.Customer.Title + " ") + r.Customer.FirstName + " " + r.Customer.LastName)
                .SingleOrDefaultAsync(ct) ?? "The customer";
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Reading the name of record {RecordId} failed", recordId);
            return "The customer";
        }
    }
}
