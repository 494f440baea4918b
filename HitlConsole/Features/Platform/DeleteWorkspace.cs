using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Account;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Platform;

/// <summary>
/// Removes a workspace and everything in it, in one transaction: every tenant-owned table, the memberships, the accounts of
/// people who belonged to no other workspace, and the workspace row, with the platform audit event that records it. Staged
/// import files and in-memory caches go once the transaction has committed.
/// </summary>
public sealed partial class DeleteWorkspace(
    IServiceScopeFactory scopes, TimeProvider clock, IEnumerable<IWorkspaceCache> caches, IOptions<PlatformOptions> platform,
    ILogger<DeleteWorkspace> logger)
{
    public abstract record Result
    {
        public sealed record Deleted : Result;
        public sealed record NotFound : Result;
        /// <summary>The operator typed a name that is not the workspace's: nothing was touched.</summary>
        public sealed record NameMismatch : Result;
    }

    public async Task<Result> HandleAsync(Guid workspaceId, string confirmName, PlatformActor actor, CancellationToken ct)
    {
        // A scope with no workspace: no query filter narrows what the platform sees, no tenant guard stamps its writes.
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var name = await db.Tenants.Where(t => t.Id == workspaceId).Select(t => t.Name).SingleOrDefaultAsync(ct);
        if (name is null) return new Result.NotFound();
        if (!string.Equals(name, confirmName?.Trim(), StringComparison.Ordinal)) return new Result.NameMismatch();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stagedFiles = await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.TenantId == workspaceId)
            .Select(i => i.FilePath).ToListAsync(ct);
        var (members, leaving) = await SettleUsersAsync(db, workspaceId, ct);
        var rows = await WorkspaceTables.DeleteAsync(db, workspaceId, ct);
        var usersDeleted = await db.Users.IgnoreQueryFilters().Where(u => leaving.Contains(u.Id)).ExecuteDeleteAsync(ct);
        if (await db.Tenants.Where(t => t.Id == workspaceId).ExecuteDeleteAsync(ct) == 0) return new Result.NotFound(); // deleted meanwhile

        var files = stagedFiles.Where(File.Exists).ToList();
        db.PlatformAuditEvents.Add(new PlatformAuditEvent
        {
            ActorUserId = actor.UserId, ActorEmail = actor.Email, Action = "workspace.deleted", WorkspaceId = workspaceId, WorkspaceName = name,
            Detail = JsonSerializer.Serialize(new { rows, users = new { deleted = usersDeleted, kept = members - usersDeleted }, stagedFiles = files.Count }),
            AtUtc = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        // Files and memory cannot take part in the transaction: they go only once the rows are gone for good.
        foreach (var file in files)
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        foreach (var cache in caches) cache.Evict(workspaceId);
        LogDeleted(workspaceId, actor.UserId, rows.Values.Sum(), usersDeleted);
        return new Result.Deleted();
    }

    /// <summary>
    /// Everyone whose last workspace was this one moves on to another of theirs (an enabled membership first), or to none.
    /// Returns how many people were members, and the accounts to delete once the memberships are gone: members of no other
    /// workspace, unless they run the platform.
    /// </summary>
    private async Task<(int Members, List<string> Leaving)> SettleUsersAsync(HitlDbContext db, Guid workspaceId, CancellationToken ct)
    {
        var memberships = db.WorkspaceMembers.IgnoreQueryFilters();
        var members = await db.Users.IgnoreQueryFilters()
            .Where(u => memberships.Any(m => m.UserId == u.Id && m.TenantId == workspaceId))
            .Select(u => new { u.Id, u.Email, u.IsPlatformOperator, Elsewhere = memberships.Any(m => m.UserId == u.Id && m.TenantId != workspaceId) })
            .ToListAsync(ct);
        var leaving = members.Where(u => !u.Elsewhere && !u.IsPlatformOperator && !platform.Value.IsListed(u.Email)).Select(u => u.Id).ToList();

        await db.Users.IgnoreQueryFilters().Where(u => u.TenantId == workspaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TenantId, u => memberships
                .Where(m => m.UserId == u.Id && m.TenantId != workspaceId)
                .OrderBy(m => m.IsDisabled).ThenBy(m => m.CreatedUtc)
                .Select(m => (Guid?)m.TenantId).FirstOrDefault()), ct);
        return (members.Count, leaving);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {WorkspaceId} deleted by platform operator {ActorUserId}: {Rows} rows, {UsersDeleted} accounts")]
    private partial void LogDeleted(Guid workspaceId, string actorUserId, int rows, int usersDeleted);
}
