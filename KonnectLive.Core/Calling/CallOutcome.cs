using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Calling;

/// <summary>A wrap-up an agent can choose on the calling page. Stored, seeded, and edited by admins.</summary>
public class CallOutcome
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>A MudBlazor colour name (Primary, Success, Warning, Error, Info, Default).</summary>
    public string Colour { get; set; } = "Default";
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>What kind of result it is, for reports: did the agent reach the customer?</summary>
    public OutcomeCategory Category { get; set; } = OutcomeCategory.NotReached;
    /// <summary>What recording it does to the record and the chase list.</summary>
    public OutcomeBehaviour Behaviour { get; set; } = OutcomeBehaviour.KeepOnList;
    /// <summary>The agent must write a note to record it.</summary>
    public bool RequiresNote { get; set; }
    /// <summary>
    /// <see cref="OutcomeBehaviour.CallBackLater"/> only: for how many minutes after the call-back falls due only the
    /// agent who booked it may open the record (0: anyone may).
    /// </summary>
    public int CallbackReserveMinutes { get; set; }
    /// <summary><see cref="OutcomeBehaviour.WrongNumber"/> only: the SMS sent when no callable number is left.</summary>
    public int? NextSmsTemplateId { get; set; }
    /// <summary><see cref="OutcomeBehaviour.WrongNumber"/> only: the email sent when no callable number and no mobile is left.</summary>
    public int? NextEmailTemplateId { get; set; }
}

/// <summary>For reports: whether the call reached the customer.</summary>
public enum OutcomeCategory
{
    /// <summary>Spoke to the customer.</summary>
    Contacted,
    /// <summary>Did not reach the customer (no answer, voicemail, busy).</summary>
    NotReached,
    /// <summary>The number or contact details were wrong.</summary>
    BadContact,
}

/// <summary>What an outcome does to the record when it is recorded.</summary>
public enum OutcomeBehaviour
{
    /// <summary>The record stays on the chase list and moves to the bottom (e.g. No answer).</summary>
    KeepOnList,
    /// <summary>The record leaves the chase list (e.g. Spoke – will complete).</summary>
    TakeOffList,
    /// <summary>The agent picks a date and time; the record leaves the list until then and returns at the top.</summary>
    CallBackLater,
    /// <summary>The agent picks a decline reason; the record leaves the list and feeds the declined report.</summary>
    CustomerDeclined,
    /// <summary>The dialled number is marked wrong; the record stays if another number remains, else moves to SMS, then email.</summary>
    WrongNumber,
}

/// <summary>
/// Why a customer declined the survey: admin-managed. An agent's "+" adds a <see cref="DeclineReasonStatus.Proposed"/>
/// reason, usable at once by that agent only, until an admin approves it (perhaps renamed) or merges it into another.
/// </summary>
public class DeclineReason
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DeclineReasonStatus Status { get; set; } = DeclineReasonStatus.Approved;
    /// <summary>A proposal: the agent who proposed it, the only one it is offered to until an admin approves it.</summary>
    public string? ProposedById { get; set; }
    /// <summary><see cref="DeclineReasonStatus.Merged"/>: the reason its calls were moved to (its name now leads there).</summary>
    public int? MergedIntoId { get; set; }
}

public enum DeclineReasonStatus
{
    /// <summary>Offered to every agent (while active).</summary>
    Approved,
    /// <summary>Added by an agent with "+": offered only to them until an admin approves or merges it.</summary>
    Proposed,
    /// <summary>An admin merged it into another reason: its calls moved there; kept (inactive) so its name leads there.</summary>
    Merged,
}

/// <summary>How a call reached the agent. The calling page makes outbound calls; the rest are for telephony integration.</summary>
public enum CallType { Outbound, Inbound, Transfer, Conference }

/// <summary>One recorded call.</summary>
public class CallAttempt
{
    public CallType CallType { get; set; } = CallType.Outbound;
    public long Id { get; set; }
    public int SurveyRecordId { get; set; }
    public int CustomerId { get; set; }
    public int DealershipId { get; set; }
    public string AgentId { get; set; } = "";
    public string AgentName { get; set; } = "";
    public string? NumberDialled { get; set; }
    public DateTime StartedAt { get; set; }
    public int DurationSeconds { get; set; }
    public int OutcomeId { get; set; }
    public CallOutcome Outcome { get; set; } = null!;
    public string? Note { get; set; }
    public DateTime RecordedAt { get; set; }
    /// <summary>The outcome's behaviour when it was recorded (outcomes can be edited later).</summary>
    public OutcomeBehaviour Behaviour { get; set; } = OutcomeBehaviour.KeepOnList;
    /// <summary>Customer declined: the reason the agent picked.</summary>
    public int? DeclineReasonId { get; set; }
    public DeclineReason? DeclineReason { get; set; }
    /// <summary>Call back later: when the agent arranged to call back (UTC).</summary>
    public DateTime? CallbackAt { get; set; }
    /// <summary>
    /// What the record was before this call and what the call left it as (<see cref="AttemptUndoState"/>, JSON), so an
    /// undo can put it back only if nothing newer happened. Null for calls recorded before undo existed.
    /// </summary>
    public string? UndoState { get; set; }
    /// <summary>Undone: kept for the audit trail and the history, no longer counted by reports.</summary>
    public DateTime? UndoneAt { get; set; }
    public string? UndoneBy { get; set; }
    public bool IsUndone => UndoneAt is not null;
}

internal sealed class CallOutcomeConfiguration : IEntityTypeConfiguration<CallOutcome>
{
    public void Configure(EntityTypeBuilder<CallOutcome> b)
    {
        b.Property(o => o.Name).HasMaxLength(80).IsRequired();
        b.Property(o => o.Colour).HasMaxLength(20).IsRequired();
        b.HasIndex(o => o.Name).IsUnique();
        b.Property(o => o.Category).HasConversion<string>().HasMaxLength(16);
        b.Property(o => o.Behaviour).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Messaging.MessageTemplate>().WithMany().HasForeignKey(o => o.NextSmsTemplateId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Messaging.MessageTemplate>().WithMany().HasForeignKey(o => o.NextEmailTemplateId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class DeclineReasonConfiguration : IEntityTypeConfiguration<DeclineReason>
{
    public void Configure(EntityTypeBuilder<DeclineReason> b)
    {
        b.Property(r => r.Name).HasMaxLength(80).IsRequired();
        b.Property(r => r.CreatedBy).HasMaxLength(100);
        b.HasIndex(r => r.Name).IsUnique();
        // The migration that added it made every existing reason Approved (its column default).
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.ProposedById).HasMaxLength(450);
        // No foreign key: reasons are never deleted, and on SQLite adding one would rebuild the table.
    }
}

internal sealed class CallAttemptConfiguration : IEntityTypeConfiguration<CallAttempt>
{
    public void Configure(EntityTypeBuilder<CallAttempt> b)
    {
        b.Property(a => a.AgentId).HasMaxLength(450).IsRequired();
        b.Property(a => a.AgentName).HasMaxLength(100).IsRequired();
        b.Property(a => a.NumberDialled).HasMaxLength(32);
        b.Property(a => a.Note).HasMaxLength(2000);
        b.Property(a => a.CallType).HasConversion<string>().HasMaxLength(12);
        b.Property(a => a.UndoState).HasMaxLength(2000);
        b.Property(a => a.UndoneBy).HasMaxLength(100);
        b.Ignore(a => a.IsUndone);
        b.HasOne(a => a.Outcome).WithMany().HasForeignKey(a => a.OutcomeId).OnDelete(DeleteBehavior.Restrict);
        b.Property(a => a.Behaviour).HasConversion<string>().HasMaxLength(20);
        b.HasOne(a => a.DeclineReason).WithMany().HasForeignKey(a => a.DeclineReasonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Surveys.SurveyRecord>().WithMany().HasForeignKey(a => a.SurveyRecordId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.CustomerId, a.StartedAt });
        b.HasIndex(a => new { a.DealershipId, a.RecordedAt });
        b.HasIndex(a => new { a.AgentId, a.RecordedAt });
    }
}
