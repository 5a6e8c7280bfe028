namespace KonnectLive.Core.Calling;

public enum CallingAdminOutcome { Done, Unchanged, Invalid, Forbidden, NotFound, Refused }

/// <summary>What an admin change to outcomes or decline reasons came to, with a message fit for a snackbar.</summary>
public sealed record CallingAdminResult(CallingAdminOutcome Outcome, string Message, IReadOnlyList<(string Property, string Error)> Errors, int? Id = null)
{
    public bool Succeeded => Outcome is CallingAdminOutcome.Done or CallingAdminOutcome.Unchanged;

    internal static CallingAdminResult Done(string message, int id) => new(CallingAdminOutcome.Done, message, [], id);
    internal static CallingAdminResult Unchanged(string message, int id) => new(CallingAdminOutcome.Unchanged, message, [], id);
    internal static CallingAdminResult Forbidden(string message) => new(CallingAdminOutcome.Forbidden, message, []);
    internal static CallingAdminResult NotFound(string message) => new(CallingAdminOutcome.NotFound, message, []);
    internal static CallingAdminResult Refused(string message) => new(CallingAdminOutcome.Refused, message, []);

    internal static CallingAdminResult Invalid(IEnumerable<(string Property, string Error)> errors)
    {
        var list = errors.ToList();
        return new(CallingAdminOutcome.Invalid, "Not saved: " + string.Join(" ", list.Select(e => e.Error).Distinct()), list);
    }

    internal static CallingAdminResult Invalid(string property, string error) => Invalid([(property, error)]);
}
