namespace KonnectLive.Core.Inbound;

/// <summary>What happened to one record of a batch. The names are the API's contract with FOCUS.</summary>
public static class CsiRecordOutcome
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string IgnoredOutOfOrder = "ignored_out_of_order";
    public const string IgnoredClosed = "ignored_closed";
    public const string OutsideMatchWindow = "outside_match_window";
    public const string Rejected = "rejected";

    public static readonly string[] All = [Created, Updated, Unchanged, IgnoredOutOfOrder, IgnoredClosed, OutsideMatchWindow, Rejected];
}

public sealed class CsiRecordResult
{
    /// <summary>Position in the batch, from 0.</summary>
    public int Index { get; set; }
    public string? FocusRecordId { get; set; }
    /// <summary>created, updated, unchanged, ignored_out_of_order, ignored_closed, outside_match_window or rejected.</summary>
    public string Result { get; set; } = "";
    /// <summary>KonnectLive's id of the survey record, when one exists.</summary>
    public int? RecordId { get; set; }
    /// <summary>The record's status after this request.</summary>
    public string? Status { get; set; }
    /// <summary>Why, in words (why ignored, which message was queued or why none).</summary>
    public string? Detail { get; set; }
    /// <summary>Rejected records: field errors, keyed by JSON path as in RFC 9457 validation problems.</summary>
    public IDictionary<string, string[]>? Errors { get; set; }
}

public sealed record CsiResultCounts(int Created, int Updated, int Unchanged, int IgnoredOutOfOrder, int IgnoredClosed, int OutsideMatchWindow, int Rejected)
{
    /// <summary>Everything received but deliberately not applied (the log's one "ignored" column).</summary>
    public int Ignored => IgnoredOutOfOrder + IgnoredClosed + OutsideMatchWindow;

    public static CsiResultCounts From(IReadOnlyCollection<CsiRecordResult> results)
    {
        int Count(string outcome) => results.Count(r => r.Result == outcome);
        return new(Count(CsiRecordOutcome.Created), Count(CsiRecordOutcome.Updated), Count(CsiRecordOutcome.Unchanged),
            Count(CsiRecordOutcome.IgnoredOutOfOrder), Count(CsiRecordOutcome.IgnoredClosed), Count(CsiRecordOutcome.OutsideMatchWindow),
            Count(CsiRecordOutcome.Rejected));
    }

    public override string ToString() =>
        $"created {Created}, updated {Updated}, unchanged {Unchanged}, ignored out of order {IgnoredOutOfOrder}, " +
        $"ignored closed {IgnoredClosed}, outside match window {OutsideMatchWindow}, rejected {Rejected}";
}

/// <summary>The 200 response of POST /api/v1/csi/records.</summary>
public sealed class CsiBatchResponse
{
    /// <summary>The InboundRequests row of this request (quote it when asking about a batch).</summary>
    public long RequestId { get; set; }
    public int Received { get; set; }
    public CsiResultCounts Counts { get; set; } = new(0, 0, 0, 0, 0, 0, 0);
    public List<CsiRecordResult> Results { get; set; } = [];
}

/// <summary>The service's answer: a batch response (200), or why the request was refused as a whole.</summary>
public sealed record CsiIngestOutcome(int StatusCode, long RequestId, CsiBatchResponse? Response, string? Error);
