using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.Simulator;

/// <summary>Every workspace has a simulator channel; the first page that needs it creates it (without an API key).</summary>
public static class SimulatorChannel
{
    public static async Task<Guid> IdAsync(HitlDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var id = await db.Channels.Where(c => c.Kind == ChannelKind.Simulator).OrderBy(c => c.CreatedUtc).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (id is { } existing) return existing;
        var channel = new Channel { Kind = ChannelKind.Simulator, Name = "Simulator", CreatedUtc = clock.GetUtcNow().UtcDateTime };
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return channel.Id;
    }
}
