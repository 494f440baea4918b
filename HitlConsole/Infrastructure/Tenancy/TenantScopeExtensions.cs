namespace HitlConsole.Infrastructure.Tenancy;

public static class TenantScopeExtensions
{
    /// <summary>A DI scope acting for one tenant: for webhooks, jobs and sweepers, which have no signed-in user.</summary>
    public static AsyncServiceScope CreateTenantScope(this IServiceScopeFactory scopes, Guid tenantId, string? userId = null)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId, userId);
        return scope;
    }
}
