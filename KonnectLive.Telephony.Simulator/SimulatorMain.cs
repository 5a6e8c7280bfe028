namespace KonnectLive.Telephony.Simulator;

/// <summary>
/// <c>dotnet run --project KonnectLive.Telephony.Simulator -- --scenario inbound</c>: plays a realistic call through a
/// running KonnectLive's telephony API, for trying screen pop and call legs without a phone system.
/// </summary>
public static class SimulatorMain
{
    private const string Usage = """
        KonnectLive telephony simulator: sends a realistic call's events through the real API.

          --url <address>      KonnectLive's address (default http://127.0.0.1:5080)
          --client <id>        a telephony API client (default telephony-demo, demo mode only)
          --secret <secret>    its secret (default telephony-demo-secret)
          --scenario <name>    inbound | transfer | abandoned | outbound-no-answer | all (default inbound)
          --pace <factor>      1 waits the call's real gaps (default); 0.1 ten times faster; 0 sends every step at once
          --recording <url>    the recording URL the inbound call reports ({call} is the call id)
        """;

    public static async Task<int> Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["url"] = "http://127.0.0.1:5080", ["client"] = "telephony-demo", ["secret"] = "telephony-demo-secret", ["scenario"] = "inbound", ["pace"] = "1",
        };
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help") { Console.WriteLine(Usage); return 0; }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"Unexpected argument '{args[i]}'.\n\n{Usage}");
                return 2;
            }
            options[args[i][2..]] = args[++i];
        }
        var scenarios = options["scenario"].Equals("all", StringComparison.OrdinalIgnoreCase) ? Scenarios.All
            : Scenarios.Find(options["scenario"]) is { } one ? [one] : null;
        if (scenarios is null)
        {
            Console.Error.WriteLine($"No scenario '{options["scenario"]}'. Choose one of: {string.Join(", ", Scenarios.All.Select(s => s.Name))}, all.");
            return 2;
        }
        if (!double.TryParse(options["pace"], System.Globalization.CultureInfo.InvariantCulture, out var pace) || pace < 0)
        {
            Console.Error.WriteLine("--pace must be a number, 0 or more.");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = new Uri(options["url"].TrimEnd('/') + "/") };
        var simulator = new TelephonySimulator(http, Console.Out);
        if (options.TryGetValue("recording", out var recording)) simulator = new TelephonySimulator(http, Console.Out) { RecordingUrl = recording };
        try
        {
            var token = await simulator.TokenAsync(options["client"], options["secret"]);
            foreach (var scenario in scenarios)
            {
                var callId = $"sim-{scenario.Name}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(1000, 9999)}";
                Console.WriteLine($"{scenario.Name}: {scenario.Description} (call {callId})");
                // Stamped from now: at pace 1 each event is sent when it happens, so the agent's page pops live.
                var sent = await simulator.RunAsync(scenario, token, callId, DateTimeOffset.UtcNow,
                    (gap, ct) => pace == 0 || gap <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(gap * pace, ct));
                if (sent.Any(s => s.Status >= 300)) return 1;
                Console.WriteLine($"Expected legs: {(scenario.Legs.Count == 0 ? "none" : string.Join("; ", scenario.Legs.Select(l => $"{l.Type} {l.Agent} {l.DurationSeconds}s")))}; ended {scenario.EndReason}.");
            }
            return 0;
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"Could not reach KonnectLive at {options["url"]}: {ex.Message}");
            return 1;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }
}
