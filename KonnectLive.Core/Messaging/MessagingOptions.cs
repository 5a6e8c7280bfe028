namespace KonnectLive.Core.Messaging;

public enum EmailSenderKind { Outbox, Smtp }

public enum SmsSenderKind { Outbox, Http }

/// <summary>Section <c>Messaging</c> in appsettings.json. Every value has a default that suits the embedded mode.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>The survey link is this base followed by the FOCUS record id, e.g. https://survey.example.com/r/ABC123.</summary>
    public string SurveyLinkBase { get; set; } = "https://survey.example.com/r/";

    /// <summary>How often the dispatcher job looks for due messages. A message leaves at most this long after it is due.</summary>
    public int DispatchEverySeconds { get; set; } = 1;

    /// <summary>How many messages of a batch are sent at the same time (each still exactly once).</summary>
    public int SendConcurrency { get; set; } = 8;

    /// <summary>How many due rows one claim takes. A run keeps claiming batches until fewer than this are due.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// How long a claim holds a row; the dispatching run renews it every third of this while it works, so a row still
    /// Sending after this means its instance died mid-send, and another run (any instance) claims it again.
    /// </summary>
    public int ClaimLeaseSeconds { get; set; } = 15;

    /// <summary>Sends tried before a message is Failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubled after each failure, capped at one hour.</summary>
    public int RetryBackoffSeconds { get; set; } = 60;

    /// <summary>
    /// Late policy: a message found more than this many hours past its due time (the app was down) is Skipped
    /// "too late" instead of sent — a survey reminder a day late does more harm than good. 0 sends however late.
    /// </summary>
    public int MaxLatenessHours { get; set; } = 24;

    /// <summary>Quartz's own SQLite file; default: quartz.db beside the app's database, so the two never contend for a lock.</summary>
    public string? QuartzSqlitePath { get; set; }

    public EmailOptions Email { get; set; } = new();
    public SmsOptions Sms { get; set; } = new();

    public TimeSpan BackoffAfter(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3600, RetryBackoffSeconds * Math.Pow(2, Math.Max(0, attempts - 1))));

    public sealed class EmailOptions
    {
        public EmailSenderKind Sender { get; set; } = EmailSenderKind.Outbox;
        public string Host { get; set; } = "";
        public int Port { get; set; } = 25;
        /// <summary>STARTTLS (or TLS on connect for port 465) required; false sends in clear text (a local relay).</summary>
        public bool UseTls { get; set; }
        public string From { get; set; } = "KonnectLive <no-reply@konnectlive.example>";
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public int TimeoutSeconds { get; set; } = 30;
    }

    public sealed class SmsOptions
    {
        public SmsSenderKind Sender { get; set; } = SmsSenderKind.Outbox;
        /// <summary>The gateway's send endpoint; KonnectLive POSTs JSON { to, from, body, reference }.</summary>
        public string GatewayUrl { get; set; } = "";
        public string? ApiKey { get; set; }
        public string ApiKeyHeader { get; set; } = "X-Api-Key";
        /// <summary>Sender id shown on the handset.</summary>
        public string From { get; set; } = "KonnectLive";
        public int TimeoutSeconds { get; set; } = 30;
    }
}
