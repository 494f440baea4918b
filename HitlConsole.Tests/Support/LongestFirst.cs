using Xunit.Abstractions;

[assembly: TestCollectionOrderer("HitlConsole.Tests.Support.LongestFirst", "HitlConsole.Tests")]

namespace HitlConsole.Tests.Support;

/// <summary>
/// Starts the longest collections first: the browser journeys (≈ 7 minutes, one at a time), then the publish and
/// crash-recovery tests. Started last, the browser collection alone set the suite's length.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private static readonly string[] Longest = ["browser", "PublishedBuildTests", "CrashRecoveryTests"];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static int Rank(ITestCollection collection)
    {
        var index = Array.FindIndex(Longest, name => collection.DisplayName.EndsWith(name, StringComparison.Ordinal));
        return index < 0 ? Longest.Length : index;
    }
}
