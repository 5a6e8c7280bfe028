namespace KonnectLive.Core.Calling;

/// <summary>What an admin submits to add (Id 0) or change an outcome. Mutable: the page's form binds to it.</summary>
public sealed class OutcomeInput
{
    public const int MaxNameLength = 80;
    public const int MaxReserveMinutes = 1440;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Colour { get; set; } = "Default";
    public OutcomeCategory Category { get; set; } = OutcomeCategory.NotReached;
    public OutcomeBehaviour Behaviour { get; set; } = OutcomeBehaviour.KeepOnList;
    public bool RequiresNote { get; set; }
    /// <summary>
    /// Call back later only, where it is required (0: not reserved); saved as 0 for any other behaviour. Nullable so that a
    /// cleared field is refused as missing rather than read as 0.
    /// </summary>
    public int? CallbackReserveMinutes { get; set; }
    /// <summary>Wrong number only; saved as none for any other behaviour.</summary>
    public int? NextSmsTemplateId { get; set; }
    /// <summary>Wrong number only; saved as none for any other behaviour.</summary>
    public int? NextEmailTemplateId { get; set; }

    public static OutcomeInput From(OutcomeAdminRow o) => new()
    {
        Id = o.Id, Name = o.Name, Colour = o.Colour, Category = o.Category, Behaviour = o.Behaviour, RequiresNote = o.RequiresNote,
        CallbackReserveMinutes = o.CallbackReserveMinutes, NextSmsTemplateId = o.NextSmsTemplateId, NextEmailTemplateId = o.NextEmailTemplateId,
    };
}

/// <summary>An outcome as Configuration → Outcomes lists it, with the names of its next templates and how many calls used it.</summary>
public sealed record OutcomeAdminRow(
    int Id, string Name, string Colour, int SortOrder, bool IsActive, OutcomeCategory Category, OutcomeBehaviour Behaviour, bool RequiresNote,
    int CallbackReserveMinutes, int? NextSmsTemplateId, string? NextSmsTemplateName, int? NextEmailTemplateId, string? NextEmailTemplateName,
    bool NextTemplateInactive, int Uses);

/// <summary>A template an admin may pick as Wrong number's next message.</summary>
public sealed record TemplateChoice(int Id, string Name, Messaging.MessageChannel Channel, bool IsActive);

/// <summary>The colours an outcome may have: the MudBlazor colour names the calling page turns into button colours.</summary>
public static class OutcomeColours
{
    public static readonly IReadOnlyList<string> All = ["Default", "Primary", "Secondary", "Info", "Success", "Warning", "Error", "Dark"];

    /// <summary>The canonical spelling of a known colour name (any letter case), or null.</summary>
    public static string? Normalise(string? colour) => All.FirstOrDefault(c => string.Equals(c, colour?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Outcome categories and behaviours in words, for the admin page and the audit log alike.</summary>
public static class OutcomeText
{
    public static string Category(OutcomeCategory category) => category switch
    {
        OutcomeCategory.Contacted => "Contacted",
        OutcomeCategory.NotReached => "Not reached",
        OutcomeCategory.BadContact => "Bad contact details",
        _ => category.ToString(),
    };

    public static string Behaviour(OutcomeBehaviour behaviour) => behaviour switch
    {
        OutcomeBehaviour.KeepOnList => "Keep on the chase list",
        OutcomeBehaviour.TakeOffList => "Take off the chase list",
        OutcomeBehaviour.CallBackLater => "Call back later",
        OutcomeBehaviour.CustomerDeclined => "Customer declined",
        OutcomeBehaviour.WrongNumber => "Wrong number",
        _ => behaviour.ToString(),
    };

    /// <summary>What recording the outcome does, in a sentence an admin can check against their process.</summary>
    public static string Explain(OutcomeBehaviour behaviour) => behaviour switch
    {
        OutcomeBehaviour.KeepOnList => "The record stays on the chase list and moves to the bottom, to be tried again (e.g. No answer).",
        OutcomeBehaviour.TakeOffList => "The record leaves the chase list: nobody needs to call again (e.g. Spoke – will complete).",
        OutcomeBehaviour.CallBackLater =>
            "The agent picks a date and time; the record leaves the list until then and returns at the top when due, optionally reserved for the same agent.",
        OutcomeBehaviour.CustomerDeclined =>
            "The agent picks a decline reason (or adds one with +); the record leaves the list and counts in the declined report.",
        OutcomeBehaviour.WrongNumber =>
            "The dialled number is marked wrong and not offered again. The record stays on the list while another number remains; otherwise it moves to the next contact method (SMS, then email).",
        _ => "",
    };
}
