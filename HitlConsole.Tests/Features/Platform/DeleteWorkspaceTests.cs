using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Features.Platform;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Platform;

/// <summary>A platform operator deletes a workspace: all of it goes, on both databases, and nothing of any other workspace.</summary>
public sealed class DeleteWorkspaceTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private sealed class EvictionRecorder : IWorkspaceCache
    {
        public List<Guid> Evicted { get; } = [];
        public void Evict(Guid tenantId) => Evicted.Add(tenantId);
    }

    private static async Task<DeleteWorkspace.Result> DeleteAsync(HitlAppFactory app, Guid workspace, string confirmName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var actor = new PlatformActor(await app.Services.UserIdAsync(await app.Services.DemoTenantIdAsync(), DemoUsers.Admin), DemoUsers.Admin);
        return await scope.ServiceProvider.GetRequiredService<DeleteWorkspace>().HandleAsync(workspace, confirmName, actor, default);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Deleting_a_workspace_removes_every_row_it_owns_and_leaves_the_other_workspace_as_it_was(DatabaseProvider provider)
    {
        var caches = new EvictionRecorder();
        await using var app = await HitlAppFactory.CreateAsync(provider, services: s => s.AddSingleton<IWorkspaceCache>(caches));
        var demo = await app.Services.DemoTenantIdAsync();
        var acme = await SecondWorkspace.SeedAsync(app.Services);
        var demoBefore = await SecondWorkspace.CountRowsAsync(app.Services, demo);
        var acmeBefore = await SecondWorkspace.CountRowsAsync(app.Services, acme.TenantId);
        // The test means something only if every table the workspace owns had rows to lose (a new table needs a row in the seed).
        Assert.All(acmeBefore, table => Assert.True(table.Value > 0, $"{table.Key} has no row in the second workspace"));
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal(1, await FullTextHitsAsync(app, SecondWorkspace.KnowledgeWord));
            Assert.Equal(2, await MessageTextHitsAsync(app, "quokka"));
        }

        Assert.IsType<DeleteWorkspace.Result.Deleted>(await DeleteAsync(app, acme.TenantId, SecondWorkspace.Name));

        Assert.All(await SecondWorkspace.CountRowsAsync(app.Services, acme.TenantId), table => Assert.True(table.Value == 0, $"{table.Key} kept {table.Value} rows"));
        Assert.Equal(demoBefore, await SecondWorkspace.CountRowsAsync(app.Services, demo));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            Assert.False(await db.Tenants.AnyAsync(t => t.Id == acme.TenantId));
            var users = db.Users.IgnoreQueryFilters();
            Assert.False(await users.AnyAsync(u => u.Id == acme.AdminId));
            var shared = await users.SingleAsync(u => u.Id == acme.SharedUserId);
            Assert.Equal(demo, shared.TenantId);
            Assert.Equal([demo], await db.WorkspaceMembers.IgnoreQueryFilters().Where(m => m.UserId == acme.SharedUserId).Select(m => m.TenantId).ToListAsync());
            var platformOperator = await users.SingleAsync(u => u.Id == acme.OperatorId);
            Assert.Null(platformOperator.TenantId);

            var audit = await db.PlatformAuditEvents.SingleAsync(e => e.WorkspaceId == acme.TenantId);
            Assert.Equal(("workspace.deleted", SecondWorkspace.Name, DemoUsers.Admin), (audit.Action, audit.WorkspaceName, audit.ActorEmail));
            using var detail = JsonDocument.Parse(audit.Detail!);
            Assert.Equal(acmeBefore[nameof(KnowledgeEntry)], detail.RootElement.GetProperty("rows").GetProperty(nameof(KnowledgeEntry)).GetInt32());
            Assert.Equal(2, detail.RootElement.GetProperty("rows").GetProperty(nameof(Message)).GetInt32());
            Assert.Equal(1, detail.RootElement.GetProperty("users").GetProperty("deleted").GetInt32());
            Assert.Equal(2, detail.RootElement.GetProperty("users").GetProperty("kept").GetInt32());
        }
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal(0, await FullTextHitsAsync(app, SecondWorkspace.KnowledgeWord));
            Assert.Equal(0, await MessageTextHitsAsync(app, "quokka"));
            await AssertFullTextIndexIntactAsync(app);
        }
        Assert.False(File.Exists(acme.StagedFile));
        Assert.Contains(acme.TenantId, caches.Evicted);
        Assert.Superset(new HashSet<Type> { typeof(KnowledgeIndex), typeof(ConfiguredSettingsProvider), typeof(OpenAiCompatibleModel), typeof(WhatsAppChannelDirectory) },
            app.Services.GetServices<IWorkspaceCache>().Select(c => c.GetType()).ToHashSet());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_name_that_does_not_match_deletes_nothing(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var acme = await SecondWorkspace.SeedAsync(app.Services);
        var before = await SecondWorkspace.CountRowsAsync(app.Services, acme.TenantId);

        Assert.IsType<DeleteWorkspace.Result.NameMismatch>(await DeleteAsync(app, acme.TenantId, SecondWorkspace.Name.ToUpperInvariant()));
        Assert.IsType<DeleteWorkspace.Result.NotFound>(await DeleteAsync(app, Guid.NewGuid(), SecondWorkspace.Name));

        Assert.Equal(before, await SecondWorkspace.CountRowsAsync(app.Services, acme.TenantId));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.True(await db.Tenants.AnyAsync(t => t.Id == acme.TenantId));
        Assert.True(await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Id == acme.AdminId));
        Assert.Equal(acme.TenantId, (await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == acme.SharedUserId)).TenantId);
        Assert.False(await db.PlatformAuditEvents.AnyAsync());
        Assert.True(File.Exists(acme.StagedFile));
    }

    [Fact]
    public void Rows_are_deleted_before_the_rows_they_point_at_and_only_user_accounts_point_at_a_workspace_from_outside()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        var order = WorkspaceTables.InDeleteOrder(db.Model).Select(t => t.ClrType).ToList();
        Assert.True(order.IndexOf(typeof(Draft)) < order.IndexOf(typeof(Message)));
        Assert.True(order.IndexOf(typeof(Message)) < order.IndexOf(typeof(Conversation)));
        Assert.True(order.IndexOf(typeof(Conversation)) < order.IndexOf(typeof(Contact)));
        Assert.True(order.IndexOf(typeof(Contact)) < order.IndexOf(typeof(Channel)));

        // A table that points at a workspace without being tenant-owned would be left to a cascade the deletion does not count.
        var outsiders = db.Model.GetEntityTypes()
            .Where(t => !typeof(ITenantOwned).IsAssignableFrom(t.ClrType))
            .Where(t => t.GetForeignKeys().Any(fk => fk.PrincipalEntityType.ClrType == typeof(Tenant) || typeof(ITenantOwned).IsAssignableFrom(fk.PrincipalEntityType.ClrType)))
            .Select(t => t.ClrType).ToList();
        Assert.Equal([typeof(AppUser)], outsiders);
    }

    private static async Task<long> FullTextHitsAsync(HitlAppFactory app, string word)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Database.SqlQuery<long>($"SELECT count(*) AS Value FROM KnowledgeSearch WHERE KnowledgeSearch MATCH {word}").SingleAsync();
    }

    /// <summary>Rows of the messages' full-text index (every workspace) holding <paramref name="word"/>.</summary>
    private static async Task<long> MessageTextHitsAsync(HitlAppFactory app, string word)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Database.SqlQuery<long>($"SELECT count(*) AS Value FROM MessageSearch WHERE MessageSearch MATCH {word}").SingleAsync();
    }

    /// <summary>FTS5's own check (rank 1: against the external content table) that the index holds exactly the table's rows.</summary>
    private static async Task AssertFullTextIndexIntactAsync(HitlAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("INSERT INTO KnowledgeSearch(KnowledgeSearch, rank) VALUES ('integrity-check', 1);");
        await db.Database.ExecuteSqlRawAsync("INSERT INTO MessageSearch(MessageSearch, rank) VALUES ('integrity-check', 1);");
    }
}
