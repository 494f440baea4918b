using System.Net;
using HitlConsole.Features.Admin.Audit;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Admin;

/// <summary>The audit page's handler and its CSV export, on both databases.</summary>
public sealed class AuditLogTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Admins_filter_the_trail_and_export_it_as_formula_safe_csv(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        var conversation = Guid.NewGuid();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var at = DateTime.UtcNow;
            db.AuditEvents.Add(new() { TenantId = tenant, ActorUserId = agent, Action = "draft.rejected", EntityType = "Draft", EntityId = "d1", After = "{\"Reason\":\"=HYPERLINK(1)\"}", AtUtc = at });
            db.AuditEvents.Add(new() { TenantId = tenant, ActorUserId = admin, Action = "draft.taken-over", EntityType = "Draft", EntityId = "d1", AtUtc = at.AddSeconds(1) });
            db.AuditEvents.Add(new() { TenantId = tenant, ActorUserId = agent, Action = "conversation.ai-mode", EntityType = "Conversation", EntityId = conversation.ToString(), AtUtc = at.AddDays(-3) });
            await db.SaveChangesAsync();
        }
        var (other, otherAdmin, _) = await app.Services.CreateOtherTenantAsync();
        await using (var scope = app.Services.ForTenant(other, otherAdmin))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            db.AuditEvents.Add(new() { ActorUserId = otherAdmin, Action = "draft.rejected", EntityType = "Draft", EntityId = "x", AtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await using var adminScope = app.Services.ForTenant(tenant, admin);
        var log = adminScope.ServiceProvider.GetRequiredService<GetAuditLog>();
        var drafts = await log.HandleAsync(new GetAuditLog.Filter(Action: "draft."), 0, 50, default);
        Assert.Equal(["draft.taken-over", "draft.rejected"], drafts.Rows.Select(r => r.Action));
        Assert.Equal(DemoUsers.Admin, drafts.Rows[0].Actor);
        Assert.Equal(2, (await log.HandleAsync(new GetAuditLog.Filter(UserId: agent, FromUtc: DateTime.UtcNow.AddDays(-7)), 0, 50, default)).Total);
        Assert.Single((await log.HandleAsync(new GetAuditLog.Filter(UserId: agent, FromUtc: DateTime.UtcNow.AddDays(-1)), 0, 50, default)).Rows);
        Assert.Single((await log.HandleAsync(new GetAuditLog.Filter(Search: conversation.ToString()), 0, 50, default)).Rows);

        var client = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        var csv = await (await client.GetAsync("/admin/audit/export?action=draft.")).Content.ReadAsStringAsync();
        var lines = csv.Trim().Split('\n');
        Assert.Equal(3, lines.Length); // header + this workspace's two draft events, not the other workspace's
        Assert.StartsWith("at_utc,action,actor", lines[0]);
        Assert.Contains("\"{\"\"Reason\"\":\"\"=HYPERLINK(1)\"\"}\"", csv); // JSON starts with "{", so it is left as it is
        var agentClient = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.NotEqual(HttpStatusCode.OK, (await agentClient.GetAsync("/admin/audit/export")).StatusCode);
    }
}
