using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Telephony.Dialing;

/// <summary>
/// The telephony provider an admin sets on Configuration → Telephony (one row, Id 1): the click-to-dial originate endpoint
/// and its key. The key is stored encrypted with ASP.NET Data Protection (its keys are in the database, so every instance
/// reads it) and is never shown again.
/// </summary>
public class TelephonySettings
{
    public const int SingletonId = 1;
    public int Id { get; set; } = SingletonId;
    /// <summary>Click-to-dial on: numbers on the calling and customer pages ask the provider to dial; off: they stay <c>tel:</c> links.</summary>
    public bool DialEnabled { get; set; }
    /// <summary>The provider's originate endpoint; KonnectLive POSTs JSON { extension, number, customerId, reference } to it.</summary>
    public string? OriginateUrl { get; set; }
    /// <summary>The key, protected (<see cref="TelephonySettingsService.KeyPurpose"/>); sent in <see cref="ApiKeyHeader"/>.</summary>
    public string? ProtectedApiKey { get; set; }
    public string ApiKeyHeader { get; set; } = "X-Api-Key";
    /// <summary>How long KonnectLive waits for the provider before telling the agent the dial failed.</summary>
    public int DialTimeoutSeconds { get; set; } = 10;
    /// <summary>How long an agent may stay in Wrap-up after a call; 0: no limit.</summary>
    public int AfterCallWorkLimitSeconds { get; set; } = 120;
    public AgentStates.AfterCallWorkAtLimit AfterCallWorkAtLimit { get; set; } = AgentStates.AfterCallWorkAtLimit.ReturnToReady;
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class TelephonySettingsConfiguration : IEntityTypeConfiguration<TelephonySettings>
{
    public void Configure(EntityTypeBuilder<TelephonySettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.OriginateUrl).HasMaxLength(500);
        b.Property(s => s.ProtectedApiKey).HasMaxLength(2000);
        b.Property(s => s.ApiKeyHeader).HasMaxLength(64).IsRequired();
        b.Property(s => s.UpdatedBy).HasMaxLength(100);
        b.Property(s => s.AfterCallWorkAtLimit).HasConversion<string>().HasMaxLength(16);
    }
}

/// <summary>What an admin submits. <see cref="ApiKey"/> empty keeps the stored key; <see cref="ClearApiKey"/> removes it.</summary>
public sealed class TelephonySettingsInput
{
    public bool DialEnabled { get; set; }
    public string? OriginateUrl { get; set; }
    public string? ApiKey { get; set; }
    public bool ClearApiKey { get; set; }
    public string ApiKeyHeader { get; set; } = "X-Api-Key";
    public int DialTimeoutSeconds { get; set; } = 10;
    /// <summary>Set by the service: whether a key is stored already (so turning dialling on without typing one again is fine).</summary>
    internal bool HasStoredKey { get; set; }
}

public sealed class TelephonySettingsInputValidator : AbstractValidator<TelephonySettingsInput>
{
    public TelephonySettingsInputValidator()
    {
        RuleFor(i => i.OriginateUrl).Must(BeHttpUrl).When(i => !string.IsNullOrWhiteSpace(i.OriginateUrl))
            .WithMessage("Enter the originate endpoint as a full http:// or https:// address.");
        RuleFor(i => i.OriginateUrl).NotEmpty().When(i => i.DialEnabled)
            .WithMessage("Enter the provider's originate endpoint to turn click-to-dial on.");
        RuleFor(i => i.OriginateUrl).MaximumLength(500);
        RuleFor(i => i.ApiKey).MaximumLength(500);
        RuleFor(i => i.ApiKey).NotEmpty().When(i => i.DialEnabled && (!i.HasStoredKey || i.ClearApiKey))
            .WithMessage("Enter the provider's key to turn click-to-dial on.");
        RuleFor(i => i.ApiKeyHeader).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9-]+$")
            .WithMessage("The key header is a header name, e.g. X-Api-Key.");
        RuleFor(i => i.DialTimeoutSeconds).InclusiveBetween(1, 60).WithMessage("The timeout is 1 to 60 seconds.");
    }

    private static bool BeHttpUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
