using FluentValidation;

namespace KonnectLive.Core.Inbound;

/// <summary>What an admin types to create a client (the form's model, validated the same way by the service).</summary>
public sealed class CreateApiClientCommand
{
    public string Name { get; set; } = "";
    public string ClientId { get; set; } = "";
}

public sealed class CreateApiClientCommandValidator : AbstractValidator<CreateApiClientCommand>
{
    public CreateApiClientCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("Enter a name.")
            .MaximumLength(100).WithMessage("The name can be at most 100 characters.");
        RuleFor(c => c.ClientId).NotEmpty().WithMessage("Enter a client id.")
            .Length(3, 64).WithMessage("The client id must be 3 to 64 characters.")
            .Matches("^[a-z0-9][a-z0-9._-]*$").WithMessage("Use lower-case letters, digits, '.', '-' or '_', starting with a letter or digit.");
    }
}

public sealed record ApiClientSummary(
    int Id, string ClientId, string Name, bool IsEnabled, DateTime CreatedAt, string? CreatedBy,
    DateTime? SecretRotatedAt, DateTime? DisabledAt, string? DisabledBy, DateTime? LastUsedAt);

/// <summary>A client and its secret: the only moment the secret exists outside the caller's hands.</summary>
public sealed record ApiClientWithSecret(ApiClientSummary Client, string Secret);
