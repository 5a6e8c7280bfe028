using Xunit.Abstractions;

[assembly: TestCollectionOrderer("KonnectLive.Tests.Infrastructure.LongestFirstCollectionOrderer", "KonnectLive.Tests")]
// Three test threads on two cores: much of a test's time is waiting (a browser drawing, an app process starting, a
// server answering), so a third collection fills the gaps two leave (docs/ARCHITECTURE.md, "Test suite").
[assembly: CollectionBehavior(MaxParallelThreads = 3)]

namespace KonnectLive.Tests.Infrastructure;

/// <summary>
/// Starts the longest collections first, so the suite's wall clock is the work divided by the two test threads and not
/// the work plus a long collection started last. The browser collection (about five minutes of one browser test after
/// another) runs beside everything else instead of alone at the end; the messages figure and the 50,000-row import go
/// next. Every other collection keeps xunit's order after them. The cluster collection still runs alone at the end
/// (DisableParallelization). Measured on the 2-core
/// machine: docs/ARCHITECTURE.md, "Test suite".
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    /// <summary>Collections by the name xunit gives them (a definition's name, else "Test collection for" + class).</summary>
    private static readonly string[] Longest =
    [
        "browser",
        "Test collection for KonnectLive.Tests.Figures.MessagesExactlyOnceFigureTests",
        "Test collection for KonnectLive.Tests.Core.Customers.Import.CustomerImportServiceTests",
        "benchmark",
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var all = testCollections.ToList();
        int Rank(ITestCollection c)
        {
            var i = Array.IndexOf(Longest, c.DisplayName);
            return i < 0 ? Longest.Length : i;
        }
        // OrderBy is stable: collections not named above keep the order xunit gave them.
        return all.OrderBy(Rank);
    }
}
