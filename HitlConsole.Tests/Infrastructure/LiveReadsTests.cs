using HitlConsole.Infrastructure.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Consoles that reload after the same events share one read, and never get one older than their own would be.</summary>
public sealed class LiveReadsTests
{
    private readonly LiveFeed _feed = new(NullLogger<LiveFeed>.Instance);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly Guid _tenant = Guid.NewGuid();
    private readonly LiveReads _reads;
    private int _started;

    public LiveReadsTests() => _reads = new LiveReads(_feed, _clock);

    private sealed record View(string Lane);

    /// <summary>A read that counts itself and returns its own number once <paramref name="gate"/> opens.</summary>
    private Func<CancellationToken, Task<int>> Read(Task? gate = null) => async ct =>
    {
        var number = Interlocked.Increment(ref _started);
        if (gate is not null) await gate.WaitAsync(ct);
        return number;
    };

    private void Publish(Guid? tenant = null) => _feed.Publish(new LiveEvent(tenant ?? _tenant, LiveEventKind.DraftChanged, Guid.NewGuid()));

    [Fact]
    public async Task Consoles_reloading_after_the_same_event_share_one_read()
    {
        Publish();
        var gate = new TaskCompletionSource();
        var reads = Enumerable.Range(0, 25).Select(_ => _reads.ReadAsync(_tenant, new View("all"), Read(gate.Task), CancellationToken.None)).ToList();
        gate.SetResult();

        Assert.All(await Task.WhenAll(reads), n => Assert.Equal(1, n));
        Assert.Equal(1, _started);
        Assert.Equal(24, _reads.Shared);
    }

    [Fact]
    public async Task A_console_that_saw_a_newer_event_reads_again()
    {
        Assert.Equal(1, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));
        Publish();

        Assert.Equal(2, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));
        Assert.Equal(2, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));
        Publish(tenant: Guid.NewGuid()); // another workspace's event changes nothing here
        Assert.Equal(2, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));
    }

    [Fact]
    public async Task Different_views_workspaces_and_old_reads_are_not_shared()
    {
        Assert.Equal(1, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));
        Assert.Equal(2, await _reads.ReadAsync(_tenant, new View("mine"), Read(), CancellationToken.None));
        Assert.Equal(3, await _reads.ReadAsync(Guid.NewGuid(), new View("all"), Read(), CancellationToken.None));
        Assert.Equal(1, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));

        _clock.Advance(LiveReads.MaxAge);
        Assert.Equal(4, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));
    }

    [Fact]
    public async Task When_the_shared_read_fails_each_console_reads_for_itself()
    {
        var gate = new TaskCompletionSource();
        var failing = _reads.ReadAsync<int>(_tenant, new View("all"), async _ =>
        {
            await gate.Task;
            throw new ObjectDisposedException("circuit");
        }, CancellationToken.None);
        var joined = _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None);
        gate.SetResult();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => failing);
        Assert.Equal(1, await joined);
        // The failed read is not handed to later callers either.
        Assert.Equal(2, await _reads.ReadAsync(_tenant, new View("all"), Read(), CancellationToken.None));
    }

    [Fact]
    public async Task A_handler_shaped_read_shares_by_the_key_it_is_given()
    {
        var read = _reads.For<string, int>(_tenant, lane => new View(lane), (lane, ct) => Read()(ct));

        Assert.Equal(1, await read("all", CancellationToken.None));
        Assert.Equal(1, await read("all", CancellationToken.None));
        Assert.Equal(2, await read("mine", CancellationToken.None));
    }

    [Fact]
    public async Task A_console_that_stops_waiting_does_not_cancel_the_read_for_the_others()
    {
        var gate = new TaskCompletionSource();
        using var leaving = new CancellationTokenSource();
        var first = _reads.ReadAsync(_tenant, new View("all"), Read(gate.Task), leaving.Token);
        var second = _reads.ReadAsync(_tenant, new View("all"), Read(gate.Task), CancellationToken.None);

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gate.SetResult();
        Assert.Equal(1, await second);
    }
}
