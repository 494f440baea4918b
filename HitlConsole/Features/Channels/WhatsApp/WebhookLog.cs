using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>
/// The webhook's one durable step before it answers Meta: a signed notification is appended as it arrived, and
/// <see cref="WebhookReader"/> stores its messages behind it (ADR 0025). Appends arriving together share one transaction,
/// and a caller is answered only after its append is committed, so a 200 still means "nothing of this is lost".
/// </summary>
public sealed partial class WebhookLog(DeliveryLogDatabase database, ILogger<WebhookLog> logger) : IDisposable
{
    /// <summary>Most appends committed together; bounds how long the first in a burst waits for the others.</summary>
    private const int MaxBatch = 128;

    private sealed record Pending(WebhookDelivery Row)
    {
        /// <summary>Completed with the count of appends up to and including this one's batch.</summary>
        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly System.Threading.Channels.Channel<Pending> _queue =
        System.Threading.Channels.Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly SemaphoreSlim _appendedSignal = new(0, 1);
    private int _writerStarted;
    private long _appended;
    private long _read;
    /// <summary>Appends queued and not yet committed (the single-reader channel cannot count its items).</summary>
    private int _queued;
    private TaskCompletionSource _readSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Appends committed by this process since it started.</summary>
    internal long Appended => Interlocked.Read(ref _appended);

    /// <summary>True when every delivery this process acknowledged has been read and none is on its way in.</summary>
    public bool Idle => Volatile.Read(ref _queued) == 0 && Interlocked.Read(ref _read) >= Appended;

    /// <returns>The position of this append, for <see cref="WhenReadAsync(long, CancellationToken)"/>.</returns>
    public async Task<long> AppendAsync(byte[] body, IEnumerable<Guid> signedBy, DateTime receivedUtc, string? traceParent, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _writerStarted, 1) == 0) _ = Task.Run(WriteLoopAsync, CancellationToken.None);
        var pending = new Pending(new WebhookDelivery
        {
            Body = body, SignedBy = WebhookDelivery.JoinSigners(signedBy), ReceivedUtc = receivedUtc, TraceParent = traceParent,
        });
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(WebhookLog));
        }
        // Once queued the append happens even if this caller gives up; Meta's retry is then a duplicate the reader skips.
        return await pending.Done.Task.WaitAsync(ct);
    }

    /// <summary>Waits until something was appended, or <paramref name="timeout"/> passed.</summary>
    internal Task<bool> WaitForAppendsAsync(TimeSpan timeout, CancellationToken ct) => _appendedSignal.WaitAsync(timeout, ct);

    /// <summary>Makes the reader look at the log now rather than at its next sweep (after an append, or a delivery given back).</summary>
    public void Wake()
    {
        try { if (_appendedSignal.CurrentCount == 0) _appendedSignal.Release(); }
        catch (SemaphoreFullException) { } // already signalled
    }

    /// <summary>Called by the reader after a pass that found nothing left of what had been appended by <paramref name="appended"/>.</summary>
    internal void MarkRead(long appended)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _read)) < appended && Interlocked.CompareExchange(ref _read, appended, seen) != seen) { }
        Interlocked.Exchange(ref _readSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes once every delivery this process has acknowledged so far has been read into conversations.</summary>
    public Task WhenReadAsync(CancellationToken ct) => WhenReadAsync(Appended, ct);

    /// <summary>Completes once the deliveries up to <paramref name="position"/> (<see cref="AppendAsync"/>) have been read.</summary>
    public async Task WhenReadAsync(long position, CancellationToken ct)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _readSignal);
            if (Interlocked.Read(ref _read) >= position) return;
            await signal.Task.WaitAsync(ct);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                await using var db = await database.OpenAsync(CancellationToken.None);
                using (await SqliteWriteGate.EnterAsync(db.Database, CancellationToken.None))
                {
                    db.Deliveries.AddRange(batch.Select(p => p.Row));
                    await db.SaveChangesAsync();
                }
                var position = Interlocked.Add(ref _appended, batch.Count);
                Wake();
                foreach (var p in batch) p.Done.TrySetResult(position);
            }
            catch (Exception ex)
            {
                // The callers answer 503 (database unavailable) or 500: Meta delivers again later, nothing is acknowledged.
                LogAppendFailed(ex, batch.Count);
                foreach (var p in batch) p.Done.TrySetException(ex);
            }
            Interlocked.Add(ref _queued, -batch.Count);
            batch.Clear();
        }
    }

    public void Dispose() => _queue.Writer.TryComplete();

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Count} WhatsApp deliveries failed; they were not acknowledged")]
    private partial void LogAppendFailed(Exception ex, int count);
}
