namespace KonnectLive.Bench.Reporting;

/// <summary>Percentiles of a list of samples (nearest rank).</summary>
public sealed record Percentiles(int Count, double P50, double P95, double P99)
{
    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) return new(0, double.NaN, double.NaN, double.NaN);
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new(sorted.Length, At(0.50), At(0.95), At(0.99));
    }
}

/// <summary>
/// One measured figure beside its floor (measured in the same run), with its target. Repetitions are kept apart so
/// the reader sees the spread; the headline numbers are over every repetition's samples together.
/// </summary>
public sealed record Figure(
    string Scenario,
    string Name,
    string Unit,
    Percentiles Value,
    Percentiles? Floor,
    string? FloorName,
    IReadOnlyList<Percentiles> Repetitions,
    string? Target = null,
    bool? Met = null,
    double? Rate = null,
    double? FloorRate = null,
    string? RateUnit = null,
    string? Note = null)
{
    /// <summary>Ratio of the value's p99 (or rate) to the floor's.</summary>
    public double? Ratio => Rate is { } r && FloorRate is { } fr && fr > 0 ? r / fr
        : Floor is { } f && f.P99 > 0 ? Value.P99 / f.P99 : null;

    public bool HasFigures => (Rate is { } r && !double.IsNaN(r)) || Value.Count > 0;
}

/// <summary>The state of the machine around a run: what a reader needs to trust the numbers.</summary>
public sealed record MachineInfo(int Cores, string LoadAtStart, string LoadAtEnd, string Os, string Runtime, DateTime DateUtc, string Commit, bool Quick)
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
