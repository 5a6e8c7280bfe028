using Xunit.Abstractions;

[assembly: TestCollectionOrderer("KonnectLive.Tests.Infrastructure.LongestFirstCollectionOrderer", "KonnectLive.Tests")]
// Two test threads on the 2-core machine (xunit's default: one a core). Three were tried and were slower: 950 s against
// 874 s for the whole ./test.sh, same commit, quiet machine (docs/ARCHITECTURE.md, "Test suite").

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
