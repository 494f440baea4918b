using Hangfire;
using Hangfire.Common;
using HitlConsole.Infrastructure;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Observability;
using HitlConsole.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// The outbox between "stored, awaiting a draft" and a Hangfire draft job. Inbound requests only
/// write rows and <see cref="Signal"/>; this loop claims waiting messages (an UPDATE that only one
/// instance can win), enqueues their jobs, and on every sweep re-dispatches claims that produced no
/// draft in time and whose job is gone (a crash between claim and enqueue, or a lost job). A claim whose
/// job is still waiting behind a backlog is left alone: re-dispatching those multiplied the queue.
/// </summary>
public sealed partial class DraftOutbox(
    IServiceScopeFactory scopes, IBackgroundJobClient jobs, JobStorage storage, IOptions<PipelineOptions> options, TimeProvider clock,
    IHostApplicationLifetime lifetime, ILogger<DraftOutbox> logger) : SignalledSweeper(lifetime)
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Signal()
    {
        try { if (_signal.CurrentCount == 0) _signal.Release(); }
        catch (SemaphoreFullException) { } // already signalled
    }

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    protected override Task SweepAsync(CancellationToken ct) => DispatchAsync(ct);

    protected override Task WaitForSignalAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    /// <summary>One pass: returns how many messages were handed to draft jobs.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - options.Value.RedispatchAfter;
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);

        var candidates = await db.Messages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.AwaitingDraft && (m.DraftDispatchedUtc == null || m.DraftDispatchedUtc < stale))
            // A suspended workspace's messages wait, undrafted, until it is resumed.
            .Where(m => !db.Tenants.Any(t => t.Id == m.TenantId && t.IsSuspended))
            .OrderBy(m => m.CreatedUtc).Take(500)
            .Select(m => new { m.Id, m.TenantId, m.DraftDispatchedUtc, m.DraftJobId }).ToListAsync(ct);
        var servers = new Lazy<IReadOnlySet<string>>(LiveServers);
        candidates = candidates.Where(c => c.DraftDispatchedUtc is null || !JobAlive(c.DraftJobId, servers)).ToList();

        if (candidates.Count == 0) return 0;

        // One UPDATE claims the whole batch; the claim time (to the microsecond, PostgreSQL's precision)
        // tells which rows this pass won when several instances sweep at once.
        var claim = new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
        var ids = candidates.Select(c => c.Id).ToList();
        using (await SqliteWriteGate.EnterAsync(db.Database, ct))
            await db.Messages.IgnoreQueryFilters()
                .Where(m => ids.Contains(m.Id) && m.AwaitingDraft && (m.DraftDispatchedUtc == null || m.DraftDispatchedUtc < stale))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.DraftDispatchedUtc, claim), ct);
        var won = await db.Messages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => ids.Contains(m.Id) && m.DraftDispatchedUtc == claim)
            .Select(m => new { m.Id, m.TenantId, m.TraceParent }).ToListAsync(ct);

        var enqueued = new List<(Guid MessageId, string JobId)>(won.Count);
        foreach (var m in won)
        {
            // Under the stored request's span, so the job (its filter records the current span) continues that trace.
            using (Tracing.StartUnder("draft.dispatch", m.TraceParent, System.Diagnostics.ActivityKind.Producer))
                enqueued.Add((m.Id, jobs.Enqueue<GenerateDraftJob>(j => j.RunAsync(m.TenantId, m.Id, CancellationToken.None))));
            if (candidates.First(c => c.Id == m.Id).DraftDispatchedUtc is not null) LogRedispatched(m.Id);
        }
        // The job ids in a few short transactions rather than one per message: on SQLite each write outside the gate makes the
        // webhooks' writer wait. A crash before they are stored only means the sweep dispatches those messages again.
        foreach (var chunk in enqueued.Chunk(JobIdsPerTransaction))
        {
            using var writer = await SqliteWriteGate.EnterAsync(db.Database, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var (messageId, jobId) in chunk)
                await db.Messages.IgnoreQueryFilters().Where(x => x.Id == messageId).ExecuteUpdateAsync(s => s.SetProperty(x => x.DraftJobId, jobId), ct);
            await tx.CommitAsync(ct);
        }
        var dispatched = won.Count;
        return dispatched;
    }

    /// <summary>
    /// Whether the job may still produce the draft: waiting in the queue, scheduled for a retry, or running on a server
    /// that is alive. A job "processing" on a killed process stays so until the storage's invisibility timeout (30 minutes)
    /// gives it back; its message is dispatched again instead (a second run finds the draft and does nothing). So does a job
    /// a killed worker had fetched but not yet marked processing: it still reads "enqueued", so a job enqueued for much
    /// longer than a backlog takes to drain (<see cref="EnqueuedGivenUpAfter"/> × the redispatch delay) counts as lost.
    /// </summary>
    private bool JobAlive(string? jobId, Lazy<IReadOnlySet<string>> liveServers)
    {
        if (jobId is null) return false;
        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        return state?.Name switch
        {
            "Enqueued" => !(state.Data.TryGetValue("EnqueuedAt", out var at) && JobHelper.DeserializeNullableDateTime(at) is { } enqueued
                && enqueued < JobStorageClock.GetUtcNow().UtcDateTime - EnqueuedGivenUpAfter * options.Value.RedispatchAfter),
            "Scheduled" or "Awaiting" => true,
            "Processing" => state.Data.TryGetValue("ServerId", out var server) && liveServers.Value.Contains(server),
            _ => false,
        };
    }

    /// <summary>
    /// The clock Hangfire stamps its states and server heartbeats with: the system's, whatever TimeProvider the app runs on
    /// (a test that moves the app's clock must not make live jobs look abandoned).
    /// </summary>
    private static readonly TimeProvider JobStorageClock = TimeProvider.System;

    private const int EnqueuedGivenUpAfter = 5;

    private const int JobIdsPerTransaction = 50;

    /// <summary>Job servers with a recent heartbeat (Hangfire beats every 30 s). Wall clock: heartbeats are real time.</summary>
    private IReadOnlySet<string> LiveServers()
    {
        var since = JobStorageClock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(1);
        return storage.GetMonitoringApi().Servers().Where(s => s.Heartbeat > since).Select(s => s.Name).ToHashSet();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Draft outbox pass failed; retrying on the next signal or sweep")]
    protected override partial void LogSweepFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} had no draft in time; dispatched again")]
    private partial void LogRedispatched(Guid messageId);
}
