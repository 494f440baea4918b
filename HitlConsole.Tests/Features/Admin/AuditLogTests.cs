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
        Assert.Equal("Ada Admin", drafts.Rows[0].ActorName); // the page names people; the export identifies them by e-mail
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

    /// <summary>What was done to a person names them (and a search by their name finds it); a draft's entry names its customer.</summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task An_entry_names_who_or_what_it_is_about_and_a_person_is_found_by_name(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var (agent, admin) = (await app.Services.UserIdAsync(tenant, DemoUsers.Agent), await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
        await using var scope = app.Services.ForTenant(tenant, admin);
        Assert.IsType<HitlConsole.Features.Admin.Users.ManageUsers.Result.Done>(
            await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Admin.Users.ManageUsers>().SetDisabledAsync(agent, true, default));
        var conversation = (await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Channels.Simulator.SimulatorChat>()
            .SendAsCustomerAsync("+34600123777", "Nora Núñez", "¿Dónde está mi pedido?", default))!.Value;
        Assert.True(await scope.ServiceProvider.GetRequiredService<UpdateConversation>().SetPinnedAsync(conversation, true, default));

        var log = scope.ServiceProvider.GetRequiredService<GetAuditLog>();
        var page = await log.HandleAsync(new GetAuditLog.Filter(), 0, 50, default);
        var subjects = await log.SubjectsAsync(page.Rows, default);
        var disabled = page.Rows.Single(r => r.Action == "user.disabled");
        Assert.Equal($"Alex Agent ({DemoUsers.Agent})", subjects[disabled.EntityId!]);
        Assert.Equal("Nora Núñez", subjects[page.Rows.Single(r => r.Action == "conversation.pinned").EntityId!]);
        Assert.Contains((await log.HandleAsync(new GetAuditLog.Filter(Search: "Alex Agent"), 0, 50, default)).Rows, r => r.Action == "user.disabled");
    }

    [Fact]
    public async Task Each_audit_action_reads_as_a_sentence_with_the_changed_fields_side_by_side()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var l = app.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = new("es");
            var row = new GetAuditLog.Row(1, DateTime.UtcNow, "knowledge.updated", "u1", "Ada Admin", "KnowledgeEntry", Guid.NewGuid().ToString(),
                """{"Question":"\u00BFHac\u00E9is env\u00EDos?","Intent":"delivery"}""", """{"Question":"¿Hacéis envíos a Canarias?","Intent":"delivery","Tags":["a","b"]}""");
            Assert.Equal("Ada Admin cambió una entrada de conocimiento", AuditText.Sentence(row, l));
            Assert.Equal("Entrada de conocimiento", AuditText.Entity(row.EntityType, l));
            Assert.Equal([new("Question", "¿Hacéis envíos?", "¿Hacéis envíos a Canarias?"), new AuditText.Change("Tags", null, "a, b")],
                AuditText.Changes(row.Before, row.After));
            Assert.Equal("Sistema: some.new-action", AuditText.Sentence(row with { Action = "some.new-action", Actor = null }, l).Replace(l["ConfigSystemAuthor"], "Sistema"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }
}
