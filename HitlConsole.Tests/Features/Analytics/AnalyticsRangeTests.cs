using System.Globalization;
using HitlConsole.Features.Analytics;
using Microsoft.Extensions.Time.Testing;

namespace HitlConsole.Tests.Features.Analytics;

/// <summary>The days a preset or a custom range stands for, counted in the workspace's time zone.</summary>
public sealed class AnalyticsRangeTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    [Theory]
    [InlineData("today", "2026-11-30", "2026-11-30")]
    [InlineData("last7", "2026-11-24", "2026-11-30")]
    [InlineData("last30", "2026-11-01", "2026-11-30")]
    [InlineData("month", "2026-11-01", "2026-11-30")]
    [InlineData(null, "2026-11-01", "2026-11-30")]
    [InlineData("yesterday", "2026-11-01", "2026-11-30")]
    public void A_preset_counts_back_from_today_and_anything_unknown_is_the_last_thirty_days(string? range, string from, string to) =>
        Assert.Equal((DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture)),
            AnalyticsRange.Days(range, null, null, Today));

    [Fact]
    public void This_month_on_its_first_day_is_that_day_alone() =>
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1)), AnalyticsRange.Days("month", null, null, new DateOnly(2026, 12, 1)));

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    public void A_custom_range_reads_the_url_the_same_way_in_either_language(string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            Assert.Equal((new DateOnly(2026, 10, 5), new DateOnly(2026, 11, 2)), AnalyticsRange.Days("custom", "2026-10-05", "2026-11-02", Today));
            Assert.Equal("2026-10-05", AnalyticsRange.Format(new DateOnly(2026, 10, 5)));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("2026-11-02", "2026-10-05")] // ends before it starts
    [InlineData("last week", "2026-11-02")]
    [InlineData(null, "2026-11-02")]
    public void A_custom_range_that_makes_no_sense_is_the_last_thirty_days(string? from, string? to) =>
        Assert.Equal((new DateOnly(2026, 11, 1), Today), AnalyticsRange.Days("custom", from, to, Today));

    [Fact]
    public void A_custom_range_is_at_most_a_year_and_a_day_long() =>
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 1).AddDays(AnalyticsRange.LongestDays)),
            AnalyticsRange.Days("custom", "2024-01-01", "2026-11-30", Today));

    [Fact]
    public void Today_is_the_workspace_s_date_not_the_server_s()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 12, 1), AnalyticsRange.Today(clock, TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid")));
        Assert.Equal(new DateOnly(2026, 11, 30), AnalyticsRange.Today(clock, TimeZoneInfo.Utc));
        Assert.Equal(new DateOnly(2026, 11, 30), AnalyticsRange.Today(clock, TimeZoneInfo.FindSystemTimeZoneById("America/Mexico_City")));
    }
}
