using KonnectLive.Core.Data;
using KonnectLive.Core.Telephony;
using KonnectLive.Telephony.Simulator;
using KonnectLive.Tests.Api.Inbound;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Api.Telephony;

/// <summary>
/// The simulator's calls, played through the real app's token and events endpoints with the demo telephony client, give
/// exactly the legs each scenario promises (type, agent, duration, hold) and the call's end reason.
/// </summary>
[Collection(InboundApiCollection.Name)]
public sealed class TelephonySimulatorTests(InboundApiFixture app)
{
    public static TheoryData<string> ScenarioNames => [.. Scenarios.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_ThroughTheRealApi_BuildsTheLegsItPromises(string name)
    {
        var scenario = Scenarios.Find(name)!;
        using var http = app.NewClient();
        var log = new StringWriter();
        var simulator = new TelephonySimulator(http, log);
        var callId = $"sim-test-{name}-{Guid.NewGuid():N}";

        var token = await simulator.TokenAsync(DatabaseInitializer.DemoTelephonyClientId, DatabaseInitializer.DemoTelephonyClientSecret);
        var sent = await simulator.RunAsync(scenario, token, callId, app.Time.GetUtcNow().AddMinutes(-10), (_, _) => Task.CompletedTask);

        Assert.All(sent, s => Assert.True(s.Status == 200, $"+{s.AtSecond}s: {s.Status} {s.Body}"));
        Assert.Equal(scenario.Steps.Count, sent.Count);
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var call = await db.TelephonyCalls.AsNoTracking().Include(c => c.Legs).ThenInclude(l => l.User).SingleAsync(c => c.CallId == callId);
        Assert.Equal(scenario.EndReason, TelephonyEventService.Wire(call.EndReason!.Value));
        var legs = call.Legs.OrderBy(l => l.Sequence)
            .Select(l => new ExpectedLeg(l.Type.ToString().ToUpperInvariant(), l.User?.UserName ?? l.Agent ?? "", l.DurationSeconds, l.Connected, l.HoldSeconds))
            .ToList();
        Assert.Equal(scenario.Legs, legs);
        if (scenario == Scenarios.Inbound)
            Assert.Equal($"https://recordings.example.com/konnectlive-demo/{callId}.wav", call.RecordingUrl);
    }
}
