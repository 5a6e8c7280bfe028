using KonnectLive.Core.Common;
using MudBlazor;

namespace KonnectLive.Desktop.Components.Shared;

/// <summary>A command's message as a snackbar coloured by its outcome: done green, unchanged blue, anything else red.</summary>
public static class SnackbarOutcome
{
    public static Severity SeverityOf(CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Done => Severity.Success,
        CommandOutcome.Unchanged => Severity.Info,
        _ => Severity.Error,
    };

    public static void AddOutcome(this ISnackbar snackbar, string message, CommandOutcome outcome) => snackbar.Add(message, SeverityOf(outcome));
}
