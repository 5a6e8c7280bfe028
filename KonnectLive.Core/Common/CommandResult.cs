namespace KonnectLive.Core.Common;

public enum CommandOutcome { Done, Unchanged, Invalid, Forbidden, NotFound, Refused }

/// <summary>
/// How a command the UI called went, with a message fit for a snackbar and, when invalid, the field errors. (The shape
/// of <see cref="Calling.CallingAdminResult"/>, for services that are not about calling.)
/// </summary>
public sealed record CommandResult(CommandOutcome Outcome, string Message, IReadOnlyList<(string Property, string Error)> Errors)
{
    public bool Succeeded => Outcome is CommandOutcome.Done or CommandOutcome.Unchanged;

    public static CommandResult Done(string message) => new(CommandOutcome.Done, message, []);
    public static CommandResult Unchanged(string message) => new(CommandOutcome.Unchanged, message, []);
    public static CommandResult Forbidden(string message) => new(CommandOutcome.Forbidden, message, []);
    public static CommandResult NotFound(string message) => new(CommandOutcome.NotFound, message, []);
    public static CommandResult Refused(string message) => new(CommandOutcome.Refused, message, []);
}
