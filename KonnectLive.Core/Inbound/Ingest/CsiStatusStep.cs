using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// Step 3 of a batch: the survey state machine, one record at a time in batch order (a record sent twice in one batch
/// sees its first copy). A record FOCUS sent before is checked against its current status; a new one is matched to a
/// customer (<see cref="CustomerMatcher"/>) and created — unless its event is outside the match window.
/// </summary>
/// <param name="track">New customers and records go into EF's change tracker (the change-tracked writes tests compare
/// with); otherwise they stay plain objects in <see cref="IngestWorkingSet.Untracked"/>.</param>
internal sealed class CsiStatusStep(KonnectDbContext db, IngestWorkingSet working, CsiCustomerData customerData, CsiSettings settings, DateTime now,
    long requestId, bool track)
{
    private readonly DateTime _cutOff = now.Date.AddDays(-settings.FocusMatchCutOffDays);

    public void Apply(IngestRecord v)
    {
        if (working.Tracked.TryGetValue(v.FocusRecordId, out var tracked)) ApplyToExisting(v, tracked);
        else Create(v);
    }

    private void ApplyToExisting(IngestRecord v, TrackedRecord t)
    {
        var result = v.Result;
        var record = t.Record;
        result.RecordId = record.Id == 0 ? null : record.Id;
        if (record.DealershipId != v.DealershipId)
        {
            CsiIngestValidation.Reject(result, new Dictionary<string, string[]>
            {
                ["dealershipCode"] = ["This FOCUS record belongs to another dealership; a record cannot move between dealerships."],
            });
            return;
        }
        switch (record.CheckIncoming(v.Status, v.ChangedAt))
        {
            case IncomingStatusCheck.Closed:
                Set(result, CsiRecordOutcome.IgnoredClosed, record,
                    $"The record closed as {record.Status} at {record.StatusChangedAt:O} and never reopens.");
                return;
            case IncomingStatusCheck.OutOfOrder:
                Set(result, CsiRecordOutcome.IgnoredOutOfOrder, record,
                    $"The record is already {record.Status} as of {record.StatusChangedAt:O}; {v.Status} at {v.ChangedAt:O} is not later.");
                return;
            case IncomingStatusCheck.Same:
                // Closed records keep their data as it was when they closed.
                var changed = !record.IsClosed && customerData.ApplyToRecord(record, v);
                t.DataChanged |= changed;
                Set(result, changed ? CsiRecordOutcome.Updated : CsiRecordOutcome.Unchanged, record,
                    changed ? "Customer or vehicle details updated." : "Already up to date.");
                return;
            default:
                if (v.EventDate < _cutOff && !IsClosing(v.Status))
                {
                    Set(result, CsiRecordOutcome.OutsideMatchWindow, record,
                        $"The event ({v.EventDate:yyyy-MM-dd}) is older than {settings.FocusMatchCutOffDays} days: {v.Status} is not applied.");
                    return;
                }
                t.DataChanged |= customerData.ApplyToRecord(record, v);
                record.ApplyIncomingStatus(v.Status, v.ChangedAt, now, requestId);
                t.StatusEvent = true;
                Set(result, CsiRecordOutcome.Updated, record, null);
                return;
        }
    }

    private void Create(IngestRecord v)
    {
        var result = v.Result;
        if (v.EventDate < _cutOff)
        {
            result.Result = CsiRecordOutcome.OutsideMatchWindow;
            result.Detail = $"The event ({v.EventDate:yyyy-MM-dd}) is older than {settings.FocusMatchCutOffDays} days (CSI Focus Match Cut Off Days): " +
                            "stored in the inbound log, not processed.";
            return;
        }
        var customer = customerData.ForNewRecord(v, () => New(new Customer { DealershipId = v.DealershipId }));
        var vehicle = CsiCustomerData.MatchVehicle(customer, v.Vehicle);
        var created = SurveyRecord.Create(v.FocusRecordId, v.DealershipId, customer, vehicle, v.Status, v.ChangedAt, v.Input.Score,
            v.Input.ParsedEventType, v.EventDate, now, requestId);
        New(created);
        working.Tracked[created.FocusRecordId] = new TrackedRecord(created, null) { StatusEvent = true };
        Set(result, CsiRecordOutcome.Created, created, null);
    }

    private T New<T>(T entity) where T : class
    {
        if (track) db.Add(entity);
        else working.Untracked.Add(entity);
        return entity;
    }

    private static bool IsClosing(SurveyStatus status) => status is SurveyStatus.Rejected or SurveyStatus.Completed or SurveyStatus.Expired;

    private static void Set(CsiRecordResult result, string outcome, SurveyRecord record, string? detail)
    {
        result.Result = outcome;
        result.Status = record.Status.ToString();
        result.Detail = detail;
        if (record.Id != 0) result.RecordId = record.Id;
    }
}
