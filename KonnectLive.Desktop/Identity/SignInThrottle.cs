using System.Collections.Concurrent;
using System.Net;
using KonnectLive.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KonnectLive.Desktop.Identity;

/// <summary>Settings section <c>SignIn</c>: how failed sign-ins are throttled.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    /// <summary>Failed attempts at one account from one client address before that address must wait (the window below).</summary>
    public int MaxFailuresPerAccountAndAddress { get; set; } = 5;

    /// <summary>Failed attempts from one client address, at any accounts, before every sign-in from it must wait.</summary>
    public int MaxFailuresPerAddress { get; set; } = 50;

    /// <summary>How far back failures count, and so the longest wait.</summary>
    public int WindowMinutes { get; set; } = 15;

    /// <summary>
    /// Failed attempts at one account from anywhere before Identity locks the account itself for <see cref="WindowMinutes"/>:
    /// the backstop against guessing spread over many addresses. Far above the per-address figure, so that a handful of
    /// requests from someone else can no longer lock an agent out of their shift.
    /// </summary>
    public int AccountLockoutAfter { get; set; } = 20;
}

/// <summary>Where failed sign-ins are counted. A seam: a second instance must see the same counts (Redis when scaled out).</summary>
public interface ISignInFailureStore
{
    /// <summary>Records a failure under <paramref name="key"/> and returns the failures counted since <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<DateTimeOffset>> AddAsync(string key, DateTimeOffset at, DateTimeOffset since);

    /// <summary>The failures under <paramref name="key"/> since <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<DateTimeOffset>> ListAsync(string key, DateTimeOffset since);

    Task ClearAsync(string key);
}

/// <summary>The in-process default: one process, one set of counts.</summary>
public sealed class InMemorySignInFailureStore : ISignInFailureStore
{
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _failures = new();

    public Task<IReadOnlyList<DateTimeOffset>> AddAsync(string key, DateTimeOffset at, DateTimeOffset since)
    {
        var list = _failures.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.RemoveAll(t => t < since);
            list.Add(at);
            return Task.FromResult<IReadOnlyList<DateTimeOffset>>([.. list]);
        }
    }

    public Task<IReadOnlyList<DateTimeOffset>> ListAsync(string key, DateTimeOffset since)
    {
        if (!_failures.TryGetValue(key, out var list)) return Task.FromResult<IReadOnlyList<DateTimeOffset>>([]);
        lock (list)
        {
            list.RemoveAll(t => t < since);
            if (list.Count == 0) _failures.TryRemove(new KeyValuePair<string, List<DateTimeOffset>>(key, list));
            return Task.FromResult<IReadOnlyList<DateTimeOffset>>([.. list]);
        }
    }

    public Task ClearAsync(string key)
    {
        _failures.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}

/// <summary>Why a sign-in is refused before the password is looked at, and until when.</summary>
public sealed record SignInPause(SignInPauseKind Kind, DateTimeOffset Until, int Failures, int WindowMinutes)
{
    public int MinutesLeft(DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((Until - now).TotalMinutes));
}

public enum SignInPauseKind
{
    /// <summary>Too many failures at this account from this address. Says nothing the generic message does not.</summary>
    AccountFromAddress,
    /// <summary>Too many failures from this address at any accounts.</summary>
    Address,
}

/// <summary>
/// Throttles failed sign-ins by client address, and by account <i>from</i> that address: five wrong passwords for an agent
/// from one place pause sign-ins to that account from that place only, so nobody elsewhere can lock the agent out of their
/// shift with five requests. Counts are kept for any user name typed, real or not, so a pause never tells whether an
/// account exists. (Behind a proxy the address is the client's once forwarded headers are trusted.)
/// </summary>
public sealed class SignInThrottle(ISignInFailureStore store, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    private SignInThrottleOptions O => options.Value;
    private TimeSpan Window => TimeSpan.FromMinutes(O.WindowMinutes);

    public async Task<SignInPause?> CheckAsync(string userName, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var byAddress = await store.ListAsync(AddressKey(address), now - Window);
        if (byAddress.Count >= O.MaxFailuresPerAddress)
            return new(SignInPauseKind.Address, byAddress[^O.MaxFailuresPerAddress] + Window, byAddress.Count, O.WindowMinutes);
        var byAccount = await store.ListAsync(AccountKey(userName, address), now - Window);
        if (byAccount.Count >= O.MaxFailuresPerAccountAndAddress)
            return new(SignInPauseKind.AccountFromAddress, byAccount[^O.MaxFailuresPerAccountAndAddress] + Window, byAccount.Count, O.WindowMinutes);
        return null;
    }

    public async Task FailedAsync(string userName, IPAddress? address)
    {
        var now = time.GetUtcNow();
        await store.AddAsync(AddressKey(address), now, now - Window);
        await store.AddAsync(AccountKey(userName, address), now, now - Window);
    }

    /// <summary>A right password from this address clears that account's count there (the address's own count stays).</summary>
    public Task SucceededAsync(string userName, IPAddress? address) => store.ClearAsync(AccountKey(userName, address));

    private static string AddressKey(IPAddress? address) => "address|" + Show(address);
    private static string AccountKey(string userName, IPAddress? address) => $"account|{userName.Trim().ToUpperInvariant()}|{Show(address)}";
    private static string Show(IPAddress? address) => address is null ? "-" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}

/// <summary>
/// Spends the time checking a password takes when there is no password to check (no such user, a locked account), so
/// that how long a refusal takes does not tell an unknown name from a real one.
/// </summary>
public sealed class PasswordCheckTiming(Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> hasherOptions)
{
    // Its own hasher with Identity's options: Identity registers its hasher scoped, which a singleton may not hold
    // (the Development environment's scope validation refuses to start otherwise).
    private readonly PasswordHasher<AppUser> hasher = new(hasherOptions);
    private static readonly AppUser Nobody = new() { UserName = "nobody" };
    private string? _hash;

    public void SpendAsIfChecking(string password) =>
        hasher.VerifyHashedPassword(Nobody, _hash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N")), password);
}
