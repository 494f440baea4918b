using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// Keeps each workspace's daily analytics summary (<see cref="AnalyticsDay"/>) up to date: every local day that has ended is
/// summarised once, and a summarised day whose drafts changed since is summarised again. The page reads summarised days
/// from the summary and everything else from the drafts, so the numbers are the same either way (ADR 0012).
/// </summary>
public sealed partial class AnalyticsSummariser(IDbContextFactory<HitlDbContext> factory, AnalyticsScans scans, WorkspaceTime time, TimeProvider clock,
    ILogger<AnalyticsSummariser> logger)
{
    /// <summary>Days summarised per transaction, so a first run over months of history never holds the writer for long.</summary>
    public const int DaysPerChunk = 7;

    /// <summary>
    /// A change committed just before a run started can carry an earlier timestamp than the run's start; looking back this far
    /// means such a change is seen as "changed since" rather than missed.
    /// </summary>
    private static readonly TimeSpan CommitSkew = TimeSpan.FromMinutes(1);

    /// <summary>Summarises the scope's workspace: days that ended since the last run and days changed since; returns how many days were written.</summary>
    public async Task<int> SummariseAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var zone = await time.ReadAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var checkedUtc = now - CommitSkew;
        var today = AnalyticsTime.DayIndex(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone)));

        var summary = await db.AnalyticsSummaries.SingleOrDefaultAsync(ct);
        if (summary is null || summary.TimeZone != zone.Id)
        {
            // New, or the workspace moved to another time zone: every day is cut differently, start over.
            await db.AnalyticsDays.ExecuteDeleteAsync(ct);
            var firstQuarter = await db.Drafts.MinAsync(d => (long?)d.Quarter, ct);
            var first = firstQuarter is { } q ? Math.Min(AnalyticsTime.DayIndexOf(q, zone), today) : today;
            if (summary is null) db.AnalyticsSummaries.Add(summary = new AnalyticsSummary());
            (summary.TimeZone, summary.SummarisedUntilDay, summary.CheckedUtc) = (zone.Id, first, checkedUtc);
            if (!await SavedAsync(db, ct)) return 0;
        }

        var changed = await AnalyticsScans.ChangedDaysAsync(db, summary, zone, ct);
        var todo = changed.Where(day => day < summary.SummarisedUntilDay)
            .Concat(Enumerable.Range(summary.SummarisedUntilDay, Math.Max(0, today - summary.SummarisedUntilDay)))
            .Distinct().Order().ToList();

        var channels = await db.Channels.AsNoTracking().Select(c => (Guid?)c.Id).ToListAsync(ct);
        foreach (var (from, to) in Chunks(todo))
        {
            var rows = new List<AnalyticsDay>();
            foreach (var channel in channels.Prepend(null))
                rows.AddRange(await scans.SummariseAsync(AnalyticsTime.LocalDay(from), AnalyticsTime.LocalDay(to), channel, zone, ct));
            await using var writer = await factory.CreateDbContextAsync(ct);
            await ReplaceDaysAsync(writer, summary.TenantId, from, to, rows, ct);
        }

        summary.SummarisedUntilDay = Math.Max(summary.SummarisedUntilDay, today);
        summary.CheckedUtc = checkedUtc;
        summary.Version++;
        if (!await SavedAsync(db, ct)) return 0;
        if (todo.Count > 0) LogSummarised(todo.Count);
        return todo.Count;
    }

    /// <summary>
    /// False when another run (a second instance's job, a manual run) saved the summary since this one read it. That run
    /// wins; the days this one wrote are whole days computed from the drafts, so they are as right as that run's.
    /// </summary>
    private async Task<bool> SavedAsync(HitlDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            LogRaced();
            return false;
        }
    }

    /// <summary>Consecutive days in stretches of at most <see cref="DaysPerChunk"/>.</summary>
    private static IEnumerable<(int From, int To)> Chunks(List<int> days)
    {
        for (var i = 0; i < days.Count;)
        {
            var j = i;
            while (j + 1 < days.Count && days[j + 1] == days[j] + 1 && days[j + 1] - days[i] < DaysPerChunk) j++;
            yield return (days[i], days[j]);
            i = j + 1;
        }
    }

    /// <summary>A day's old rows and its new ones swap in one transaction, so a reader sees one or the other.</summary>
    private static async Task ReplaceDaysAsync(HitlDbContext db, Guid tenantId, int from, int to, List<AnalyticsDay> rows, CancellationToken ct)
    {
        using var gate = await SqliteWriteGate.EnterAsync(db.Database, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Two writers of the same days on PostgreSQL would each delete only what was committed before them and both insert;
        // one at a time per workspace, the second deletes the first one's rows. SQLite has a single writer anyway.
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({tenantId.ToString()}, 0))", ct);
        await db.AnalyticsDays.Where(r => r.Day >= from && r.Day <= to).ExecuteDeleteAsync(ct);
        db.AnalyticsDays.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another run saved the analytics summary first; this run's days stay, its bookkeeping is dropped")]
    private partial void LogRaced();

    [LoggerMessage(Level = LogLevel.Information, Message = "Summarised {Days} analytics days")]
    private partial void LogSummarised(int days);
}
