using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>Uploads that never became an import (the wizard was closed at the preview) are deleted after a day, file and row.</summary>
public sealed class PurgeAbandonedImports(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    public async Task<int> HandleAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var before = clock.GetUtcNow().UtcDateTime - KeepFor;
        var abandoned = await db.KnowledgeImports.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.Status == ImportStatus.Uploaded && i.CreatedUtc < before).Select(i => new { i.Id, i.FilePath }).ToListAsync(ct);
        foreach (var import in abandoned)
        {
            try { File.Delete(import.FilePath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        var ids = abandoned.Select(a => a.Id).ToList();
        return await db.KnowledgeImports.IgnoreQueryFilters().Where(i => ids.Contains(i.Id) && i.Status == ImportStatus.Uploaded).ExecuteDeleteAsync(ct);
    }
}
