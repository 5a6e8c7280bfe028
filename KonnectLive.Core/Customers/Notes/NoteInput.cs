using FluentValidation;

namespace KonnectLive.Core.Customers.Notes;

/// <summary>What an agent types for a new note or an edit.</summary>
public sealed class NoteInput
{
    public const int MaxLength = 4000;

    public string Text { get; set; } = "";
}

/// <summary>Serves the notes panel's text field and <see cref="CustomerNoteService"/> alike.</summary>
public sealed class NoteInputValidator : AbstractValidator<NoteInput>
{
    public NoteInputValidator()
    {
        RuleFor(n => n.Text)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Write the note first.")
            .MaximumLength(NoteInput.MaxLength).WithMessage("A note can be at most 4,000 characters.");
    }
}
