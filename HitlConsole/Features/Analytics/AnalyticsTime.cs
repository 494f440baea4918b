namespace HitlConsole.Features.Analytics;

/// <summary>
/// Time for analytics: facts carry the quarter-hour (since 1970 UTC) of the customer's message, and a range in the
/// tenant's time zone becomes a few segments of constant UTC offset, so the database groups plain integers
/// ((quarter + offset) / 96 is the local day) and a day at 23:30 local lands on that day, across DST changes too.
/// </summary>
public static class AnalyticsTime
{
    public const int QuartersPerDay = 96;

    public static long QuarterOf(DateTime utc) => (long)Math.Floor((utc - DateTime.UnixEpoch).TotalMinutes / 15);

    public static DateTime UtcOf(long quarter) => DateTime.UnixEpoch.AddMinutes(quarter * 15);

    /// <summary>[Start, End) in quarters with one UTC offset (in quarters) throughout.</summary>
    public sealed record Segment(long Start, long End, long Offset);

    /// <summary>Local days <paramref name="from"/> to <paramref name="to"/> (inclusive) in <paramref name="zone"/>, as UTC quarters.</summary>
    public static (long Start, long End) Quarters(DateOnly from, DateOnly to, TimeZoneInfo zone) =>
        (QuarterOf(ToUtc(from, zone)), QuarterOf(ToUtc(to.AddDays(1), zone)));

    /// <summary>The first quarter after local time <paramref name="time"/> of <paramref name="day"/> began (a quarter under way counts).</summary>
    public static long QuarterEndingAt(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var utc = ToUtc(day.ToDateTime(time, DateTimeKind.Unspecified), zone);
        return (long)Math.Ceiling((utc - DateTime.UnixEpoch).TotalMinutes / 15);
    }

    public static IReadOnlyList<Segment> Segments(long start, long end, TimeZoneInfo zone)
    {
        var segments = new List<Segment>();
        var segmentStart = start;
        var offset = OffsetAt(start, zone);
        // Offsets change at most a few times a year; stepping an hour at a time finds every change within a range.
        for (var q = start + 4; q < end; q += 4)
        {
            var next = OffsetAt(q, zone);
            if (next == offset) continue;
            var change = q - 3; // narrow the hour down to the quarter the offset changed at
            while (OffsetAt(change, zone) == offset) change++;
            segments.Add(new Segment(segmentStart, change, offset));
            (segmentStart, offset) = (change, next);
        }
        segments.Add(new Segment(segmentStart, end, offset));
        return segments;
    }

    /// <summary>Days a range may name: 1970 to 9998, so zone conversion and "the day after" cannot leave DateTime's range.
    /// Anything else in a query string is the caller's mistake (a 400, or the page's default range).</summary>
    public static bool IsPlausible(DateOnly day) => day.Year is >= 1970 and <= 9998;

    public static DateOnly LocalDay(long localDayIndex) => DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(localDayIndex));

    /// <summary>The local day index (days since 1970-01-01) of a date, the inverse of <see cref="LocalDay"/>.</summary>
    public static int DayIndex(DateOnly day) => day.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The local day index a quarter belongs to in <paramref name="zone"/>.</summary>
    public static int DayIndexOf(long quarter, TimeZoneInfo zone) => (int)Math.Floor((quarter + OffsetAt(quarter, zone)) / (double)QuartersPerDay);

    private static long OffsetAt(long quarter, TimeZoneInfo zone) => (long)(zone.GetUtcOffset(UtcOf(quarter)).TotalMinutes / 15);

    private static DateTime ToUtc(DateOnly day, TimeZoneInfo zone) => ToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // A midnight that does not exist (DST starting at 00:00) begins at the first valid minute.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
