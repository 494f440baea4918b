using System.IO.Compression;
using System.Net;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Platform;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Platform;

/// <summary>A platform operator downloads a whole workspace: everything of it, nothing of another, no secret.</summary>
public sealed class ExportWorkspaceTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static readonly string[] Files =
        ["workspace.json", "members.csv", "knowledge.csv", "teams.json", "saved-replies.csv", "configuration-versions.json", "conversations.jsonl", "audit.csv"];

    [Theory, MemberData(nameof(Providers))]
    public async Task The_export_holds_the_whole_workspace_and_no_secret_and_nothing_of_another_workspace(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var demo = await app.Services.DemoTenantIdAsync();
        var acme = await SecondWorkspace.SeedAsync(app.Services);
        var actor = new PlatformActor(await app.Services.UserIdAsync(demo, DemoUsers.Admin), DemoUsers.Admin);
        var demoSamples = await DemoSamplesAsync(app, demo);
        await TeamsAndRepliesAsync(app, acme.TenantId, acme.AdminId, acme.SharedUserId, "Acme escalations", "acme-hola");
        await TeamsAndRepliesAsync(app, demo, await app.Services.UserIdAsync(demo, DemoUsers.Admin), await app.Services.UserIdAsync(demo, DemoUsers.Agent),
            "Demo-only night shift", "demo-only-shortcut");

        using var zipped = new MemoryStream();
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<ExportWorkspace>().WriteAsync(acme.TenantId, zipped, actor, default));
        var files = await UnzipAsync(zipped);
        Assert.Equal(Files, files.Keys);

        using (var workspace = JsonDocument.Parse(files["workspace.json"]))
        {
            Assert.Equal(SecondWorkspace.Name, workspace.RootElement.GetProperty("name").GetString());
            Assert.Equal("UTC", workspace.RootElement.GetProperty("timeZone").GetString());
            Assert.Equal(JsonValueKind.Null, workspace.RootElement.GetProperty("limits").GetProperty("maxUsers").ValueKind);
        }

        var members = Lines(files["members.csv"]);
        Assert.Equal("email,display_name,role,disabled", members[0]);
        Assert.Equal(new[] { SecondWorkspace.OperatorEmail, acme.AdminEmail, DemoUsers.Agent }.Order(StringComparer.Ordinal),
            members.Skip(1).Select(l => l.Split(',')[0]).Order(StringComparer.Ordinal));

        var knowledge = Lines(files["knowledge.csv"]);
        Assert.Equal(string.Join(",", KnowledgeExport.Columns), knowledge[0]);
        Assert.Equal(2, knowledge.Length - 1);
        Assert.Contains(knowledge, l => l.Contains(SecondWorkspace.KnowledgeWord));

        using (var teams = JsonDocument.Parse(files["teams.json"]))
        {
            Assert.Equal(("RoundRobin", 3, "Acme escalations"), (teams.RootElement.GetProperty("autoAssign").GetProperty("mode").GetString(),
                teams.RootElement.GetProperty("autoAssign").GetProperty("cap").GetInt32(), teams.RootElement.GetProperty("autoAssign").GetProperty("team").GetString()));
            var all = teams.RootElement.GetProperty("teams").EnumerateArray().ToList();
            Assert.Equal(["Acme escalations", "acme-returns"], all.Select(t => t.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
            var team = all.Single(t => t.GetProperty("name").GetString() == "Acme escalations");
            Assert.Equal([(acme.AdminEmail, true), (DemoUsers.Agent, false)],
                team.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("email").GetString(), m.GetProperty("lead").GetBoolean())));
        }
        var replies = Lines(files["saved-replies.csv"]);
        Assert.Equal(["shortcut,language,text,owner", "acme-hello,en,Hello {{customer_name}},", "acme-hola,es,Hola de Acme escalations,",
            $"acme-hola-mine,en,Own words of Acme escalations,{DemoUsers.Agent}"], replies);

        using (var versions = JsonDocument.Parse(files["configuration-versions.json"]))
        {
            var version = Assert.Single(versions.RootElement.EnumerateArray());
            Assert.Equal(1, version.GetProperty("number").GetInt32());
            Assert.Equal("Other Admin", version.GetProperty("createdBy").GetString());
            Assert.Equal("Acme helper", version.GetProperty("document").GetProperty("assistantName").GetString());
        }

        using (var conversation = JsonDocument.Parse(Assert.Single(Lines(files["conversations.jsonl"]))))
        {
            var c = conversation.RootElement;
            Assert.Equal(("Quokka Customer", "WhatsAppCloud"), (c.GetProperty("contactName").GetString(), c.GetProperty("channelKind").GetString()));
            var messages = c.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal([SecondWorkspace.CustomerText, SecondWorkspace.DraftText], messages.Select(m => m.GetProperty("text").GetString()));
            var draft = messages[0].GetProperty("draft");
            Assert.Equal(("Approved", SecondWorkspace.DraftText, "check_stock", 81, DemoUsers.Agent),
                (draft.GetProperty("state").GetString(), draft.GetProperty("text").GetString(), draft.GetProperty("intent").GetString(),
                 draft.GetProperty("confidence").GetInt32(), draft.GetProperty("reviewedBy").GetString()));
            Assert.Equal(JsonValueKind.Null, messages[1].GetProperty("draft").ValueKind);
        }

        var audit = Lines(files["audit.csv"]);
        Assert.Contains("acme.tested", Assert.Single(audit.Skip(1)));

        var everything = string.Concat(files.Values);
        foreach (var secret in acme.AllSecrets.Concat(await PasswordsAndStampsAsync(app, acme)))
            Assert.DoesNotContain(secret, everything);
        foreach (var foreign in demoSamples.Concat(["Demo-only night shift", "demo-only-shortcut"]))
            Assert.DoesNotContain(foreign, everything);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var recorded = await db.PlatformAuditEvents.SingleAsync(e => e.WorkspaceId == acme.TenantId);
        Assert.Equal(("workspace.exported", actor.UserId), (recorded.Action, recorded.ActorUserId));
    }

    [Fact]
    public async Task Only_a_platform_operator_downloads_a_workspace_over_http()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var acme = await SecondWorkspace.SeedAsync(app.Services);
        var url = $"/platform/workspaces/{acme.TenantId}/export";

        var agent = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        var refused = await agent.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.RedirectPath());

        var operatorClient = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        var response = await operatorClient.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^workspace-acme-export-\d{8}\.zip$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Files, (await UnzipAsync(body)).Keys);

        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync($"/platform/workspaces/{Guid.NewGuid()}/export")).StatusCode);
    }

    private static async Task<Dictionary<string, string>> UnzipAsync(Stream zipped)
    {
        zipped.Position = 0;
        await using var zip = new ZipArchive(zipped, ZipArchiveMode.Read, leaveOpen: true);
        var files = new Dictionary<string, string>();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            files[entry.FullName] = await reader.ReadToEndAsync();
        }
        return files;
    }

    /// <summary>A team (the first person leads it), automatic assignment to it, a workspace reply and the second person's own reply.</summary>
    private static async Task TeamsAndRepliesAsync(HitlAppFactory app, Guid workspace, string lead, string member, string teamName, string shortcut)
    {
        await using var scope = app.Services.ForTenant(workspace);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var team = new Team { Name = teamName, CreatedUtc = DateTime.UtcNow };
        db.Teams.Add(team);
        db.TeamMembers.AddRange(new TeamMember { TeamId = team.Id, UserId = lead, IsLead = true }, new TeamMember { TeamId = team.Id, UserId = member });
        db.SavedReplies.AddRange(new SavedReply { Shortcut = shortcut, Text = $"Hola de {teamName}", Language = "es" },
            new SavedReply { Shortcut = shortcut + "-mine", Text = $"Own words of {teamName}", OwnerUserId = member });
        var tenant = await db.Tenants.SingleAsync(t => t.Id == workspace);
        (tenant.AutoAssignMode, tenant.AutoAssignCap, tenant.AutoAssignTeamId) = (AutoAssignMode.RoundRobin, 3, team.Id);
        await db.SaveChangesAsync();
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static async Task<IEnumerable<string>> PasswordsAndStampsAsync(HitlAppFactory app, SecondWorkspace.Seeded acme)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var ids = new[] { acme.AdminId, acme.SharedUserId, acme.OperatorId };
        var users = await db.Users.IgnoreQueryFilters().Where(u => ids.Contains(u.Id)).ToListAsync();
        return users.SelectMany(u => new[] { u.PasswordHash!, u.SecurityStamp!, u.ConcurrencyStamp! });
    }

    /// <summary>Text only the demo workspace holds: a knowledge question, a customer (added here), an Admin's e-mail, a version's comment.</summary>
    private static async Task<IEnumerable<string>> DemoSamplesAsync(HitlAppFactory app, Guid demo)
    {
        await using var scope = app.Services.ForTenant(demo);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var questions = await db.KnowledgeEntries.OrderBy(e => e.Question).Select(e => e.Question).Take(50).ToListAsync();
        var contact = new Contact { ChannelId = await db.Channels.Select(c => c.Id).FirstAsync(), Address = "34600000099", DisplayName = "Demo-only Wombat" };
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        var comment = await db.ConfigVersions.Where(v => v.Comment != null).Select(v => v.Comment!).FirstAsync();
        return [questions.First(q => !q.Contains('"') && q.Length > 20), contact.DisplayName, DemoUsers.Admin, DemoUsers.Manager, comment];
    }
}
