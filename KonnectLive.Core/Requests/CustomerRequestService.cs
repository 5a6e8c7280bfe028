using System.Globalization;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Requests;

/// <summary>
/// Agents raising requests on the customer and calling pages. Every write re-checks, on the server: the user may see the
/// customer's dealership; on the calling page they still hold the customer's lock with this page's token; a draft is only
/// its author's. Drafts keep what was typed (unchecked) so nothing is lost when the agent records the outcome first or
/// the page reloads; saving checks each value by its field's type (<see cref="CustomFieldValues.Normalise"/>, the
/// customer fields' rules) and the required fields, and is audited. Errors come back as results, never as exceptions.
/// </summary>
public sealed class CustomerRequestService(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public const string RaisedAction = "request.raised";
    public const string SavedAction = "request.saved";
    public const string DiscardedAction = "request.discarded";

    /// <summary>
    /// A request not yet on a recorded call waits this long for the outcome its author records for the customer; the same
    /// bound <see cref="CallingService"/> puts on a call's start (a shift).
    /// </summary>
    public static readonly TimeSpan PendingWindow = TimeSpan.FromHours(12);

    public const string NotFound = "This customer does not exist or is not one of your dealership's customers.";
    public const string LockLost = "You no longer hold this customer, so requests cannot be changed here. Open the customer page to finish them; drafts are kept.";
    public const string NotYours = "Only the agent who raised this request (or an admin) can change it.";
    public const string RequestGone = "That request no longer exists. Reload the page.";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public static bool MayRaise(UserScope user) =>
        user.IsInRole(Roles.Agent) || user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);

    /// <summary>The panel: active types, and this user's requests for the customer that are drafts or not yet on a recorded call. Null when the customer is not theirs to see.</summary>
    public async Task<RequestPanelView?> GetPanelAsync(UserScope user, RequestContext context, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dealershipId = await DealershipOfAsync(db, user, context.CustomerId, ct);
        if (dealershipId is null) return null;
        var refusal = !MayRaise(user) ? "Your role cannot raise requests." : await LockRefusalAsync(db, user, context, ct);
        var since = Now - PendingWindow;
        var mine = await db.CustomerRequests.AsNoTracking()
            .Where(r => r.CustomerId == context.CustomerId && r.RaisedById == user.UserId && r.ErasedAt == null
                        && (r.Status == RequestStatus.Draft || (r.CallAttemptId == null && r.RaisedAt >= since)))
            .OrderBy(r => r.RaisedAt).ThenBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
        return new RequestPanelView(await TypesAsync(db, ct), await RequestsQuery.LoadAsync(db, mine, ct), refusal is null, refusal);
    }

    /// <summary>Creates or changes a request (see <see cref="RequestSubmission"/>).</summary>
    public async Task<RequestResult> SubmitAsync(UserScope user, RequestContext context, RequestSubmission submission,
        CultureInfo? culture = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dealershipId = await DealershipOfAsync(db, user, context.CustomerId, ct);
        if (dealershipId is null) return RequestResult.Fail(CommandOutcome.NotFound, NotFound);
        if (!MayRaise(user)) return RequestResult.Fail(CommandOutcome.Forbidden, "Your role cannot raise requests.");
        if (await LockRefusalAsync(db, user, context, ct) is { } refusal) return RequestResult.Fail(CommandOutcome.Forbidden, refusal);

        CustomerRequest? request = null;
        if (submission.RequestId is { } id)
        {
            request = await db.CustomerRequests.Include(r => r.Values).SingleOrDefaultAsync(r => r.Id == id && r.CustomerId == context.CustomerId, ct);
            if (request is null || request.ErasedAt is not null) return RequestResult.Fail(CommandOutcome.NotFound, RequestGone);
            if (request.RaisedById != user.UserId && !user.IsInRole(Roles.Admin)) return RequestResult.Fail(CommandOutcome.Forbidden, NotYours);
            if (request.RequestTypeId != submission.TypeId) return RequestResult.Fail(CommandOutcome.Invalid, "A request's type cannot change: discard the draft and raise a new one.");
            // A saved request is only changed by saving it again: an autosaved draft never un-checks it.
            if (!submission.Save && request.Status == RequestStatus.Saved) return new(CommandOutcome.Unchanged, "Saved already.", RequestResult.NoErrors, null);
        }

        var type = await db.RequestTypes.AsNoTracking().Include(t => t.Fields).SingleOrDefaultAsync(t => t.Id == submission.TypeId, ct);
        if (type is null || (request is null && !type.IsActive))
            return RequestResult.Fail(CommandOutcome.Invalid, "That request type is no longer available. Choose another.");
        var fields = type.Fields.ToDictionary(f => f.Id);

        var errors = new Dictionary<int, string>();
        var typed = new Dictionary<int, string?>();
        foreach (var (fieldId, raw) in submission.Values)
        {
            if (!fields.TryGetValue(fieldId, out var field)) { errors[fieldId] = "This field is not part of the request type. Reload the page."; continue; }
            typed[fieldId] = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
        }
        if (errors.Count > 0) return new(CommandOutcome.Invalid, "Nothing was saved: " + string.Join(" ", errors.Values), errors, null);

        var now = Now;
        var by = Truncate(user.DisplayName, 100);
        var isNew = request is null;
        if (request is null)
        {
            request = new CustomerRequest
            {
                RequestTypeId = type.Id, CustomerId = context.CustomerId, DealershipId = dealershipId.Value, SurveyRecordId = context.RecordId,
                Status = RequestStatus.Draft, RaisedById = user.UserId, RaisedByName = by, RaisedAt = now,
            };
            await AttachToCurrentCallAsync(db, user, request, ct);
            db.CustomerRequests.Add(request);
        }

        // Every value as it will be kept: checked and invariant when saving, as typed for a draft.
        var values = request.Values.ToDictionary(v => v.RequestFieldId, v => (string?)v.Value);
        foreach (var (fieldId, text) in typed) values[fieldId] = text;
        if (submission.Save)
        {
            foreach (var field in type.Fields.Where(f => f.IsActive || values.GetValueOrDefault(f.Id) is not null))
            {
                var (normalised, error) = CustomFieldValues.Normalise(field.Type, field.Choices, values.GetValueOrDefault(field.Id), culture);
                if (error is not null) errors[field.Id] = $"{field.Name} {error}";
                else if (normalised is null && field.IsRequired && field.IsActive) errors[field.Id] = $"{field.Name} is required.";
                else values[field.Id] = normalised;
            }
        }

        var saving = submission.Save && errors.Count == 0;
        var before = request.Status;
        // A saved request only ever holds checked values: refused changes to it leave it as it was.
        if (errors.Count > 0 && before == RequestStatus.Saved)
            return new(CommandOutcome.Invalid, "Nothing was saved: " + string.Join(" ", errors.Values), errors, null);
        Apply(request, values);
        request.UpdatedAt = now;
        request.UpdatedBy = by;
        if (saving) request.Status = RequestStatus.Saved;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RequestResult.Fail(CommandOutcome.NotFound, RequestGone);
        }
        if (isNew)
            AuditLog.Add(db, now, user, RaisedAction, nameof(CustomerRequest), request.Id.ToString(), $"{type.Name}{Where(request)}", request.CustomerId);
        if (saving)
            AuditLog.Add(db, now, user, SavedAction, nameof(CustomerRequest), request.Id.ToString(),
                $"{type.Name}{(before == RequestStatus.Saved ? " changed" : "")}: {Describe(type, values)}", request.CustomerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var view = (await RequestsQuery.LoadAsync(db, [request.Id], ct)).Single();
        if (errors.Count > 0)
            return new(CommandOutcome.Invalid, "Kept as a draft, not saved: " + string.Join(" ", errors.Values), errors, view);
        return new(CommandOutcome.Done, saving ? $"{type.Name} request saved." : "Draft kept.", RequestResult.NoErrors, view);
    }

    /// <summary>Removes one of the user's own drafts (a saved request stays: it is part of the history).</summary>
    public async Task<RequestResult> DiscardDraftAsync(UserScope user, RequestContext context, long requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await DealershipOfAsync(db, user, context.CustomerId, ct) is null) return RequestResult.Fail(CommandOutcome.NotFound, NotFound);
        if (await LockRefusalAsync(db, user, context, ct) is { } refusal) return RequestResult.Fail(CommandOutcome.Forbidden, refusal);
        var request = await db.CustomerRequests.Include(r => r.RequestType).SingleOrDefaultAsync(r => r.Id == requestId && r.CustomerId == context.CustomerId, ct);
        if (request is null) return RequestResult.Fail(CommandOutcome.NotFound, RequestGone);
        if (request.RaisedById != user.UserId) return RequestResult.Fail(CommandOutcome.Forbidden, NotYours);
        if (request.Status != RequestStatus.Draft) return RequestResult.Fail(CommandOutcome.Refused, "A saved request stays in the history; it cannot be discarded.");
        db.CustomerRequests.Remove(request);
        AuditLog.Add(db, Now, user, DiscardedAction, nameof(CustomerRequest), request.Id.ToString(), $"{request.RequestType.Name} draft discarded", request.CustomerId);
        await db.SaveChangesAsync(ct);
        return new(CommandOutcome.Done, "Draft discarded.", RequestResult.NoErrors, null);
    }

    /// <summary>
    /// Called as <see cref="CallingService"/> records an outcome, in its transaction: the agent's requests for this
    /// customer that are on no recorded call yet (raised on this call, before the outcome) join it.
    /// </summary>
    public static Task<int> AttachToAttemptAsync(KonnectDbContext db, CallAttempt attempt, CancellationToken ct = default)
    {
        var since = attempt.RecordedAt - PendingWindow;
        return db.CustomerRequests
            .Where(r => r.CustomerId == attempt.CustomerId && r.RaisedById == attempt.AgentId && r.CallAttemptId == null && r.RaisedAt >= since)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CallAttemptId, attempt.Id), ct);
    }

    /// <summary>
    /// The agent's phone-system leg with this customer now (in progress, or ended within the after-call window: the same
    /// rule as <see cref="CallLegWrapUp"/>), and the outcome already recorded on it, if any.
    /// </summary>
    private static async Task AttachToCurrentCallAsync(KonnectDbContext db, UserScope user, CustomerRequest request, CancellationToken ct)
    {
        var digits = await db.CustomerPhones.Where(p => p.CustomerId == request.CustomerId && p.SearchDigits != null && p.SearchDigits != "")
            .Select(p => p.SearchDigits!).Distinct().ToListAsync(ct);
        if (digits.Count == 0) return;
        var endedSince = request.RaisedAt - CallLegWrapUp.AfterCallWindow;
        var leg = await db.CallLegs.AsNoTracking()
            .Where(l => l.UserId == user.UserId && l.StartedAt <= request.RaisedAt && (l.EndedAt == null || l.EndedAt >= endedSince)
                        && l.Call.CustomerDigits != null && digits.Contains(l.Call.CustomerDigits))
            .OrderByDescending(l => l.StartedAt).ThenByDescending(l => l.Id)
            .Select(l => new { l.Id, l.CallAttemptId })
            .FirstOrDefaultAsync(ct);
        if (leg is null) return;
        request.CallLegId = leg.Id;
        request.CallAttemptId = leg.CallAttemptId;
    }

    private static void Apply(CustomerRequest request, Dictionary<int, string?> values)
    {
        foreach (var (fieldId, text) in values)
        {
            var row = request.Values.FirstOrDefault(v => v.RequestFieldId == fieldId);
            var value = text is { Length: > CustomFieldValues.MaxTextLength } ? text[..CustomFieldValues.MaxTextLength] : text;
            if (value is null) { if (row is not null) request.Values.Remove(row); }
            else if (row is null) request.Values.Add(new CustomerRequestValue { RequestFieldId = fieldId, Value = value });
            else row.Value = value;
        }
    }

    private async Task<string?> LockRefusalAsync(KonnectDbContext db, UserScope user, RequestContext context, CancellationToken ct)
    {
        if (!context.OnCallingPage) return null;
        var now = Now;
        var holds = await db.SurveyRecords.AsNoTracking()
            .AnyAsync(r => r.Id == context.RecordId && r.CustomerId == context.CustomerId && r.LockHolderId == user.UserId
                           && r.LockToken == context.PageToken && r.LockExpiresAt > now, ct);
        return holds ? null : LockLost;
    }

    private static async Task<int?> DealershipOfAsync(KonnectDbContext db, UserScope user, int customerId, CancellationToken ct)
    {
        var dealershipId = await db.Customers.AsNoTracking().Where(c => c.Id == customerId && c.ErasedAt == null)
            .Select(c => (int?)c.DealershipId).SingleOrDefaultAsync(ct);
        return dealershipId is { } d && user.CanSee(d) ? d : null;
    }

    internal static async Task<IReadOnlyList<RequestTypeOption>> TypesAsync(KonnectDbContext db, CancellationToken ct)
    {
        var types = await db.RequestTypes.AsNoTracking().Include(t => t.Fields).Where(t => t.IsActive).OrderBy(t => t.Name).ToListAsync(ct);
        return types.Select(t => new RequestTypeOption(t.Id, t.Name, t.Description,
            t.Fields.Where(f => f.IsActive).OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
                .Select(f => new RequestValueView(f.Id, f.Name, f.Type, CustomFieldValues.SplitChoices(f.Choices), f.IsRequired, f.IsActive, null))
                .ToList())).ToList();
    }

    private static string Where(CustomerRequest r) =>
        r.CallAttemptId is { } a ? $" on call #{a}" : r.CallLegId is { } l ? $" on phone call leg #{l}" : r.SurveyRecordId is { } s ? $" on the calling page (record #{s})" : "";

    private static string Describe(RequestType type, Dictionary<int, string?> values) =>
        string.Join("; ", type.Fields.OrderBy(f => f.SortOrder).Where(f => values.GetValueOrDefault(f.Id) is not null)
            .Select(f => $"{f.Name}: \"{Excerpt(values[f.Id]!)}\""));

    private static string Excerpt(string v) => v.Length > 200 ? v[..200] + "…" : v;

    private static string Truncate(string s, int max) => s.Length > max ? s[..max] : s;
}
