using System.Globalization;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// The local days an analytics range stands for: a preset counted back from today in the workspace's time zone, or a
/// custom range from the URL (<c>yyyy-MM-dd</c> in any UI language), at most <see cref="LongestDays"/> days long.
/// </summary>
public static class AnalyticsRange
{
    public static readonly string[] Presets = ["today", "last7", "last30", "month", "custom"];
    public const string Default = "last30";
    public const int LongestDays = 366;

    /// <summary>The preset a URL asks for; anything unknown is the default.</summary>
    public static string Preset(string? range) => Presets.Contains(range) ? range! : Default;

    /// <summary>Today's date where the workspace is (a manager in Madrid at 00:30 is already on the next day).</summary>
    public static DateOnly Today(TimeProvider clock, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));

    /// <summary>
    /// Where a range ending today is cut: now, to the quarter-hour under way, in the workspace's time zone (so the period it is
    /// compared with is cut at the same time of day); null for a range that has ended.
    /// </summary>
    public static TimeOnly? Until(DateOnly to, TimeProvider clock, TimeZoneInfo zone)
    {
        var now = TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone);
        return DateOnly.FromDateTime(now) == to ? TimeOnly.FromDateTime(now) : null;
    }

    /// <summary>First and last local day, inclusive. A custom range that does not parse or ends before it starts is the default.</summary>
    public static (DateOnly From, DateOnly To) Days(string? range, string? from, string? to, DateOnly today) => Preset(range) switch
    {
        "today" => (today, today),
        "last7" => (today.AddDays(-6), today),
        "month" => (new DateOnly(today.Year, today.Month, 1), today),
        "custom" when Parse(from) is { } f && Parse(to) is { } t && f <= t => (f, t.DayNumber - f.DayNumber > LongestDays ? f.AddDays(LongestDays) : t),
        _ => (today.AddDays(-29), today),
    };

    /// <summary>
    /// Why a custom range from the URL is not used as asked (the page says so): "inverted" when it ends before it starts and
    /// "invalid" when a day does not parse (the default range is shown), "capped" when it is longer than
    /// <see cref="LongestDays"/> (its first days are shown); null when it is used as asked.
    /// </summary>
    public static string? Problem(string? range, string? from, string? to) =>
        Preset(range) != "custom" ? null
        : Parse(from) is not { } f || Parse(to) is not { } t ? "invalid"
        : f > t ? "inverted"
        : t.DayNumber - f.DayNumber > LongestDays ? "capped"
        : null;

    /// <summary>A day as the URL and the CSV exports write it, whatever the UI language.</summary>
    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A day from a URL; anything else, or a year outside 1970–9998 (whose arithmetic would overflow), is no day.</summary>
    public static DateOnly? Parse(string? day) =>
        DateOnly.TryParse(day, CultureInfo.InvariantCulture, out var d) && AnalyticsTime.IsPlausible(d) ? d : null;
}
