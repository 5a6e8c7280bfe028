using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Inbound;

/// <summary>
/// Admin operations on API clients. Secrets are hashed with Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2)
/// and returned once. Disabling keeps the tokens (so their callers are told "client disabled"); enabling and
/// rotating delete them, so a token issued before either never works again.
/// </summary>
public sealed class ApiClientService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    IPasswordHasher<ApiClient> hasher,
    IValidator<CreateApiClientCommand> validator,
    UserAdminGuard guard,
    TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Every operation here is for enabled admins, checked against the database (not only the page's policy).</summary>
    private async Task<UserScope> DemandAdminAsync(UserScope? by, CancellationToken ct) =>
        await guard.AdminAsync(by, ct) ?? throw new UnauthorizedAccessException("Only administrators can manage API clients.");

    public async Task<IReadOnlyList<ApiClientSummary>> ListAsync(UserScope? by, CancellationToken ct = default)
    {
        await DemandAdminAsync(by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clients = await db.ApiClients.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        return clients.Select(Summary).ToList();
    }

    /// <summary>Creates a client and returns its secret, which is not stored anywhere in clear.</summary>
    /// <exception cref="ValidationException">The command is invalid.</exception>
    /// <exception cref="DomainException">The client id is taken.</exception>
    public async Task<ApiClientWithSecret> CreateAsync(CreateApiClientCommand command, UserScope? by, CancellationToken ct = default)
    {
        by = await DemandAdminAsync(by, ct);
        await validator.ValidateAndThrowAsync(command, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clientId = command.ClientId.Trim();
        if (await db.ApiClients.AnyAsync(c => c.ClientId == clientId, ct))
            throw new DomainException($"The client id '{clientId}' is already in use.");
        var secret = ApiSecrets.NewSecret();
        var client = new ApiClient { ClientId = clientId, Name = command.Name.Trim(), CreatedAt = Now, CreatedBy = by.DisplayName, Scopes = command.Scopes };
        client.SecretHash = hasher.HashPassword(client, secret);
        db.ApiClients.Add(client);
        AuditLog.Add(db, Now, by, "apiclient.created", nameof(ApiClient), clientId, $"Created API client '{client.Name}' ({clientId}) for {ApiScopeText.Of(client.Scopes)}.");
        await db.SaveChangesAsync(ct);
        return new ApiClientWithSecret(Summary(client), secret);
    }

    /// <summary>Stops the client and every token it holds, at once. Returns false if it was already disabled.</summary>
    public async Task<bool> DisableAsync(int id, UserScope? by, CancellationToken ct = default)
    {
        by = await DemandAdminAsync(by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await FindAsync(db, id, ct);
        if (!client.Disable(by.DisplayName, Now)) return false;
        AuditLog.Add(db, Now, by, "apiclient.disabled", nameof(ApiClient), client.ClientId, $"Disabled API client '{client.Name}'.");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Lets the client ask for tokens again; tokens issued before it was disabled stay dead.</summary>
    public async Task<bool> EnableAsync(int id, UserScope? by, CancellationToken ct = default)
    {
        by = await DemandAdminAsync(by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var client = await FindAsync(db, id, ct);
        if (!client.Enable()) return false;
        await db.ApiTokens.Where(t => t.ApiClientId == id).ExecuteDeleteAsync(ct);
        AuditLog.Add(db, Now, by, "apiclient.enabled", nameof(ApiClient), client.ClientId, $"Enabled API client '{client.Name}'.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>A new secret: the old one stops working and every token issued with it is revoked.</summary>
    public async Task<ApiClientWithSecret> RotateSecretAsync(int id, UserScope? by, CancellationToken ct = default)
    {
        by = await DemandAdminAsync(by, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var client = await FindAsync(db, id, ct);
        var secret = ApiSecrets.NewSecret();
        client.SecretHash = hasher.HashPassword(client, secret);
        client.SecretRotatedAt = Now;
        var revoked = await db.ApiTokens.Where(t => t.ApiClientId == id).ExecuteDeleteAsync(ct);
        AuditLog.Add(db, Now, by, "apiclient.rotated", nameof(ApiClient), client.ClientId,
            $"Rotated the secret of API client '{client.Name}'; {revoked} token(s) revoked.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ApiClientWithSecret(Summary(client), secret);
    }

    private static async Task<ApiClient> FindAsync(KonnectDbContext db, int id, CancellationToken ct) =>
        await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new DomainException($"API client {id} does not exist.");

    private static ApiClientSummary Summary(ApiClient c) =>
        new(c.Id, c.ClientId, c.Name, c.IsEnabled, c.CreatedAt, c.CreatedBy, c.SecretRotatedAt, c.DisabledAt, c.DisabledBy, c.LastUsedAt, c.Scopes);
}
