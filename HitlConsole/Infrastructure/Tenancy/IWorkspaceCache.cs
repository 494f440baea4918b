namespace HitlConsole.Infrastructure.Tenancy;

/// <summary>
/// An in-memory cache that holds a workspace's data (knowledge vectors, parsed configuration, decrypted secrets). Deleting a
/// workspace evicts it from every registered cache on this instance, so nothing of it stays in memory until a restart.
/// </summary>
public interface IWorkspaceCache
{
    void Evict(Guid tenantId);
}
