namespace KonnectLive.Tests.Cluster;

/// <summary>
/// CPU time (user + system, from /proc) spent by the cluster's parts, so the race's cost can be read apart from whatever
/// else loads the shared machine: wall time on a busy box says little, CPU seconds of our own processes say what we cost.
/// </summary>
/// <remarks>
/// Three groups: the two instances (each launcher's process tree), the browser (every process under the test process:
/// Playwright's driver and Chromium with its renderers) and the servers (PostgreSQL's postmaster and its back ends, Redis,
/// nginx). A process that ended between two readings takes its CPU with it: the groups are long-lived, so it is small.
/// </remarks>
public sealed class ClusterCpu(ClusterFixture cluster)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux the tests run on

    public sealed record Reading(double Instances, double Browser, double Servers, double TestProcess, double Machine)
    {
        public static Reading operator -(Reading a, Reading b) =>
            new(a.Instances - b.Instances, a.Browser - b.Browser, a.Servers - b.Servers, a.TestProcess - b.TestProcess, a.Machine - b.Machine);

        public Reading Per(int n) => new(Instances / n, Browser / n, Servers / n, TestProcess / n, Machine / n);

        public double Ours => Instances + Browser + Servers + TestProcess;

        public override string ToString() =>
            $"CPU {Ours:F2} s (instances {Instances:F2}, Chromium {Browser:F2}, PostgreSQL/Redis/nginx {Servers:F2}, test {TestProcess:F2}; whole machine {Machine:F2})";
    }

    public Reading Read()
    {
        var procs = Snapshot();
        var children = procs.Values.GroupBy(p => p.Parent).ToDictionary(g => g.Key, g => g.Select(p => p.Pid).ToList());
        double Tree(int root)
        {
            var total = 0.0;
            var stack = new Stack<int>([root]);
            while (stack.TryPop(out var pid))
            {
                if (procs.TryGetValue(pid, out var p)) total += p.Cpu;
                if (children.TryGetValue(pid, out var kids)) foreach (var k in kids) stack.Push(k);
            }
            return total;
        }

        var self = Environment.ProcessId;
        var instances = Enumerable.Range(1, cluster.Instances.Length).Sum(n => Tree(cluster.Pid(n)));
        var browser = Tree(self) - (procs.TryGetValue(self, out var me) ? me.Cpu : 0);
        var servers = ServerRoots(procs).Sum(Tree);
        return new Reading(instances, browser, servers, me?.Cpu ?? 0, MachineBusy());
    }

    /// <summary>The cluster's PostgreSQL postmaster (by its port), Redis (its pid file) and nginx (its pid file).</summary>
    private IEnumerable<int> ServerRoots(Dictionary<int, Proc> procs)
    {
        foreach (var file in new[] { "redis.pid", "nginx.pid" })
            if (TryReadPid(Path.Combine(cluster.WorkDir, file)) is { } pid) yield return pid;
        if (cluster.DatabasePort is { } port)
            foreach (var p in procs.Values)
                if (p.Name == "postgres" && Cmdline(p.Pid) is { } cmd && cmd.Contains($" -p {port} ")) yield return p.Pid;
    }

    private static int? TryReadPid(string path)
    {
        try { return int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : null; }
        catch (IOException) { return null; }
    }

    private static string? Cmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private sealed record Proc(int Pid, int Parent, string Name, double Cpu);

    private static Dictionary<int, Proc> Snapshot()
    {
        var procs = new Dictionary<int, Proc>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces and parentheses, so split after the last ')'.
            var close = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(') + 1)..close];
            var f = stat[(close + 2)..].Split(' ');
            procs[pid] = new Proc(pid, int.Parse(f[1]), name, (long.Parse(f[11]) + long.Parse(f[12])) / TicksPerSecond);
        }
        return procs;
    }

    /// <summary>Busy CPU seconds of the whole machine since boot (all cores; everything but idle and iowait).</summary>
    private static double MachineBusy()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (f.Take(8).Sum() - f[3] - f[4]) / TicksPerSecond;
    }
}
