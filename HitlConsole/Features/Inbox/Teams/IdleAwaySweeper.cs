using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Inbox.Teams;

/// <summary>
/// Every few seconds: a console idle for the configured minutes is shown as away (automatically — its next activity makes
/// it available again), and the activity of the others is written to their membership, which automatic assignment reads.
/// </summary>
public sealed partial class IdleAwaySweeper(ActiveConsoles consoles, IServiceScopeFactory scopes, TimeProvider clock,
    IOptions<TeamOptions> options, ILogger<IdleAwaySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await SweepAsync(stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested) { LogSweepFailed(ex); }
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var active = new List<(Guid Tenant, string User, DateTime At)>();
        foreach (var circuit in consoles.All)
        {
            if (circuit.Who is not { } who) continue;
            if (circuit.TakeActivity() is { } at) active.Add((who.TenantId, who.UserId, at));
            if (!circuit.AutoAway && now - circuit.LastActivityUtc >= options.Value.IdleAway) circuit.MarkIdle();
        }
        foreach (var workspace in active.GroupBy(a => a.Tenant))
        {
            await using var scope = scopes.CreateTenantScope(workspace.Key);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
            foreach (var person in workspace.GroupBy(a => a.User))
            {
                var at = person.Max(a => a.At);
                await db.WorkspaceMembers.Where(m => m.UserId == person.Key && (m.LastActiveUtc == null || m.LastActiveUtc < at))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastActiveUtc, at), ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking consoles for idleness failed; trying again at the next tick")]
    private partial void LogSweepFailed(Exception ex);
}
