using HitlConsole.Domain;
using HitlConsole.Features.Admin.Users;
using HitlConsole.Features.Home;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>A user of one workspace can neither read nor change another workspace's rows, on either provider.</summary>
public sealed class TenancyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<(HitlAppFactory App, Guid Demo, string DemoAdmin, (Guid TenantId, string AdminId, Guid EntryId) Other)> ArrangeAsync(DatabaseProvider provider)
    {
        var app = await HitlAppFactory.CreateAsync(provider);
        var sp = app.Services;
        var demo = await sp.DemoTenantIdAsync();
        var demoAdmin = await sp.UserIdAsync(demo, DemoUsers.Admin);
        var other = await sp.CreateOtherTenantAsync();
        return (app, demo, demoAdmin, other);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Queries_see_only_the_signed_in_tenant(DatabaseProvider provider)
    {
        var (app, demo, demoAdmin, other) = await ArrangeAsync(provider);
        await using var _ = app;
        await using var scope = app.Services.ForTenant(demo, demoAdmin);
        var sp = scope.ServiceProvider;

        await using var db = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.False(await db.KnowledgeEntries.AnyAsync(e => e.Id == other.EntryId));
        Assert.Null(await db.KnowledgeEntries.FindAsync(other.EntryId));
        Assert.All(await db.Users.ToListAsync(), u => Assert.Equal(demo, u.TenantId));

        var page = await sp.GetRequiredService<GetKnowledgePage>().HandleAsync(new(new GetKnowledgePage.Filter("Secret"), null, false, 0, 50), default);
        Assert.Empty(page.Rows);

        var users = await sp.GetRequiredService<ListUsers>().HandleAsync(default);
        Assert.Equal(3, users.Count);
        Assert.DoesNotContain(users, u => u.Id == other.AdminId);

        var summary = await sp.GetRequiredService<GetWorkspaceSummary>().HandleAsync(default);
        Assert.Equal(HitlAppFactory.DemoKnowledgeEntries, summary.KnowledgeEntries);
        Assert.Equal(3, summary.ActiveUsers);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Handlers_cannot_change_another_tenants_users(DatabaseProvider provider)
    {
        var (app, demo, demoAdmin, other) = await ArrangeAsync(provider);
        await using var _ = app;
        await using var scope = app.Services.ForTenant(demo, demoAdmin);
        var manage = scope.ServiceProvider.GetRequiredService<ManageUsers>();

        Assert.IsType<ManageUsers.Result.NotFound>(await manage.SetDisabledAsync(other.AdminId, true, default));
        Assert.IsType<ManageUsers.Result.NotFound>(await manage.SetRoleAsync(other.AdminId, Roles.Agent, default));
        Assert.IsType<ManageUsers.Result.NotFound>(await manage.ResetPasswordAsync(other.AdminId, "Hijacked2026x", default));
        // Nor their own account off: the users page disables that button, and the handler refuses it anyway.
        Assert.Equal("SelfDisable", Assert.IsType<ManageUsers.Result.Refused>(await manage.SetDisabledAsync(demoAdmin, true, default)).Reason);

        await using var otherScope = app.Services.ForTenant(other.TenantId);
        await using var db = await otherScope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var victim = await db.Users.SingleAsync(u => u.Id == other.AdminId);
        Assert.False(victim.IsDisabled);
        Assert.Empty(await db.AuditEvents.ToListAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Writing_another_tenants_row_is_refused(DatabaseProvider provider)
    {
        var (app, demo, demoAdmin, other) = await ArrangeAsync(provider);
        await using var _ = app;
        await using var scope = app.Services.ForTenant(demo, demoAdmin);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();

        // A handler that somehow got hold of the row (id guessed, entity attached) still cannot save it.
        var forged = new KnowledgeEntry { Id = other.EntryId, TenantId = other.TenantId, Question = "changed", Answer = "changed", ContentHash = "x" };
        db.KnowledgeEntries.Update(forged);
        await Assert.ThrowsAsync<TenantViolationException>(() => db.SaveChangesAsync());

        // Set-based updates and deletes go through the same filter.
        await using var db2 = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db2.KnowledgeEntries.Where(e => e.Id == other.EntryId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Question, "changed")));
        Assert.Equal(0, await db2.KnowledgeEntries.Where(e => e.Id == other.EntryId).ExecuteDeleteAsync());

        await using var otherScope = app.Services.ForTenant(other.TenantId);
        await using var db3 = await otherScope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal("Secret of Other Co", (await db3.KnowledgeEntries.SingleAsync()).Question);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_scope_without_a_tenant_sees_no_business_rows(DatabaseProvider provider)
    {
        var (app, _, _, _) = await ArrangeAsync(provider);
        await using var __ = app;
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.KnowledgeEntries.CountAsync());
        Assert.True(await db.KnowledgeEntries.IgnoreQueryFilters().CountAsync() > HitlAppFactory.DemoKnowledgeEntries);
        db.KnowledgeEntries.Add(new KnowledgeEntry { Question = "q", Answer = "a", ContentHash = "h" });
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Knowledge_content_is_unique_per_tenant_not_globally(DatabaseProvider provider)
    {
        var (app, demo, _, other) = await ArrangeAsync(provider);
        await using var _ = app;
        var hash = KnowledgeHash.Of("Same question", "Same answer");
        foreach (var tenant in new[] { demo, other.TenantId })
        {
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            db.KnowledgeEntries.Add(new KnowledgeEntry { Question = "Same question", Answer = "Same answer", ContentHash = hash });
            await db.SaveChangesAsync();
        }

        await using var again = app.Services.ForTenant(demo);
        await using var db2 = await again.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        db2.KnowledgeEntries.Add(new KnowledgeEntry { Question = "Same question", Answer = "Same answer", ContentHash = hash });
        await Assert.ThrowsAsync<DbUpdateException>(() => db2.SaveChangesAsync());
    }
}
