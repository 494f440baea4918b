using System.Threading.Channels;
using HitlConsole.Features.Inbox;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>An open editor's lease, driven by a fake clock: renewals, losing and regaining the lease, letting go.</summary>
public sealed class DraftLeaseKeeperTests : IAsyncDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(45), Third = Lease / 3;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLease _lease = new();
    private readonly DraftLeaseKeeper _keeper;
    private bool _pending = true;
    private int _changed;

    public DraftLeaseKeeperTests() =>
        _keeper = new DraftLeaseKeeper(_lease, () => _pending, _clock, Lease, NullLogger<DraftLeaseKeeper>.Instance);

    public ValueTask DisposeAsync() => _keeper.DisposeAsync();

    private void Start() => _keeper.Start(work => work(), () => Interlocked.Increment(ref _changed));

    private async Task ClaimedAndRenewingAsync()
    {
        await _keeper.ClaimAsync(takeOver: false);
        Assert.Equal("claim", await _lease.NextCallAsync());
        Start();
    }

    [Fact]
    public async Task An_open_editor_renews_its_lease_every_third_of_the_lease_and_not_before()
    {
        await _keeper.ClaimAsync(takeOver: false);
        Assert.Equal("claim", await _lease.NextCallAsync());
        Assert.True(_keeper.Holding);
        Assert.True(_lease.HeldByCircuit);
        Start();

        _clock.Advance(Third - TimeSpan.FromSeconds(1));
        Assert.False(_lease.Calls.Reader.TryRead(out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("renew", await _lease.NextCallAsync());
        _clock.Advance(Third);
        Assert.Equal("renew", await _lease.NextCallAsync());
        Assert.Null(_keeper.HeldBy);
    }

    [Fact]
    public async Task A_lease_taken_over_shows_who_holds_it_and_is_claimed_again_once_it_is_free()
    {
        await ClaimedAndRenewingAsync();
        _lease.RenewSucceeds = false;
        _lease.NextClaims.Enqueue(new DraftLeases.Result.HeldBy("user-2", "Ada Admin", _clock.GetUtcNow().UtcDateTime + Lease));

        _clock.Advance(Third);
        Assert.Equal("renew", await _lease.NextCallAsync());
        Assert.Equal("claim", await _lease.NextCallAsync());
        await Eventually.GetAsync(() => Task.FromResult(Volatile.Read(ref _changed) == 1 ? "re-rendered" : null), 10);
        Assert.Equal("Ada Admin", _keeper.HeldBy);
        Assert.False(_keeper.Holding);

        _clock.Advance(Third); // not holding: no renewal, a claim (which now wins)
        Assert.Equal("claim", await _lease.NextCallAsync());
        await Eventually.GetAsync(() => Task.FromResult(_keeper.Holding ? "holding" : null), 10);
        Assert.Null(_keeper.HeldBy);
    }

    [Fact]
    public async Task While_the_browser_is_gone_nothing_is_renewed_and_the_lease_is_claimed_again_when_it_is_back()
    {
        await ClaimedAndRenewingAsync();
        _lease.Connected = false;

        _clock.Advance(Third);
        await Eventually.GetAsync(() => Task.FromResult(_keeper.Holding ? null : "let go"), 10);
        _lease.Connected = true;
        _clock.Advance(Third);

        Assert.Equal("claim", await _lease.NextCallAsync()); // no renewal in between
        await Eventually.GetAsync(() => Task.FromResult(_keeper.Holding ? "holding" : null), 10);
    }

    [Fact]
    public async Task A_failed_renewal_is_tried_again_on_the_next_tick()
    {
        await ClaimedAndRenewingAsync();
        _lease.FailNextRenewal = true;

        _clock.Advance(Third);
        Assert.Equal("renew", await _lease.NextCallAsync());
        _clock.Advance(Third);
        Assert.Equal("renew", await _lease.NextCallAsync());
        Assert.True(_keeper.Holding);
    }

    [Fact]
    public async Task The_conversation_showing_another_reviewer_makes_the_editor_wait_and_their_letting_go_claims_it_again()
    {
        await _keeper.SeenAsync(isPending: true, otherHolder: "Ada Admin", free: false);
        Assert.Equal("Ada Admin", _keeper.HeldBy);
        Assert.False(_lease.Calls.Reader.TryRead(out _));

        await _keeper.SeenAsync(isPending: true, otherHolder: null, free: true);
        Assert.Equal("claim", await _lease.NextCallAsync());
        Assert.Null(_keeper.HeldBy);
        Assert.True(_keeper.Holding);

        await _keeper.SeenAsync(isPending: false, otherHolder: null, free: true);
        Assert.Null(_keeper.HeldBy);
        Assert.False(_lease.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_circuit_whose_browser_is_gone_does_not_take_a_freed_draft_back_when_it_re_renders()
    {
        await _keeper.SeenAsync(isPending: true, otherHolder: "Ada Admin", free: false);
        _lease.Connected = false;

        await _keeper.SeenAsync(isPending: true, otherHolder: null, free: true);
        await _keeper.ClaimAsync(takeOver: false);

        Assert.False(_lease.Calls.Reader.TryRead(out _));
        Assert.False(_keeper.Holding);
    }

    [Fact]
    public async Task Closing_the_editor_gives_the_lease_back_and_stops_renewing()
    {
        await ClaimedAndRenewingAsync();

        await _keeper.DisposeAsync();
        Assert.Equal("release", await _lease.NextCallAsync());
        Assert.False(_lease.HeldByCircuit);
        _clock.Advance(Lease);
        Assert.False(_lease.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_decided_draft_is_neither_renewed_nor_released_when_the_editor_closes()
    {
        await ClaimedAndRenewingAsync();
        _keeper.Decided();
        _pending = false;

        _clock.Advance(Third);
        await _keeper.DisposeAsync();
        Assert.False(_lease.Calls.Reader.TryRead(out _));
        Assert.False(_lease.HeldByCircuit);
    }

    [Fact]
    public async Task Typing_is_kept_for_colleagues_once_per_pause_with_the_last_text_and_never_by_an_editor_that_lost_the_draft()
    {
        await _keeper.ClaimAsync(takeOver: false);
        Assert.Equal("claim", await _lease.NextCallAsync());

        _keeper.Edited("H"); // the first key after a pause is written at once
        Assert.Equal("keep:H", await _lease.NextCallAsync());
        _keeper.Edited("Ho");
        _keeper.Edited("Hol");
        _keeper.Edited("Hola");
        _clock.Advance(DraftLeaseKeeper.UnsentDelay - TimeSpan.FromMilliseconds(1));
        Assert.False(_lease.Calls.Reader.TryRead(out _));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("keep:Hola", await _lease.NextCallAsync());

        _clock.Advance(DraftLeaseKeeper.UnsentDelay);
        _keeper.Edited(null); // back to the model's text, after a pause
        Assert.Equal("keep:", await _lease.NextCallAsync());

        await _keeper.SeenAsync(isPending: true, otherHolder: "Ada Admin", free: false);
        _keeper.Edited("typed after the take-over");
        _clock.Advance(DraftLeaseKeeper.UnsentDelay);
        await Task.Delay(50);
        Assert.False(_lease.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Closing_the_editor_mid_sentence_keeps_what_was_typed_before_letting_go()
    {
        await ClaimedAndRenewingAsync();
        _keeper.Edited("Hola Nora,");
        Assert.Equal("keep:Hola Nora,", await _lease.NextCallAsync());
        _keeper.Edited("Hola Nora, te");

        await _keeper.DisposeAsync();
        Assert.Equal("keep:Hola Nora, te", await _lease.NextCallAsync());
        Assert.Equal("release", await _lease.NextCallAsync());
    }

    [Fact]
    public async Task A_claim_that_finds_an_unsent_edit_hands_it_to_the_editor()
    {
        var left = new DraftLeases.UnsentEdit("Hola Nora", "user-2", "Ada Admin");
        _lease.NextClaims.Enqueue(new DraftLeases.Result.Claimed(DateTime.UtcNow, left));
        Assert.Equal(left, await _keeper.ClaimAsync(takeOver: true));

        await _keeper.SeenAsync(isPending: true, otherHolder: "Ada Admin", free: false);
        _lease.NextClaims.Enqueue(new DraftLeases.Result.Claimed(DateTime.UtcNow, left with { Text = "Hola Nora, ya está" }));
        Assert.Equal("Hola Nora, ya está", (await _keeper.SeenAsync(isPending: true, otherHolder: null, free: true))?.Text);
    }

    private sealed class FakeLease : DraftLeaseKeeper.ILease
    {
        public Channel<string> Calls { get; } = Channel.CreateUnbounded<string>();
        public Queue<DraftLeases.Result> NextClaims { get; } = new();
        public bool Connected { get; set; } = true;
        public bool RenewSucceeds { get; set; } = true;
        public bool FailNextRenewal { get; set; }
        public bool HeldByCircuit { get; private set; }

        public Task<string> NextCallAsync() => Calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public Task<DraftLeases.Result> ClaimAsync(bool takeOver, CancellationToken ct)
        {
            Calls.Writer.TryWrite(takeOver ? "take-over" : "claim");
            lock (NextClaims)
                return Task.FromResult(NextClaims.TryDequeue(out var next) ? next : new DraftLeases.Result.Claimed(DateTime.UtcNow));
        }

        public Task<bool> RenewAsync(CancellationToken ct)
        {
            Calls.Writer.TryWrite("renew");
            if (FailNextRenewal)
            {
                FailNextRenewal = false;
                throw new InvalidOperationException("database unreachable");
            }
            return Task.FromResult(RenewSucceeds);
        }

        public Task ReleaseAsync(CancellationToken ct)
        {
            Calls.Writer.TryWrite("release");
            return Task.CompletedTask;
        }

        public void Holding(bool holding) => HeldByCircuit = holding;

        public Task<bool> KeepUnsentAsync(string? text, CancellationToken ct)
        {
            Calls.Writer.TryWrite("keep:" + text);
            return Task.FromResult(true);
        }
    }
}
