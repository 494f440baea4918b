using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Learning;

/// <summary>Who may do what with lessons: Agents and Admins propose; Admins publish, and Agents too where the workspace allows it.</summary>
internal static class LearningAccess
{
    public static Task<string?> RoleAsync(HitlDbContext db, string? userId, CancellationToken ct) => userId is null
        ? Task.FromResult<string?>(null)
        : db.WorkspaceMembers.Where(m => m.UserId == userId && !m.IsDisabled).Select(m => m.Role).FirstOrDefaultAsync(ct);

    public static async Task<bool> CanPublishAsync(HitlDbContext db, string? role, CancellationToken ct) =>
        role == Roles.Admin
        || (role == Roles.Agent && await db.Tenants.Where(t => t.Id == db.CurrentTenantId).Select(t => t.AgentsPublishKnowledge).SingleOrDefaultAsync(ct));
}
