using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// Scoped so each context carries the scope's tenant (request, circuit or job); creates the
/// provider's subclass so EF finds that provider's migrations.
/// </summary>
internal sealed class HitlDbContextFactory(
    DbContextOptions<HitlDbContext> options, IOptions<DatabaseOptions> database, TenantContext tenant)
    : IDbContextFactory<HitlDbContext>
{
    public HitlDbContext CreateDbContext() => database.Value.ProviderKind switch
    {
        DatabaseProvider.Postgres => new PostgresHitlDbContext(options, tenant),
        _ => new SqliteHitlDbContext(options, tenant),
    };
}
