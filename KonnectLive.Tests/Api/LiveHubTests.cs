using System.Collections.Concurrent;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Live;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace KonnectLive.Tests.Api;

[Collection(AppCollection.Name)]
public sealed class LiveHubTests(AppFixture app)
{
    private HubConnection Connect(SignedInClient? client) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/live"), o =>
            {
                if (client is not null) o.Cookies = client.Cookies;
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();

    private static ConcurrentQueue<LiveEvent> Record(HubConnection connection)
    {
        var received = new ConcurrentQueue<LiveEvent>();
        connection.On<LiveEvent>("LiveEvent", e => received.Enqueue(e));
        return received;
    }

    [Fact]
    public async Task Connect_WithoutSignIn_IsRefused()
    {
        await using var connection = Connect(null);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task Connect_UserWithoutCsiVoice_IsRefused()
    {
        using var client = await app.SignInAsync("agent.novoice");
        await using var connection = Connect(client);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, ex.StatusCode);
    }

    [Fact]
    public async Task LockEvents_ReachOnlyClientsThatMaySeeTheDealership()
    {
        using var north = await app.SignInAsync("agent.north2");
        using var south = await app.SignInAsync("agent.south");
        using var headOffice = await app.SignInAsync("supervisor");
        await using var northHub = Connect(north);
        await using var southHub = Connect(south);
        await using var hoHub = Connect(headOffice);
        var northEvents = Record(northHub);
        var southEvents = Record(southHub);
        var hoEvents = Record(hoHub);
        await Task.WhenAll(northHub.StartAsync(), southHub.StartAsync(), hoHub.StartAsync());

        var locks = app.Service<CallLockService>();
        var northAgent = await app.ScopeAsync("agent.north1");
        var southAgent = await app.ScopeAsync("agent.south");
        var northRecord = await app.FreeAwaitingAsync("NGM");
        var southRecord = await app.FreeAwaitingAsync("SBC");
        try
        {
            Assert.True((await locks.AcquireAsync(northAgent, northRecord.Id, TestPage.Token)).Succeeded);
            // The Southbank event goes second: once south has it, it would already have had the Northgate one.
            Assert.True((await locks.AcquireAsync(southAgent, southRecord.Id, TestPage.Token)).Succeeded);

            await Eventually(() => southEvents.Any(e => e.RecordId == southRecord.Id));
            await Eventually(() => northEvents.Any(e => e.RecordId == northRecord.Id && e.Kind == LiveEventKind.LockTaken));
            await Eventually(() => hoEvents.Any(e => e.RecordId == northRecord.Id) && hoEvents.Any(e => e.RecordId == southRecord.Id));

            var taken = northEvents.First(e => e.RecordId == northRecord.Id);
            Assert.Equal("Nadia North", taken.AgentName);
            Assert.Equal(northRecord.Customer, taken.CustomerName);
            Assert.DoesNotContain(southEvents, e => e.RecordId == northRecord.Id);
            Assert.DoesNotContain(northEvents, e => e.RecordId == southRecord.Id);
        }
        finally
        {
            await locks.ReleaseAsync(northAgent, northRecord.Id, TestPage.Token);
            await locks.ReleaseAsync(southAgent, southRecord.Id, TestPage.Token);
        }
        await Eventually(() => northEvents.Any(e => e.RecordId == northRecord.Id && e.Kind == LiveEventKind.LockReleased));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The expected live event did not arrive within 10 s.");
            await Task.Delay(50);
        }
    }
}
