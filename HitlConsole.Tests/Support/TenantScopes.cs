using HitlConsole.Domain;
using HitlConsole.Features.Demo;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Support;

/// <summary>Runs test code the way a request, circuit or job of one tenant would.</summary>
public static class TenantScopes
{
    public static AsyncServiceScope ForTenant(this IServiceProvider services, Guid tenantId, string? userId = null) =>
        services.GetRequiredService<IServiceScopeFactory>().CreateTenantScope(tenantId, userId);

    public static async Task<Guid> DemoTenantIdAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Tenants.Where(t => t.Name == DemoOptions.TenantName).Select(t => t.Id).SingleAsync();
    }

    public static async Task<string> UserIdAsync(this IServiceProvider services, Guid tenantId, string email)
    {
        await using var scope = services.ForTenant(tenantId);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }

    /// <summary>Adds an active entry with its vector, as the embedding service would leave it.</summary>
    public static async Task<Guid> AddKnowledgeAsync(this IServiceProvider services, Guid tenantId, string question, string answer, string intent, string language = "en")
    {
        var now = DateTime.UtcNow;
        var entry = new KnowledgeEntry
        {
            Question = question, Answer = answer, Intent = intent, Language = language, ContentHash = KnowledgeHash.Of(question, answer),
            CreatedUtc = now, UpdatedUtc = now,
            Embedding = HitlConsole.Infrastructure.Embeddings.VectorCodec.ToBytes(
                services.GetRequiredService<HitlConsole.Infrastructure.Embeddings.ITextEmbedder>().Embed([question])[0]),
        };
        await using var scope = services.ForTenant(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        db.KnowledgeEntries.Add(entry);
        await db.SaveChangesAsync();
        return entry.Id;
    }

    /// <summary>A second workspace with one Admin and one knowledge entry.</summary>
    public static async Task<(Guid TenantId, string AdminId, Guid EntryId)> CreateOtherTenantAsync(this IServiceProvider services, string name = "Other Co")
    {
        var tenant = new Tenant { Name = name, CreatedUtc = DateTime.UtcNow };
        await using (var scope = services.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
        }

        await using var tenantScope = services.ForTenant(tenant.Id);
        var users = tenantScope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"admin@{name.Replace(" ", "").ToLowerInvariant()}.test";
        var admin = new AppUser { UserName = email, Email = email, DisplayName = "Other Admin", TenantId = tenant.Id };
        Assert.True((await users.CreateAsync(admin, HitlAppFactory.DemoPassword)).Succeeded);

        await using var db2 = await tenantScope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        db2.WorkspaceMembers.Add(new WorkspaceMember { UserId = admin.Id, Role = Roles.Admin, CreatedUtc = DateTime.UtcNow });
        var entry = new KnowledgeEntry { Question = "Secret of " + name, Answer = "Only for " + name, ContentHash = KnowledgeHash.Of("Secret of " + name, "x") };
        db2.KnowledgeEntries.Add(entry);
        await db2.SaveChangesAsync();
        return (tenant.Id, admin.Id, entry.Id);
    }
}
