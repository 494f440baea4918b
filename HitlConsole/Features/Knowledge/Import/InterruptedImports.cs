using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>
/// On SQLite one instance owns the file, so an import still marked running when this instance's job server starts was cut off
/// with the process before (a kill, a crash, a host that stopped waiting): it is reported as interrupted at once, instead of
/// holding the workspace's import slot until Hangfire delivers its job again (its invisibility timeout, 30 minutes). PostgreSQL
/// instances share the imports, so there the job's second delivery reports it (<see cref="RunImport"/>).
/// </summary>
internal sealed class InterruptedImports(IServiceScopeFactory scopes, IOptions<DatabaseOptions> database, IOptions<JobsOptions> jobs) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (database.Value.ProviderKind != DatabaseProvider.Sqlite || !jobs.Value.ServerEnabled) return;
        List<(Guid Id, Guid TenantId)> running;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct))
        {
            running = (await db.KnowledgeImports.IgnoreQueryFilters().AsNoTracking().Where(i => i.Status == ImportStatus.Running)
                .Select(i => new { i.Id, i.TenantId }).ToListAsync(ct)).Select(i => (i.Id, i.TenantId)).ToList();
        }
        foreach (var (id, tenantId) in running)
        {
            await using var scope = scopes.CreateTenantScope(tenantId);
            await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(id, ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
