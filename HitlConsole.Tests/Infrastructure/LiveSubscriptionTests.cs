using HitlConsole.Infrastructure.Live;
using HitlConsole.Features.Pipeline;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>The one way components follow the live feed: filtered, coalesced, failures reported, and gone when disposed.</summary>
public sealed class LiveSubscriptionTests
{
    private readonly LiveFeed _feed = new(NullLogger<LiveFeed>.Instance);
    private readonly Guid _tenant = Guid.NewGuid();
    private readonly List<Exception> _failures = [];

    /// <summary>As a component would, minus the renderer: work runs where it is dispatched, failures are collected.</summary>
    private LiveSubscription Subscription(Func<LiveEvent, bool>? filter = null, Func<LiveEvent, Task>? onEvent = null,
        Func<CancellationToken, Task>? reload = null) =>
        new LiveSubscription(work => work(), ex => { lock (_failures) _failures.Add(ex); return Task.CompletedTask; })
        {
            Filter = filter ?? (_ => true), OnEvent = onEvent, Reload = reload,
        }.Start(_feed, _tenant);

    private void Publish(LiveEventKind kind = LiveEventKind.DraftChanged, Guid? tenant = null) =>
        _feed.Publish(new LiveEvent(tenant ?? _tenant, kind, Guid.NewGuid()));

    private static Task Until(Func<bool> condition, string what) =>
        Eventually.GetAsync(() => Task.FromResult(condition() ? "done" : null), 10, what);

    [Fact]
    public async Task A_burst_of_events_during_a_reload_ends_in_one_more_reload_not_one_per_event()
    {
        var firstReload = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int seen = 0, reloads = 0;
        using var live = Subscription(
            onEvent: _ => { Interlocked.Increment(ref seen); return Task.CompletedTask; },
            reload: async _ => { if (Interlocked.Increment(ref reloads) == 1) await firstReload.Task; });

        for (var i = 0; i < 50; i++) Publish();
        await Until(() => Volatile.Read(ref seen) == 50, "every event on the renderer");
        Assert.Equal(1, Volatile.Read(ref reloads)); // the first reload still runs: the other 49 only asked for another one

        firstReload.SetResult();
        await live.Reloading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Volatile.Read(ref reloads));
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task A_change_while_the_first_load_reads_is_read_again_after_it_never_beside_it()
    {
        var firstLoad = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int loads = 0, running = 0, overlapped = 0, seen = 0;
        using var live = Subscription(onEvent: _ => { Interlocked.Increment(ref seen); return Task.CompletedTask; }, reload: async _ =>
        {
            if (Interlocked.Increment(ref running) > 1) Interlocked.Increment(ref overlapped);
            if (Interlocked.Increment(ref loads) == 1) await firstLoad.Task;
            Interlocked.Decrement(ref running);
        });

        var loading = live.LoadAsync();
        Publish(); // committed while the page reads: its event must not start a second read beside the first
        Publish();
        await Until(() => Volatile.Read(ref seen) == 2, "both events on the renderer");
        Assert.Equal(1, Volatile.Read(ref loads));

        firstLoad.SetResult();
        await loading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((2, 0), (Volatile.Read(ref loads), Volatile.Read(ref overlapped)));
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task Only_events_of_the_workspace_that_pass_the_filter_reach_the_component()
    {
        var kinds = new List<LiveEventKind>();
        using var live = Subscription(filter: e => e.Kind != LiveEventKind.PresenceChanged,
            onEvent: e => { lock (kinds) kinds.Add(e.Kind); return Task.CompletedTask; });

        Publish(LiveEventKind.PresenceChanged);
        Publish(LiveEventKind.MessageReceived, tenant: Guid.NewGuid());
        Publish(LiveEventKind.Alert);
        await Until(() => { lock (kinds) return kinds.Count > 0; }, "the alert");

        lock (kinds) Assert.Equal([LiveEventKind.Alert], kinds);
    }

    [Fact]
    public async Task A_failed_reload_is_reported_to_the_component_and_the_next_event_reloads_again()
    {
        var reloads = 0;
        using var live = Subscription(reload: _ =>
            Interlocked.Increment(ref reloads) == 1 ? throw new InvalidOperationException("database unreachable") : Task.CompletedTask);

        Publish();
        await Until(() => { lock (_failures) return _failures.Count == 1; }, "the failure");
        await live.Reloading.WaitAsync(TimeSpan.FromSeconds(10));
        Publish();
        await Until(() => Volatile.Read(ref reloads) == 2, "the second reload");

        lock (_failures) Assert.Equal("database unreachable", Assert.Single(_failures).Message);
    }

    [Fact]
    public async Task Disposing_unsubscribes_and_cancels_the_reload_under_way_without_reporting_a_failure()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reloads = 0;
        var live = Subscription(reload: async ct =>
        {
            Interlocked.Increment(ref reloads);
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        Assert.Equal(1, _feed.SubscriberCount);

        Publish();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var reloading = live.Reloading;
        live.Dispose();
        await reloading.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, _feed.SubscriberCount);
        Publish();
        Assert.Equal(1, Volatile.Read(ref reloads));
        Assert.Empty(_failures);
    }
}
