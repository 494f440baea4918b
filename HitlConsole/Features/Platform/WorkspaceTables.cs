using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace HitlConsole.Features.Platform;

/// <summary>
/// Every table a workspace owns, read from the EF model (entities that implement <see cref="ITenantOwned"/>), so a table added
/// later is deleted with the workspace without anyone remembering to list it here.
/// </summary>
internal static class WorkspaceTables
{
    /// <summary>
    /// Rows that point at other rows come first. Nothing is left to cascades: not every tenant-owned table has a foreign key
    /// to cascade from (<see cref="AiInteraction"/> has none), and a cascaded row would be missing from the counts.
    /// </summary>
    public static IReadOnlyList<IEntityType> InDeleteOrder(IModel model)
    {
        var owned = model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)).OrderBy(t => t.ClrType.Name).ToList();
        var order = new List<IEntityType>();
        var seen = new HashSet<IEntityType>();
        foreach (var type in owned) Visit(type);
        return order;

        void Visit(IEntityType type)
        {
            if (!seen.Add(type)) return;
            foreach (var dependent in type.GetReferencingForeignKeys().Select(fk => fk.DeclaringEntityType).Where(owned.Contains))
                Visit(dependent);
            order.Add(type);
        }
    }

    /// <summary>Deletes the workspace's rows of every table; returns how many went, by entity name.</summary>
    public static async Task<Dictionary<string, int>> DeleteAsync(HitlDbContext db, Guid workspaceId, CancellationToken ct)
    {
        var counts = new Dictionary<string, int>();
        foreach (var type in InDeleteOrder(db.Model))
        {
            var delete = DeleteRowsMethod.MakeGenericMethod(type.ClrType);
            counts[type.ClrType.Name] = await (Task<int>)delete.Invoke(null, [db, workspaceId, ct])!;
        }
        return counts;
    }

    private static readonly System.Reflection.MethodInfo DeleteRowsMethod = typeof(WorkspaceTables).GetMethod(nameof(DeleteRows),
        System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static Task<int> DeleteRows<T>(HitlDbContext db, Guid workspaceId, CancellationToken ct) where T : class, ITenantOwned =>
        db.Set<T>().IgnoreQueryFilters().Where(e => e.TenantId == workspaceId).ExecuteDeleteAsync(ct);
}
