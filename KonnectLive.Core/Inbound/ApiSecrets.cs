using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace KonnectLive.Core.Inbound;

/// <summary>Random secrets and tokens, and the hash under which a token is stored.</summary>
public static class ApiSecrets
{
    /// <summary>32 random bytes as base64url: 43 characters.</summary>
    public const int TokenLength = 43;

    public static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string NewToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Tokens are random and short-lived, so a fast unsalted SHA-256 is enough to make a stolen table useless
    /// while keeping the per-request lookup one indexed equality.
    /// </summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a string has the shape of a token we issue (so garbage is refused without a query).</summary>
    public static bool LooksLikeToken(string token) =>
        token.Length == TokenLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
