using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Inbound;

/// <summary>
/// What an API client may do. FOCUS ingest and telephony events are separate: the phone system's credentials cannot push
/// survey records, and FOCUS's cannot post call events.
/// </summary>
[Flags]
public enum ApiScopes
{
    None = 0,
    /// <summary><c>POST /api/v1/csi/records</c>: FOCUS survey records.</summary>
    CsiIngest = 1,
    /// <summary><c>POST /api/v1/telephony/events</c>: call events from the phone system.</summary>
    Telephony = 2,
}

/// <summary>A machine that may call the inbound API (FOCUS, the phone system). Its secret is stored hashed and shown once.</summary>
public class ApiClient
{
    public int Id { get; set; }
    /// <summary>The public identifier the machine sends with its secret.</summary>
    public string ClientId { get; set; } = "";
    public string Name { get; set; } = "";
    public string SecretHash { get; set; } = "";
    public bool IsEnabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? SecretRotatedAt { get; set; }
    public DateTime? DisabledAt { get; set; }
    public string? DisabledBy { get; set; }
    public DateTime? LastUsedAt { get; set; }
    /// <summary>What its tokens are good for; clients made before scopes existed were FOCUS clients.</summary>
    public ApiScopes Scopes { get; set; } = ApiScopes.CsiIngest;

    /// <summary>Stops the client at once: its tokens are refused from the next request on (their rows stay, so a caller is told why).</summary>
    public bool Disable(string by, DateTime atUtc)
    {
        if (!IsEnabled) return false;
        IsEnabled = false;
        DisabledAt = atUtc;
        DisabledBy = by;
        return true;
    }

    public bool Enable()
    {
        if (IsEnabled) return false;
        IsEnabled = true;
        DisabledAt = null;
        DisabledBy = null;
        return true;
    }
}

/// <summary>A bearer token issued to a client. Only its SHA-256 hash is stored.</summary>
public class ApiToken
{
    public long Id { get; set; }
    public int ApiClientId { get; set; }
    public ApiClient ApiClient { get; set; } = null!;
    public string TokenHash { get; set; } = "";
    public DateTime IssuedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>Every request to the inbound API, as received, with what was done with each record.</summary>
public class InboundRequest
{
    public long Id { get; set; }
    public int? ApiClientId { get; set; }
    public string? ClientId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public string Endpoint { get; set; } = "";
    public int StatusCode { get; set; }
    /// <summary>The body as received (truncated past 2 MB; oversized bodies are refused before this point).</summary>
    public string RawPayload { get; set; } = "";
    public int RecordCount { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Ignored { get; set; }
    public int Rejected { get; set; }
    /// <summary>Per-record results as JSON, or the reason the whole request was refused.</summary>
    public string? ResultsJson { get; set; }
    public string? Error { get; set; }
    public int DurationMs { get; set; }
}

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.Property(c => c.ClientId).HasMaxLength(64).IsRequired();
        b.Property(c => c.Name).HasMaxLength(100).IsRequired();
        b.Property(c => c.SecretHash).HasMaxLength(200).IsRequired();
        b.Property(c => c.CreatedBy).HasMaxLength(100);
        b.Property(c => c.DisabledBy).HasMaxLength(100);
        b.HasIndex(c => c.ClientId).IsUnique();
        b.Property(c => c.Scopes).HasDefaultValue(ApiScopes.CsiIngest).HasSentinel(ApiScopes.None);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.ExpiresAt);
        b.HasOne(t => t.ApiClient).WithMany().HasForeignKey(t => t.ApiClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InboundRequestConfiguration : IEntityTypeConfiguration<InboundRequest>
{
    public void Configure(EntityTypeBuilder<InboundRequest> b)
    {
        b.Property(r => r.ClientId).HasMaxLength(64);
        b.Property(r => r.Endpoint).HasMaxLength(100).IsRequired();
        b.Property(r => r.Error).HasMaxLength(2000);
        b.HasIndex(r => r.ReceivedAt);
        b.HasIndex(r => new { r.ApiClientId, r.ReceivedAt });
    }
}
