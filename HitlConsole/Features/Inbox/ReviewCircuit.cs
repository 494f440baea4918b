using System.Collections.Concurrent;
using HitlConsole.Features.Pipeline;
using Microsoft.AspNetCore.Components.Server.Circuits;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Features.Inbox.Teams;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// What this circuit holds: its presence and the draft lease its editor renews. Scoped to the circuit, so the circuit
/// handler can let go of both when the browser goes away.
/// </summary>
public sealed class ReviewCircuit(PresenceTracker presence, DraftLeases leases, TimeProvider clock, ActiveConsoles consoles)
{
    public string Key { get; } = Guid.NewGuid().ToString("N");
    private Presence? _presence;

    public Guid? HeldDraftId { get; private set; }

    /// <summary>False while the browser is gone: a retained circuit must not keep (or retake) a lease nobody looks at.</summary>
    public bool Connected { get; private set; } = true;

    public void Show(Guid tenantId, string userId, string name, Guid? conversationId, string? customer)
    {
        _presence = new Presence(tenantId, userId, name, conversationId, customer, clock.GetUtcNow().UtcDateTime, Away || AutoAway);
        presence.Set(Key, _presence);
        if (Connected) consoles.Add(this);
    }

    /// <summary>Whose console this is, once it showed itself.</summary>
    public (Guid TenantId, string UserId)? Who => _presence is { } p ? (p.TenantId, p.UserId) : null;

    /// <summary>The agent's own status (available or away), shown to the team with their presence.</summary>
    public bool Away { get; private set; }

    /// <summary>Away because nothing happened in this console for a while (not chosen): the next activity ends it.</summary>
    public bool AutoAway { get; private set; }

    public DateTime LastActivityUtc { get; private set; } = clock.GetUtcNow().UtcDateTime;
    private int _activeSinceSweep = 1;

    public void SetAway(bool away)
    {
        Away = away;
        Publish();
    }

    /// <summary>The person did something in this console: they are here (and available again if only idleness made them away).</summary>
    public void Touch()
    {
        LastActivityUtc = clock.GetUtcNow().UtcDateTime;
        Interlocked.Exchange(ref _activeSinceSweep, 1);
        if (!AutoAway) return;
        AutoAway = false;
        Publish();
    }

    /// <summary>Idle for the configured minutes: shown as away until the next activity.</summary>
    public void MarkIdle()
    {
        AutoAway = true;
        Publish();
    }

    /// <summary>When the console was last used, if it was used since the previous call.</summary>
    public DateTime? TakeActivity() => Interlocked.Exchange(ref _activeSinceSweep, 0) == 1 && !AutoAway ? LastActivityUtc : null;

    private void Publish()
    {
        var away = Away || AutoAway;
        if (_presence is null || _presence.Away == away) return;
        _presence = _presence with { Away = away };
        presence.Set(Key, _presence);
    }

    public void Holding(Guid? draftId) => HeldDraftId = draftId;

    /// <summary>The browser stopped answering or closed: others must not wait for a lease nobody renews.</summary>
    public async Task GoneAsync()
    {
        Connected = false;
        consoles.Remove(this);
        presence.Remove(Key);
        if (HeldDraftId is { } draftId)
        {
            HeldDraftId = null;
            await leases.ReleaseAsync(draftId, CancellationToken.None);
        }
    }

    /// <summary>The browser is back: it is present again; its editor re-claims the draft on its next renewal.</summary>
    public void Back()
    {
        Connected = true;
        Touch();
        if (_presence is not null) { presence.Set(Key, _presence); consoles.Add(this); }
    }
}

/// <summary>Drops a circuit's presence and leases when its connection goes down or it closes (Blazor's heartbeat decides).</summary>
public sealed class ReviewCircuitHandler(ReviewCircuit circuit) : CircuitHandler
{
    public override int Order => 10; // after the tenant is set from the user

    public override Task OnConnectionDownAsync(Circuit c, CancellationToken ct) => circuit.GoneAsync();

    public override Task OnCircuitClosedAsync(Circuit c, CancellationToken ct) => circuit.GoneAsync();

    /// <summary>Every event or call from the browser is activity: it ends an automatic away.</summary>
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            circuit.Touch();
            return next(context);
        };

    public override Task OnConnectionUpAsync(Circuit c, CancellationToken ct)
    {
        circuit.Back();
        return Task.CompletedTask;
    }
}
