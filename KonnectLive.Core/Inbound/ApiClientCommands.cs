using FluentValidation;

namespace KonnectLive.Core.Inbound;

/// <summary>What an admin types to create a client (the form's model, validated the same way by the service).</summary>
public sealed class CreateApiClientCommand
{
    public string Name { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>What the client is for: FOCUS survey records (the default) or the phone system's call events.</summary>
    public ApiScopes Scopes { get; set; } = ApiScopes.CsiIngest;
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
        RuleFor(c => c.Scopes).Must(s => s != ApiScopes.None && (s & ~(ApiScopes.CsiIngest | ApiScopes.Telephony)) == 0)
            .WithMessage("Choose what the client may do: push FOCUS records, post telephony events, or both.");
    }
}

public sealed record ApiClientSummary(
    int Id, string ClientId, string Name, bool IsEnabled, DateTime CreatedAt, string? CreatedBy,
    DateTime? SecretRotatedAt, DateTime? DisabledAt, string? DisabledBy, DateTime? LastUsedAt, ApiScopes Scopes = ApiScopes.CsiIngest)
{
    /// <summary>The scopes in words, for the page and the audit.</summary>
    public string ScopeText => ApiScopeText.Of(Scopes);
}

public static class ApiScopeText
{
    public static string Of(ApiScopes scopes) => string.Join(" + ", new[]
    {
        scopes.HasFlag(ApiScopes.CsiIngest) ? "FOCUS records" : null,
        scopes.HasFlag(ApiScopes.Telephony) ? "Telephony events" : null,
    }.Where(s => s is not null)) is { Length: > 0 } text ? text : "Nothing";
}

/// <summary>A client and its secret: the only moment the secret exists outside the caller's hands.</summary>
public sealed record ApiClientWithSecret(ApiClientSummary Client, string Secret);
