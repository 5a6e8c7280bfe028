using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KonnectLive.Bench.Reporting;

/// <summary>Every figure of a run: printed as one table, written to artifacts/bench/latest.json and latest.md.</summary>
public sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _failures = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Figure> Figures => _figures;
    public IReadOnlyList<string> Failures => _failures;

    public void Add(Figure figure)
    {
        lock (_figures) _figures.Add(figure);
    }

    public void Fail(string scenario, Exception ex)
    {
        lock (_failures) _failures.Add($"{scenario}: {ex.GetType().Name}: {ex.Message}");
    }

    public void Note(string note)
    {
        lock (_notes) _notes.Add(note);
    }

    public static string Ms(double v) => double.IsNaN(v) ? "–" : v >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Triple(Percentiles p) => p.Count == 0 ? "–" : $"{Ms(p.P50)} / {Ms(p.P95)} / {Ms(p.P99)}";

    private static string Value(Figure f) => f.Rate is { } r ? $"{r.ToString("N0", CultureInfo.InvariantCulture)} {f.RateUnit}" + (f.Value.Count > 0 ? $"; {Triple(f.Value)} {f.Unit}" : "")
        : $"{Triple(f.Value)} {f.Unit}";

    private static string FloorText(Figure f) => f.FloorRate is { } r ? $"{r.ToString("N0", CultureInfo.InvariantCulture)} {f.RateUnit}"
        : f.Floor is { } p ? $"{Triple(p)} {f.Unit}" : "–";

    private static string Verdict(Figure f) => f.Target is null ? "" : f.Met switch { true => $"PASS ({f.Target})", false => $"MISS ({f.Target})", _ => f.Target };

    /// <summary>The table, in Markdown (it reads as a table on a terminal too).</summary>
    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | figure | p50 / p95 / p99 (or rate) | floor (same run) | floor name | ratio | target |");
        sb.AppendLine("| --- | --- | --- | --- | --- | ---: | --- |");
        foreach (var f in _figures)
            sb.AppendLine($"| {f.Scenario} | {f.Name} | {Value(f)} | {FloorText(f)} | {f.FloorName ?? "–"} | {(f.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–")} | {Verdict(f)} |");
        return sb.ToString();
    }

    public string Markdown(MachineInfo machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# KonnectLive bench{(machine.Quick ? " (--quick: small sizes, not comparable)" : "")}");
        sb.AppendLine();
        sb.AppendLine($"{machine.DateUtc:yyyy-MM-dd HH:mm} UTC · commit {machine.Commit} · {machine.Cores} cores · load average {machine.LoadAtStart} at start, " +
                      $"{machine.LoadAtEnd} at end · {machine.Os} · {machine.Runtime}");
        sb.AppendLine();
        sb.AppendLine("Times in ms. p50 / p95 / p99 are over every repetition together; ratio is the value's p99 (or rate) to the floor's.");
        sb.AppendLine();
        sb.Append(Table());
        sb.AppendLine();
        sb.AppendLine("Per repetition (p50 / p95 / p99):");
        sb.AppendLine();
        foreach (var f in _figures.Where(f => f.Repetitions.Count > 0))
            sb.AppendLine($"- {f.Scenario} · {f.Name}: {string.Join(" | ", f.Repetitions.Select(Triple))}");
        foreach (var n in _notes) sb.AppendLine($"- {n}");
        if (_failures.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Scenarios that failed:");
            foreach (var x in _failures) sb.AppendLine($"- {x}");
        }
        return sb.ToString();
    }

    public async Task WriteAsync(string directory, string name, MachineInfo machine)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".md"), Markdown(machine));
        var json = JsonSerializer.Serialize(new
        {
            machine,
            figures = _figures.Select(f => new
            {
                f.Scenario, f.Name, f.Unit, f.Value, f.Floor, f.FloorName, f.Repetitions, f.Target, f.Met, f.Rate, f.FloorRate, f.RateUnit,
                f.Ratio, f.Note,
            }),
            notes = _notes,
            failures = _failures,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".json"), json);
    }
}
