namespace KonnectLive.Core.Data;

/// <summary>The database is unreachable, or behind this build's migrations and this instance must not migrate it.</summary>
public sealed class DatabaseNotReadyException(string message, Exception? inner = null) : Exception(message, inner);
