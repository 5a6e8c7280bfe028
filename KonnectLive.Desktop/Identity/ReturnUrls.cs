namespace KonnectLive.Desktop.Identity;

/// <summary>Where a sign-in may send the browser afterwards.</summary>
public static class ReturnUrls
{
    /// <summary>
    /// Only local paths of printable ASCII, else the home page: an open redirect would let a phishing link bounce agents to
    /// another site after sign-in, and a control or non-ASCII character (an ideographic space, say) cannot go into a
    /// <c>Location</c> header at all — Kestrel throws, which was a 500.
    /// </summary>
    public static string Safe(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\")
        && url.All(c => c is > ' ' and < (char)0x7F) ? url : "/";
}
