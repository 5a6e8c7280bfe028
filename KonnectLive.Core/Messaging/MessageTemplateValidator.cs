using FluentValidation;

namespace KonnectLive.Core.Messaging;

/// <summary>A template admins may save: named, with a body, a subject for email, and only known placeholders.</summary>
public sealed class MessageTemplateValidator : AbstractValidator<MessageTemplate>
{
    /// <summary>Ten concatenated GSM-7 parts; gateways refuse or truncate much longer texts.</summary>
    public const int MaxSmsLength = 1530;

    public MessageTemplateValidator()
    {
        RuleFor(t => t.Name).NotEmpty().WithMessage("Give the template a name.").MaximumLength(100);
        RuleFor(t => t.Body).NotEmpty().WithMessage("The message text is required.").MaximumLength(10_000);
        RuleFor(t => t.Body).MaximumLength(MaxSmsLength).When(t => t.Channel == MessageChannel.Sms)
            .WithMessage($"An SMS may be at most {MaxSmsLength} characters.");
        RuleFor(t => t.Subject).NotEmpty().When(t => t.Channel == MessageChannel.Email).WithMessage("An email needs a subject.")
            .MaximumLength(200);
        RuleFor(t => t.Body).Must(NoUnknownPlaceholders).WithMessage(t => TemplateRenderer.UnknownPlaceholdersMessage(t.Body));
        RuleFor(t => t.Subject).Must(NoUnknownPlaceholders).WithMessage(t => TemplateRenderer.UnknownPlaceholdersMessage(t.Subject));
    }

    internal static bool NoUnknownPlaceholders(string? text) => TemplateRenderer.UnknownPlaceholders(text).Count == 0;
}
