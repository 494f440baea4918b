using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>
/// On PostgreSQL several instances share the imports, and Hangfire delivers a job again only after its invisibility timeout
/// (30 minutes), so a run that died with its process would hold the workspace's import slot that long. A running import there
/// beats every <see cref="KnowledgeImportOptions.HeartbeatEvery"/>; the sweep reports one that stayed silent for
/// <see cref="KnowledgeImportOptions.HeartbeatStaleAfter"/> as interrupted, and a job delivered again while its run still beats
/// leaves it alone. SQLite needs none of this: one instance owns the file, and its start reports what the last process left
/// running (<see cref="InterruptedImports"/>).
/// </summary>
public sealed partial class ImportHeartbeat(IDbContextFactory<HitlDbContext> factory, IOptions<KnowledgeImportOptions> options, TimeProvider clock,
    ILogger<ImportHeartbeat> logger)
{
    public bool IsAlive(KnowledgeImport import) =>
        import.HeartbeatUtc is { } beat && clock.GetUtcNow().UtcDateTime - beat < options.Value.HeartbeatStaleAfter;

    /// <summary>
    /// Beats until <paramref name="stop"/>; if the import is no longer running when it beats (the sweep reported it, because this
    /// process could not reach the database for a while), cancels <paramref name="run"/> so the run stops writing.
    /// </summary>
    public async Task BeatAsync(Guid importId, CancellationTokenSource run, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await using var db = await factory.CreateDbContextAsync(stop);
                    var now = clock.GetUtcNow().UtcDateTime;
                    if (await db.KnowledgeImports.Where(i => i.Id == importId && i.Status == ImportStatus.Running)
                            .ExecuteUpdateAsync(s => s.SetProperty(i => i.HeartbeatUtc, now), stop) > 0) continue;
                    LogReportedElsewhere(importId);
                    await run.CancelAsync();
                    return;
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    LogBeatFailed(ex, importId); // the next beat tries again; the run itself meets the same database soon enough
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge import {ImportId} was reported interrupted while it ran (its heartbeat was missed); it stops")]
    private partial void LogReportedElsewhere(Guid importId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge import {ImportId} could not record its heartbeat")]
    private partial void LogBeatFailed(Exception ex, Guid importId);
}
