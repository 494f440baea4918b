using System.Collections.Concurrent;
using HitlConsole.Features.Pipeline;
using Microsoft.AspNetCore.Components.Server.Circuits;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// What this circuit holds: its presence and the draft lease its editor renews. Scoped to the circuit, so the circuit
/// handler can let go of both when the browser goes away.
/// </summary>
public sealed class ReviewCircuit(PresenceTracker presence, DraftLeases leases, TimeProvider clock)
{
    public string Key { get; } = Guid.NewGuid().ToString("N");
    private Presence? _presence;

    public Guid? HeldDraftId { get; private set; }

    /// <summary>False while the browser is gone: a retained circuit must not keep (or retake) a lease nobody looks at.</summary>
    public bool Connected { get; private set; } = true;

    public void Show(Guid tenantId, string userId, string name, Guid? conversationId, string? customer)
    {
        _presence = new Presence(tenantId, userId, name, conversationId, customer, clock.GetUtcNow().UtcDateTime, Away);
        presence.Set(Key, _presence);
    }

    /// <summary>The agent's own status (available or away), shown to the team with their presence.</summary>
    public bool Away { get; private set; }

    public void SetAway(bool away)
    {
        Away = away;
        if (_presence is not null && _presence.Away != away)
        {
            _presence = _presence with { Away = away };
            presence.Set(Key, _presence);
        }
    }

    public void Holding(Guid? draftId) => HeldDraftId = draftId;

    /// <summary>The browser stopped answering or closed: others must not wait for a lease nobody renews.</summary>
    public async Task GoneAsync()
    {
        Connected = false;
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
        if (_presence is not null) presence.Set(Key, _presence);
    }
}

/// <summary>Drops a circuit's presence and leases when its connection goes down or it closes (Blazor's heartbeat decides).</summary>
public sealed class ReviewCircuitHandler(ReviewCircuit circuit) : CircuitHandler
{
    public override int Order => 10; // after the tenant is set from the user

    public override Task OnConnectionDownAsync(Circuit c, CancellationToken ct) => circuit.GoneAsync();

    public override Task OnCircuitClosedAsync(Circuit c, CancellationToken ct) => circuit.GoneAsync();

    public override Task OnConnectionUpAsync(Circuit c, CancellationToken ct)
    {
        circuit.Back();
        return Task.CompletedTask;
    }
}
