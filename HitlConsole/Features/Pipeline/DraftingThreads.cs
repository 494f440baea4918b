using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Dedicated threads for a draft's CPU work (language, embedding, search, guardrail, classification) that the operating
/// system schedules below request threads: on Linux each thread raises its own nice value
/// (<see cref="PipelineOptions.DraftingNice"/>). While webhooks and pages want the cores they get them, so a draft backlog
/// cannot starve ingest; on an idle machine drafting still has every core. ADR 0024.
/// <para>
/// Code awaited inside <see cref="RunAsync{T}"/> resumes on these threads (the scheduler is the awaits' current one), so the
/// whole composition stays at the lower priority; writes to the database are left to the caller, outside, so a thread the
/// scheduler holds back never sits on SQLite's write lock.
/// </para>
/// </summary>
public sealed partial class DraftingThreads : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = new();
    private readonly Thread[] _threads;
    private readonly ILogger<DraftingThreads> _logger;
    private int _lowered;

    public DraftingThreads(IOptions<PipelineOptions> options, ILogger<DraftingThreads> logger)
    {
        _logger = logger;
        Nice = options.Value.DraftingNice;
        _threads = new Thread[Nice == 0 ? 0 : Environment.ProcessorCount];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"drafting-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>The nice value the threads run at (0: drafts run on the thread pool like everything else).</summary>
    public int Nice { get; }

    /// <summary>How many of the threads did lower their priority (0 where the platform does not allow it).</summary>
    public int Lowered => Volatile.Read(ref _lowered);

    public override int MaximumConcurrencyLevel => Math.Max(1, _threads.Length);

    /// <summary>Runs <paramref name="work"/> on the drafting threads; on the caller's scheduler when they are off.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct) =>
        _threads.Length == 0 ? work() : Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    [ThreadStatic] private static bool t_drafting;

    private void Work()
    {
        t_drafting = true;
        if (Lower(Nice)) Interlocked.Increment(ref _lowered);
        else LogNotLowered(Nice);
        try
        {
            foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
        }
        catch (ObjectDisposedException) { } // disposed while waiting: the app is stopping
    }

    protected override void QueueTask(Task task)
    {
        try { _queue.Add(task); }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // Stopping: run what is left on the thread pool rather than dropping a draft half-way.
            ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
        }
    }

    // Inline only on our own threads, so work never leaks back to a request thread's priority.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        t_drafting && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    public void Dispose() => _queue.CompleteAdding();

    /// <summary>Linux: <c>setpriority</c> on the calling thread's id changes only that thread's nice value (any user may raise it).</summary>
    private static bool Lower(int nice)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return SetPriority(0 /* PRIO_PROCESS */, GetThreadId(), nice) == 0; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    // DllImport rather than LibraryImport: blittable ints need no marshalling, and the app needs no unsafe code for it.
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A drafting thread could not lower its priority to nice {Nice}; drafts compete with requests as equals")]
    private partial void LogNotLowered(int nice);
}
