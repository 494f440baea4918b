using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace HitlConsole.Infrastructure;

/// <summary>
/// Where draft jobs (and the knowledge embedder's sweep) run: their reading and composing (language, embedding, search,
/// guardrail, classification) on dedicated threads the operating system schedules below request threads — on Linux each
/// lowers its own nice value by <c>Pipeline:DraftingNice</c> steps — and their storing on one thread at the app's own
/// priority. While webhooks and pages want the cores they get them, so a draft backlog cannot starve ingest; on an idle
/// machine drafting still has every core. ADR 0024.
/// <para>
/// Code awaited inside <see cref="RunAsync{T}"/> resumes on the drafting threads (their scheduler is the awaits' current one),
/// so the whole job stays at the lower priority. Writes go through <see cref="StoreAsync{T}"/>: a thread the scheduler holds
/// back must never sit on SQLite's write lock while webhooks wait, and threads a low-priority thread starts inherit its nice
/// value, so the store thread is also what hands work on to the thread pool (live events, the next jobs).
/// </para>
/// </summary>
public sealed partial class DraftingThreads : IDisposable
{
    private readonly DedicatedThreads? _compute;
    private readonly DedicatedThreads? _store;

    /// <param name="nice">How many nice steps below the app the compute threads run; 0 runs the work where it is called.</param>
    public DraftingThreads(int nice, ILogger<DraftingThreads> logger)
    {
        Nice = nice;
        if (Nice == 0) return;
        _compute = new DedicatedThreads("drafting", Environment.ProcessorCount, () =>
        {
            if (!Lower(Nice)) LogNotLowered(logger, Nice);
        });
        _store = new DedicatedThreads("drafting-store", 1, () => { });
    }

    /// <summary>How many nice steps below the app the compute threads run (0: drafts run where they are called).</summary>
    public int Nice { get; }

    /// <summary>Runs a draft job's work on the low-priority threads; where it is called when they are off.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (_compute is null) return await work();
        var computed = Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, _compute).Unwrap();
        // Finished on the store thread, so the caller is resumed from there: a thread that the thread pool starts on behalf
        // of a low-priority thread would inherit its nice value for life.
        return await computed.ContinueWith(t => t, CancellationToken.None, TaskContinuationOptions.None, _store!).Unwrap();
    }

    /// <summary>Runs a draft job's write (and what follows it) at the app's own priority.</summary>
    public Task<T> StoreAsync<T>(Func<Task<T>> work, CancellationToken ct) =>
        _store is null ? work() : Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, _store).Unwrap();

    public void Dispose()
    {
        _compute?.Dispose();
        _store?.Dispose();
    }

    /// <summary>
    /// Linux: <c>setpriority</c> on the calling thread's id changes only that thread's nice value; raising it needs no
    /// privilege. Relative to the thread's own value, so an app started with <c>nice</c> keeps its drafts below its requests.
    /// </summary>
    private static bool Lower(int steps)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var tid = GetThreadId();
            return SetPriority(PrioProcess, tid, Math.Min(19, GetPriority(PrioProcess, tid) + steps)) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    private const int PrioProcess = 0;

    // DllImport rather than LibraryImport: blittable ints need no marshalling, and the app needs no unsafe code for it.
    [DllImport("libc", EntryPoint = "getpriority")]
    private static extern int GetPriority(int which, int who);

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A drafting thread could not lower its priority by {Nice} nice steps; drafts compete with requests as equals")]
    private static partial void LogNotLowered(ILogger logger, int nice);

    /// <summary>A task scheduler with its own threads, each prepared once by <c>start</c>.</summary>
    private sealed class DedicatedThreads : TaskScheduler, IDisposable
    {
        private readonly BlockingCollection<Task> _queue = new();
        private readonly int _count;
        [ThreadStatic] private static DedicatedThreads? t_owner;

        public DedicatedThreads(string name, int count, Action start)
        {
            _count = count;
            for (var i = 0; i < count; i++)
                new Thread(() =>
                {
                    t_owner = this;
                    start();
                    try
                    {
                        foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
                    }
                    catch (ObjectDisposedException) { } // the app is stopping
                }) { IsBackground = true, Name = count == 1 ? name : $"{name}-{i}" }.Start();
        }

        public override int MaximumConcurrencyLevel => _count;

        protected override void QueueTask(Task task)
        {
            try { _queue.Add(task); }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                // Stopping: run what is left on the thread pool rather than dropping a draft half-way.
                ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
            }
        }

        // Inline only on this scheduler's own threads, so work never changes priority by being waited on.
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => t_owner == this && TryExecuteTask(task);

        protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

        public void Dispose() => _queue.CompleteAdding();
    }
}
