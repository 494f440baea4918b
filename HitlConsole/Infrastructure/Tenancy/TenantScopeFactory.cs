namespace HitlConsole.Infrastructure.Tenancy;

/// <summary>
/// A fresh DI scope acting for the caller's tenant: for one operation with scoped framework
/// services (UserManager) that must not live as long as a circuit.
/// </summary>
public sealed class TenantScopeFactory(IServiceScopeFactory scopes, TenantContext caller)
{
    public AsyncServiceScope Create()
    {
        var tenantId = caller.TenantId ?? throw new InvalidOperationException("The caller has no tenant.");
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId, caller.UserId);
        return scope;
    }
}
