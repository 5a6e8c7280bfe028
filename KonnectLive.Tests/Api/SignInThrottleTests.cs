using System.Net;
using KonnectLive.Desktop.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KonnectLive.Tests.Api;

/// <summary>
/// Failed sign-ins are throttled by client address, and by account from that address — so someone elsewhere cannot lock an
/// agent out of their shift with five requests. On a FakeTimeProvider; the login form's use of it is in PermissionTests.
/// </summary>
public sealed class SignInThrottleTests
{
    private static readonly IPAddress Office = IPAddress.Parse("10.1.1.10");
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.9");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() =>
        _throttle = new SignInThrottle(new InMemorySignInFailureStore(),
            Options.Create(new SignInThrottleOptions { MaxFailuresPerAccountAndAddress = 5, MaxFailuresPerAddress = 12, WindowMinutes = 15 }), _time);

    private async Task FailAsync(string user, IPAddress from, int times)
    {
        for (var i = 0; i < times; i++) await _throttle.FailedAsync(user, from);
    }

    [Fact]
    public async Task FiveFailuresFromElsewhere_PauseOnlyThatAddress_TheAgentStillSignsInAtTheOffice()
    {
        await FailAsync("agent.north1", Attacker, 5);

        var pause = await _throttle.CheckAsync("agent.north1", Attacker);
        Assert.Equal(SignInPauseKind.AccountFromAddress, pause?.Kind);
        Assert.Null(await _throttle.CheckAsync("agent.north1", Office));
        Assert.Null(await _throttle.CheckAsync("Agent.North1 ", Office)); // the same account however typed, still only from there
        Assert.NotNull(await _throttle.CheckAsync("AGENT.NORTH1", Attacker));
    }

    [Fact]
    public async Task FourFailures_NoPause_AndTheWindowForgetsOldOnes()
    {
        await FailAsync("agent.north1", Office, 4);
        Assert.Null(await _throttle.CheckAsync("agent.north1", Office));

        await FailAsync("agent.north1", Office, 1);
        var pause = await _throttle.CheckAsync("agent.north1", Office);
        Assert.NotNull(pause);
        Assert.Equal(15, pause.MinutesLeft(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Null(await _throttle.CheckAsync("agent.north1", Office));
    }

    [Fact]
    public async Task RightPassword_ClearsThatAccountsCountAtThatAddress()
    {
        await FailAsync("agent.north1", Office, 4);
        await _throttle.SucceededAsync("agent.north1", Office);
        await FailAsync("agent.north1", Office, 4);

        Assert.Null(await _throttle.CheckAsync("agent.north1", Office));
    }

    [Fact]
    public async Task ManyNamesFromOneAddress_PauseEverySignInFromIt_WhetherTheNamesExistOrNot()
    {
        for (var i = 0; i < 12; i++) await _throttle.FailedAsync($"guess{i}", Attacker);

        Assert.Equal(SignInPauseKind.Address, (await _throttle.CheckAsync("agent.north1", Attacker))?.Kind);
        Assert.Equal(SignInPauseKind.Address, (await _throttle.CheckAsync("nobody.at.all", Attacker))?.Kind);
        Assert.Null(await _throttle.CheckAsync("agent.north1", Office));
    }

    [Fact]
    public async Task Pause_EndsFifteenMinutesAfterTheFailureThatStartedIt()
    {
        await FailAsync("agent.north1", Office, 3);
        _time.Advance(TimeSpan.FromMinutes(10));
        await FailAsync("agent.north1", Office, 2);

        Assert.Equal(5, (await _throttle.CheckAsync("agent.north1", Office))?.MinutesLeft(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)); // the first three have left the window
        Assert.Null(await _throttle.CheckAsync("agent.north1", Office));
    }
}
