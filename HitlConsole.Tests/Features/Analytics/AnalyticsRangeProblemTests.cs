using HitlConsole.Features.Analytics;

namespace HitlConsole.Tests.Features.Analytics;

public sealed class AnalyticsRangeProblemTests
{
    [Theory]
    [InlineData("custom", "2026-11-20", "2026-11-10", "inverted")]
    [InlineData("custom", "2026-11-x", "2026-11-10", "invalid")]
    [InlineData("custom", "2026-11-01", "2026-11-10", null)]
    [InlineData("custom", "2020-01-01", "2026-12-07", "capped")] // shown: its first 366 days, and the page says so
    [InlineData("custom", "2025-12-07", "2026-12-07", null)]
    [InlineData("last7", "2026-11-20", "2026-11-10", null)]
    public void An_unusable_custom_range_is_named_instead_of_silently_replaced(string range, string from, string to, string? problem) =>
        Assert.Equal(problem, AnalyticsRange.Problem(range, from, to));
}
