namespace KonnectLive.Core.Common;

/// <summary>A rule of the domain was broken; the message is safe to show to a user.</summary>
public sealed class DomainException(string message) : Exception(message);
