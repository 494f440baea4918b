using System.Collections.Concurrent;

namespace HitlConsole.Features.Inbox.Teams;

/// <summary>This instance's open consoles, so <see cref="IdleAwaySweeper"/> can tell the idle ones and write down activity.</summary>
public sealed class ActiveConsoles
{
    private readonly ConcurrentDictionary<string, ReviewCircuit> _circuits = new();

    public void Add(ReviewCircuit circuit) => _circuits[circuit.Key] = circuit;
    public void Remove(ReviewCircuit circuit) => _circuits.TryRemove(circuit.Key, out _);
    public IReadOnlyCollection<ReviewCircuit> All => _circuits.Values.ToList();
}
