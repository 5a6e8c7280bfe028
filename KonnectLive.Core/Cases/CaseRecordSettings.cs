using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Cases;

/// <summary>Which abandoned calls (the caller hung up before an agent answered) get a case.</summary>
public enum AbandonedCallCases { None, All, MinimumSeconds }

/// <summary>
/// How calls become case records, set on Configuration → Case Records (seed 002, "CRM record creation details"). One row
/// for the whole contact centre (Id 1), like the telephony provider: the queues and the phone system are shared by every
/// dealership, and a rule that differed per dealership would file the same call differently depending on which
/// dealership's agent picked it up.
/// </summary>
public class CaseRecordSettings
{
    public const int SingletonId = 1;
    public const string DefaultTitleTemplate = "{CALL_TYPE} from {PHONE_NUMBER} ({CUSTOMER_NAME})";

    public int Id { get; set; } = SingletonId;
    /// <summary>Off: no call is filed (case records are off).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Add a call to the customer's most recently updated open case of the same queue; off: every call opens a new case.</summary>
    public bool AppendToOpenCase { get; set; } = true;
    /// <summary>Also add it to a case of the same queue closed at most <see cref="ClosedWithinDays"/> ago, which then reopens.</summary>
    public bool AppendToRecentlyClosed { get; set; }
    public int ClosedWithinDays { get; set; } = 7;
    /// <summary>File a call when it connects to an agent (answered) instead of when it is offered to one.</summary>
    public bool DelayUntilConnected { get; set; }
    public AbandonedCallCases AbandonedCalls { get; set; } = AbandonedCallCases.None;
    public int AbandonedMinimumSeconds { get; set; } = 10;
    public string TitleTemplate { get; set; } = DefaultTitleTemplate;
    /// <summary>Tag each case with the types of its sessions (voice_inbound, voice_transfer …).</summary>
    public bool AddSessionTypeTags { get; set; } = true;
    /// <summary>Tag each case "konnectlive", so cases filed by this integration can be told apart (the seed's platform tag).</summary>
    public bool AddPlatformTag { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class CaseRecordSettingsConfiguration : IEntityTypeConfiguration<CaseRecordSettings>
{
    public void Configure(EntityTypeBuilder<CaseRecordSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.AbandonedCalls).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.TitleTemplate).HasMaxLength(CaseRecord.MaxTitle).IsRequired();
        b.Property(s => s.UpdatedBy).HasMaxLength(100);
    }
}

/// <summary>What an admin submits on Configuration → Case Records (and what the validator checks).</summary>
public sealed class CaseRecordSettingsInput
{
    public bool Enabled { get; set; } = true;
    public bool AppendToOpenCase { get; set; } = true;
    public bool AppendToRecentlyClosed { get; set; }
    public int ClosedWithinDays { get; set; } = 7;
    public bool DelayUntilConnected { get; set; }
    public AbandonedCallCases AbandonedCalls { get; set; }
    public int AbandonedMinimumSeconds { get; set; } = 10;
    public string TitleTemplate { get; set; } = CaseRecordSettings.DefaultTitleTemplate;
    public bool AddSessionTypeTags { get; set; } = true;
    public bool AddPlatformTag { get; set; }

    public static CaseRecordSettingsInput From(CaseRecordSettings s) => new()
    {
        Enabled = s.Enabled, AppendToOpenCase = s.AppendToOpenCase, AppendToRecentlyClosed = s.AppendToRecentlyClosed,
        ClosedWithinDays = s.ClosedWithinDays, DelayUntilConnected = s.DelayUntilConnected, AbandonedCalls = s.AbandonedCalls,
        AbandonedMinimumSeconds = s.AbandonedMinimumSeconds, TitleTemplate = s.TitleTemplate, AddSessionTypeTags = s.AddSessionTypeTags,
        AddPlatformTag = s.AddPlatformTag,
    };
}

public sealed class CaseRecordSettingsInputValidator : AbstractValidator<CaseRecordSettingsInput>
{
    public CaseRecordSettingsInputValidator()
    {
        RuleFor(i => i.TitleTemplate).NotEmpty().WithMessage("Enter a title template, e.g. " + CaseRecordSettings.DefaultTitleTemplate + ".")
            .MaximumLength(CaseRecord.MaxTitle).WithMessage($"The title template is at most {CaseRecord.MaxTitle} characters.");
        RuleFor(i => i.TitleTemplate).Custom((template, context) =>
        {
            if (CaseTitleTemplate.Problem(template) is { } problem) context.AddFailure(nameof(CaseRecordSettingsInput.TitleTemplate), problem);
        });
        RuleFor(i => i.ClosedWithinDays).InclusiveBetween(1, 365).When(i => i.AppendToRecentlyClosed)
            .WithMessage("Closed within is 1 to 365 days.");
        RuleFor(i => i.AbandonedMinimumSeconds).InclusiveBetween(1, 3600).When(i => i.AbandonedCalls == AbandonedCallCases.MinimumSeconds)
            .WithMessage("The minimum is 1 to 3,600 seconds.");
        RuleFor(i => i.AbandonedCalls).IsInEnum();
    }
}
