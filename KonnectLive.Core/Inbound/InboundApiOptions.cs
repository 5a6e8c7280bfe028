namespace KonnectLive.Core.Inbound;

/// <summary>The "InboundApi" configuration section: token lifetime, limits of the FOCUS API.</summary>
public sealed class InboundApiOptions
{
    public const string Section = "InboundApi";

    /// <summary>How long a bearer token is valid. FOCUS's security requirement: 20 minutes, with no clock skew.</summary>
    public int TokenLifetimeMinutes { get; set; } = 20;

    /// <summary>Token requests allowed per client IP address per minute (fixed window); more get 429.</summary>
    public int TokenRequestsPerMinute { get; set; } = 10;

    /// <summary>Record batches one API client may push per minute (fixed window, whatever its address); more get 429 with Retry-After.</summary>
    public int RecordRequestsPerMinute { get; set; } = 120;

    /// <summary>Telephony event batches one API client may post per minute (a busy phone system sends several per call).</summary>
    public int TelephonyRequestsPerMinute { get; set; } = 1200;

    /// <summary>Largest request body accepted by the records endpoint; larger gets 413.</summary>
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Most records in one batch; more gets 400 and nothing is stored.</summary>
    public int MaxRecordsPerBatch { get; set; } = 1000;

    /// <summary>How far in the future a status-changed time may be (clocks drift between FOCUS and us).</summary>
    public int FutureToleranceMinutes { get; set; } = 5;
}
