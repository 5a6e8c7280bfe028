using KonnectLive.Core.Messaging;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class MessageTemplateValidatorTests
{
    private readonly MessageTemplateValidator _validator = new();

    [Fact]
    public void Validate_SmsWithKnownPlaceholders_Valid() =>
        Assert.True(_validator.Validate(new MessageTemplate { Name = "Reminder", Channel = MessageChannel.Sms, Body = "Hi {CustomerFirstName}: {SurveyLink}" }).IsValid);

    [Fact]
    public void Validate_UnknownPlaceholderInBody_ErrorNamesIt()
    {
        var result = _validator.Validate(new MessageTemplate { Name = "Reminder", Channel = MessageChannel.Sms, Body = "Hi {FirstName}" });

        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(MessageTemplate.Body), error.PropertyName);
        Assert.Contains("{FirstName}", error.ErrorMessage);
        Assert.Contains("{CustomerFirstName}", error.ErrorMessage);
    }

    [Fact]
    public void Validate_UnknownPlaceholderInSubject_Error()
    {
        var result = _validator.Validate(new MessageTemplate { Name = "Thanks", Channel = MessageChannel.Email, Subject = "From {Dealer}", Body = "Hello" });

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(MessageTemplate.Subject) && e.ErrorMessage.Contains("{Dealer}"));
    }

    [Fact]
    public void Validate_EmailWithoutSubject_Error() =>
        Assert.Contains(_validator.Validate(new MessageTemplate { Name = "Thanks", Channel = MessageChannel.Email, Body = "Hello" }).Errors,
            e => e.PropertyName == nameof(MessageTemplate.Subject));

    [Fact]
    public void Validate_NoNameOrBody_BothErrors()
    {
        var result = _validator.Validate(new MessageTemplate { Channel = MessageChannel.Sms });

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(MessageTemplate.Name));
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(MessageTemplate.Body));
    }

    [Fact]
    public void Validate_SmsLongerThanTenParts_Error() =>
        Assert.False(_validator.Validate(new MessageTemplate { Name = "Long", Channel = MessageChannel.Sms, Body = new string('a', MessageTemplateValidator.MaxSmsLength + 1) }).IsValid);
}
