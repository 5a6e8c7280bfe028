using Microsoft.AspNetCore.DataProtection;

namespace KonnectLive.Desktop.Identity;

/// <summary>Why an open session was ended while its pages were open (RevalidatingIdentityAuthenticationStateProvider).</summary>
public enum SessionEndReason
{
    /// <summary>An admin disabled the account.</summary>
    Disabled = 1,
    /// <summary>An admin reset the password or changed the roles, dealership or CSI Voice (the security stamp changed).</summary>
    ChangedByAdministrator = 2,
    /// <summary>This sign-in logged out in another tab or window.</summary>
    LoggedOutElsewhere = 3,
    /// <summary>Configuration → Security now requires two-factor sign-in for this user's role.</summary>
    TwoFactorRequired = 4,
    /// <summary>The account no longer exists.</summary>
    Removed = 5,
}

/// <summary>
/// Carries the reason from the closed page to the log-in page as <c>?ended=…</c>: data-protected and valid for
/// <see cref="Lifetime"/>, so only the browser whose session ended sees why — an anonymous visitor who types or edits the
/// parameter gets the plain log-in page — and the token names nobody (only the reason is in it).
/// </summary>
public sealed class SessionEndNotice(IDataProtectionProvider protection, TimeProvider time)
{
    public const string QueryName = "ended";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("KonnectLive.SessionEnd").ToTimeLimitedDataProtector();

    public string Protect(SessionEndReason reason) => Protector.Protect(((int)reason).ToString(System.Globalization.CultureInfo.InvariantCulture),
        time.GetUtcNow() + Lifetime);

    /// <summary>The message for a token this app made in the last <see cref="Lifetime"/>; null for anything else.</summary>
    public string? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        try
        {
            var text = Protector.Unprotect(token, out var expires);
            if (expires < time.GetUtcNow()) return null;
            return int.TryParse(text, out var n) && Enum.IsDefined((SessionEndReason)n) ? Message((SessionEndReason)n) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static string Message(SessionEndReason reason) => reason switch
    {
        SessionEndReason.Disabled => "Your session was ended by an administrator: your account has been disabled. Ask an admin if you need it back.",
        SessionEndReason.ChangedByAdministrator =>
            "Your session was ended by an administrator, who reset your password or changed your rights. Log in again to continue.",
        SessionEndReason.LoggedOutElsewhere => "You logged out in another tab or window, so this one was closed too.",
        SessionEndReason.TwoFactorRequired => "Your session was ended because two-factor sign-in is now required for your role. Log in again to set it up.",
        SessionEndReason.Removed => "Your session was ended by an administrator.",
        _ => "Your session was ended by an administrator.",
    };
}
