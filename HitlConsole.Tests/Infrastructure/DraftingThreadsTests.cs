using HitlConsole.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitlConsole.Tests.Infrastructure;

public sealed class DraftingThreadsTests
{
    private static DraftingThreads Create(int nice) =>
        new(nice, NullLogger<DraftingThreads>.Instance);

    /// <summary>The nice value of the calling thread, as the kernel sees it (field 19 of /proc/thread-self/stat).</summary>
    private static int CurrentNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Drafting_work_runs_below_request_priority_before_and_after_its_awaits_and_stores_at_the_apps_own()
    {
        using var drafting = Create(nice: 10);
        var requestNice = CurrentNice();

        var (before, afterAwait, store, afterStore) = await drafting.RunAsync(async () =>
        {
            var first = CurrentNice();
            await Task.Delay(20);
            var second = CurrentNice();
            var write = await drafting.StoreAsync(async () =>
            {
                await Task.Delay(5);
                return CurrentNice();
            }, CancellationToken.None);
            return (first, second, write, CurrentNice());
        }, CancellationToken.None);

        Assert.Equal(Math.Min(19, requestNice + 10), before);
        Assert.Equal(before, afterAwait);
        Assert.Equal(requestNice, store);
        Assert.Equal(before, afterStore);
        Assert.Equal(requestNice, CurrentNice());
    }

    [Fact]
    public async Task A_failure_inside_drafting_work_reaches_the_caller_and_the_threads_keep_serving()
    {
        using var drafting = Create(nice: 10);
        await Assert.ThrowsAsync<InvalidOperationException>(() => drafting.RunAsync<int>(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("model failed");
        }, CancellationToken.None));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => drafting.RunAsync(async () =>
        {
            await Task.Delay(1);
            return i;
        }, CancellationToken.None)));
        Assert.Equal(Enumerable.Range(0, 20), results);
    }

    [Fact]
    public async Task With_nice_zero_drafts_run_where_they_are_called()
    {
        using var drafting = Create(nice: 0);
        var caller = Environment.CurrentManagedThreadId;
        Assert.Equal(caller, await drafting.RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId), CancellationToken.None));
    }
}
