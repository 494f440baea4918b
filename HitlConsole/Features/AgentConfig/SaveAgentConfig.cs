using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>
/// Saves the agent configuration, for Admins: always a new immutable version. Two saves from the same base collide on the
/// unique (tenant, number) index, so the second is told and shown the difference instead of silently overwriting the first.
/// </summary>
public sealed class SaveAgentConfig(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock)
{
    /// <summary>Saves <paramref name="document"/> as version <c>baseNumber + 1</c> (base null: nothing saved yet).</summary>
    public Task<ConfigVersionResult> HandleAsync(AgentConfigDocument document, int? baseNumber, string? comment, CancellationToken ct) =>
        ConfigVersionWriter.AddAsync(factory, tenant, clock, document, baseNumber, comment, restoredFrom: null, "config.saved", ct);
}
