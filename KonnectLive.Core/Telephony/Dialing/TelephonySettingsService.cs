using KonnectLive.Core.Audit;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Telephony.Dialing;

/// <summary>What Configuration → Telephony shows: the settings without the key, and whether one is stored.</summary>
public sealed record TelephonySettingsView(bool DialEnabled, string? OriginateUrl, bool HasApiKey, string ApiKeyHeader, int DialTimeoutSeconds,
    DateTime? UpdatedAt, string? UpdatedBy);

/// <summary>The provider as the dialler uses it: only when click-to-dial is on and complete.</summary>
internal sealed record DialProvider(Uri OriginateUrl, string ApiKey, string ApiKeyHeader, TimeSpan Timeout);

/// <summary>
/// Reads and changes the telephony provider. Pages ask <see cref="DialEnabledAsync"/> for every number they show, so it is
/// kept for a few seconds; a change on this instance applies at once, on another instance within <see cref="CacheFor"/>.
/// </summary>
public sealed class TelephonySettingsService(IDbContextFactory<KonnectDbContext> dbFactory, TelephonySettingsInputValidator validator,
    IDataProtectionProvider protection, TimeProvider time)
{
    public const string AuditAction = "settings.telephony.updated";
    public const string KeyPurpose = "KonnectLive.Telephony.OriginateApiKey";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private sealed record Cached(bool Value, DateTimeOffset ReadAt);
    private volatile Cached? _cached;

    private IDataProtector Protector => protection.CreateProtector(KeyPurpose);

    public async Task<TelephonySettingsView> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.TelephonySettings.AsNoTracking().SingleOrDefaultAsync(x => x.Id == TelephonySettings.SingletonId, ct) ?? new TelephonySettings();
        return new(s.DialEnabled, s.OriginateUrl, s.ProtectedApiKey is not null, s.ApiKeyHeader, s.DialTimeoutSeconds,
            s.UpdatedBy is null ? null : s.UpdatedAt, s.UpdatedBy);
    }

    /// <summary>Whether numbers should ask the provider to dial (true) or stay <c>tel:</c> links (false).</summary>
    public async Task<bool> DialEnabledAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_cached is { } c && now - c.ReadAt < CacheFor) return c.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var value = await db.TelephonySettings.AsNoTracking().Where(s => s.Id == TelephonySettings.SingletonId)
            .Select(s => s.DialEnabled && s.OriginateUrl != null && s.ProtectedApiKey != null).SingleOrDefaultAsync(ct);
        _cached = new Cached(value, now);
        return value;
    }

    internal async Task<DialProvider?> ProviderAsync(KonnectDbContext db, CancellationToken ct)
    {
        var s = await db.TelephonySettings.AsNoTracking().SingleOrDefaultAsync(x => x.Id == TelephonySettings.SingletonId, ct);
        if (s is not { DialEnabled: true, ProtectedApiKey: not null } || !Uri.TryCreate(s.OriginateUrl, UriKind.Absolute, out var url)) return null;
        string key;
        try { key = Protector.Unprotect(s.ProtectedApiKey); }
        catch (System.Security.Cryptography.CryptographicException) { return null; } // the Data Protection keys were lost: the admin enters it again
        return new DialProvider(url, key, s.ApiKeyHeader, TimeSpan.FromSeconds(s.DialTimeoutSeconds));
    }

    public async Task<CommandResult> UpdateAsync(UserScope admin, TelephonySettingsInput input, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin)) return CommandResult.Forbidden("Only administrators can change the telephony provider.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.TelephonySettings.SingleOrDefaultAsync(s => s.Id == TelephonySettings.SingletonId, ct);
        input.HasStoredKey = row?.ProtectedApiKey is not null;
        input.OriginateUrl = string.IsNullOrWhiteSpace(input.OriginateUrl) ? null : input.OriginateUrl.Trim();
        input.ApiKey = string.IsNullOrWhiteSpace(input.ApiKey) ? null : input.ApiKey.Trim();
        input.ApiKeyHeader = (input.ApiKeyHeader ?? "").Trim();
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
            return new CommandResult(CommandOutcome.Invalid, "The telephony settings were not saved: " + string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct()),
                validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList());

        if (row is null) db.TelephonySettings.Add(row = new TelephonySettings());
        var changes = new List<string>();
        if (row.DialEnabled != input.DialEnabled) changes.Add($"click-to-dial {(input.DialEnabled ? "off → on" : "on → off")}");
        if (row.OriginateUrl != input.OriginateUrl) changes.Add($"originate URL '{row.OriginateUrl}' → '{input.OriginateUrl}'");
        if (row.ApiKeyHeader != input.ApiKeyHeader) changes.Add($"key header {row.ApiKeyHeader} → {input.ApiKeyHeader}");
        if (row.DialTimeoutSeconds != input.DialTimeoutSeconds) changes.Add($"timeout {row.DialTimeoutSeconds} s → {input.DialTimeoutSeconds} s");
        if (input.ApiKey is not null) changes.Add(row.ProtectedApiKey is null ? "key set" : "key replaced"); // never the key itself
        else if (input.ClearApiKey && row.ProtectedApiKey is not null) changes.Add("key removed");
        if (changes.Count == 0) return CommandResult.Unchanged("No telephony setting was changed.");

        var now = time.GetUtcNow().UtcDateTime;
        row.DialEnabled = input.DialEnabled;
        row.OriginateUrl = input.OriginateUrl;
        row.ApiKeyHeader = input.ApiKeyHeader;
        row.DialTimeoutSeconds = input.DialTimeoutSeconds;
        if (input.ApiKey is not null) row.ProtectedApiKey = Protector.Protect(input.ApiKey);
        else if (input.ClearApiKey) row.ProtectedApiKey = null;
        row.UpdatedAt = now;
        row.UpdatedBy = admin.DisplayName.Length > 100 ? admin.DisplayName[..100] : admin.DisplayName;
        AuditLog.Add(db, now, admin, AuditAction, nameof(TelephonySettings), TelephonySettings.SingletonId.ToString(), "Telephony provider: " + string.Join("; ", changes) + ".");
        await db.SaveChangesAsync(ct);
        _cached = null;
        return CommandResult.Done(row.DialEnabled
            ? "Saved. Click-to-dial is on: numbers on the calling and customer pages now ask the phone system to dial."
            : "Saved. Click-to-dial is off: numbers stay tel: links.");
    }
}
