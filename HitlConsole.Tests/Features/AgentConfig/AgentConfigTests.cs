using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Features.AgentConfig.Sandbox;

namespace HitlConsole.Tests.Features.AgentConfig;

/// <summary>Configuration versions: save, conflict, restore, lock, export/import, and drafting with them — on both databases.</summary>
public sealed class AgentConfigTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<T> AsAdminAsync<T>(HitlAppFactory app, Func<IServiceProvider, Task<T>> work)
    {
        var tenant = await app.Services.DemoTenantIdAsync();
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        await using var scope = app.Services.ForTenant(tenant, admin);
        return await work(scope.ServiceProvider);
    }

    private static async Task<List<string>> AuditAsync(HitlAppFactory app, string prefix)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.IgnoreQueryFilters().Where(a => a.Action.StartsWith(prefix)).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_save_is_a_new_numbered_version_and_drafting_follows_the_newest(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var live = await AsAdminAsync(app, s => s.GetRequiredService<GetLiveConfig>().HandleAsync(default));
        Assert.Equal(1, live.Number); // the demo workspace starts with its initial configuration saved

        var doc = live.Document.Clone();
        doc.Identity.Tone = "formal and precise";
        doc.Guardrails.ForbiddenTopics.Add("cryptocurrency");
        doc.Thresholds.DraftTtlHours = 12;
        var saved = Assert.IsType<ConfigVersionResult.Saved>(await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(doc, 1, "More formal", default)));
        Assert.Equal(2, saved.Number);

        var versions = await AsAdminAsync(app, s => s.GetRequiredService<ListConfigVersions>().HandleAsync(default));
        Assert.Equal([2, 1], versions.Select(v => v.Number));
        Assert.Equal("More formal", versions[0].Comment);
        Assert.Equal("Ada Admin", versions[0].Author); // the author's name, not their e-mail
        Assert.Equal(["config.saved", "config.saved"], await AuditAsync(app, "config."));

        // The pipeline reads the new version: its forbidden topic blocks, its TTL reaches the expiry sweep, drafts carry its number.
        var tenant = await app.Services.DemoTenantIdAsync();
        var settings = await app.Services.GetRequiredService<IAgentSettingsProvider>().GetAsync(tenant, default);
        Assert.Equal(2, settings.ConfigVersion);
        Assert.Equal("formal and precise", settings.Tone);
        Assert.Equal(GuardrailClass.OutOfScope, settings.Guardrail.Scan("Can I pay with cryptocurrency?").Class);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(12, (await db.Tenants.SingleAsync(t => t.Id == tenant)).DraftTtlHours);

        // Saving the same document again is not a new version.
        Assert.IsType<ConfigVersionResult.Unchanged>(await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(doc, 2, null, default)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Two_admins_saving_from_the_same_version_never_overwrite_each_other(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var live = await AsAdminAsync(app, s => s.GetRequiredService<GetLiveConfig>().HandleAsync(default));
        var mine = live.Document.Clone();
        mine.Identity.Tone = "friendly and casual";
        var theirs = live.Document.Clone();
        theirs.Grounding.Sources = 5;

        // At the same moment: exactly one wins, the other is told who saved and what differs.
        var results = await Task.WhenAll(
            AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(mine, 1, "tone", default)),
            AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(theirs, 1, "sources", default)));
        Assert.Single(results.OfType<ConfigVersionResult.Saved>());
        var conflict = Assert.Single(results.OfType<ConfigVersionResult.Conflict>());
        Assert.Equal(2, conflict.Current.Number);
        Assert.Contains(conflict.Differences, d => d.Path is "identity.tone" or "grounding.sources");
        Assert.Equal(2, (await AsAdminAsync(app, s => s.GetRequiredService<ListConfigVersions>().HandleAsync(default))).Count);

        // The loser re-applies their change on top of the winner's version.
        Assert.IsType<ConfigVersionResult.Saved>(await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(
            results[0] is ConfigVersionResult.Saved ? theirs : mine, conflict.Current.Number, null, default)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Restore_creates_a_new_equal_version_lock_freezes_and_both_are_audited(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var original = (await AsAdminAsync(app, s => s.GetRequiredService<GetLiveConfig>().HandleAsync(default))).Document;
        var changed = original.Clone();
        changed.Identity.Tone = "neutral and brief";
        changed.Intents.RemoveAt(0);
        await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(changed, 1, null, default));

        var diff = ConfigDiff.Changes(original, changed);
        Assert.Contains(diff, d => d is { Path: "identity.tone", Left: "warm and concise", Right: "neutral and brief" });
        Assert.Contains(diff, d => d.Path.StartsWith($"intents.{original.Intents[0].Name}.") && d.Right is null);

        Assert.Equal(3, Assert.IsType<ConfigVersionResult.Saved>(await AsAdminAsync(app, s => s.GetRequiredService<RestoreConfigVersion>().HandleAsync(1, 2, default))).Number);
        var restored = await AsAdminAsync(app, s => s.GetRequiredService<GetConfigVersion>().HandleAsync(3, default));
        Assert.Empty(ConfigDiff.Changes(original, restored!));
        Assert.Equal(1, (await AsAdminAsync(app, s => s.GetRequiredService<ListConfigVersions>().HandleAsync(default)))[0].RestoredFrom);

        await AsAdminAsync(app, s => s.GetRequiredService<RenameConfigVersion>().HandleAsync(3, "Black Friday", default));
        await AsAdminAsync(app, s => s.GetRequiredService<LockConfigVersion>().HandleAsync(3, true, default));
        Assert.IsType<ConfigVersionResult.Frozen>(await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(changed, 3, null, default)));
        Assert.IsType<ConfigVersionResult.Frozen>(await AsAdminAsync(app, s => s.GetRequiredService<RenameConfigVersion>().HandleAsync(3, "Other", default)));
        await AsAdminAsync(app, s => s.GetRequiredService<LockConfigVersion>().HandleAsync(3, false, default));
        Assert.IsType<ConfigVersionResult.Saved>(await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(changed, 3, null, default)));

        Assert.Equal(["config.saved", "config.saved", "config.restored", "config.renamed", "config.locked", "config.unlocked", "config.saved"],
            await AuditAsync(app, "config."));
        Assert.Equal("Black Friday", (await AsAdminAsync(app, s => s.GetRequiredService<ListConfigVersions>().HandleAsync(default))).Single(v => v.Number == 3).Name);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Export_and_import_round_trip_and_bad_files_are_refused_with_a_reason(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var live = (await AsAdminAsync(app, s => s.GetRequiredService<GetLiveConfig>().HandleAsync(default))).Document;
        live.Identity.AssistantName = "Ana";
        await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(live, 1, null, default));
        var exported = (await AsAdminAsync(app, s => s.GetRequiredService<ExportAgentConfig>().HandleAsync(2, default)))!;
        Assert.Contains("\"assistantName\": \"Ana\"", exported);

        Assert.Equal(3, Assert.IsType<ConfigVersionResult.Saved>(
            await AsAdminAsync(app, s => s.GetRequiredService<RestoreConfigVersion>().HandleAsync(1, 2, default))).Number);
        var imported = Assert.IsType<ConfigVersionResult.Saved>(await AsAdminAsync(app, s => s.GetRequiredService<ImportAgentConfig>().HandleAsync(exported, "ana.json", 3, default)));
        Assert.Equal("Ana", (await AsAdminAsync(app, s => s.GetRequiredService<GetConfigVersion>().HandleAsync(imported.Number, default)))!.Identity.AssistantName);
        Assert.StartsWith("Imported from ana.json (version 2)", (await AsAdminAsync(app, s => s.GetRequiredService<ListConfigVersions>().HandleAsync(default)))[0].Comment);

        var unknown = exported.Replace("\"assistantName\"", "\"assistantNme\"");
        var refused = Assert.IsType<ConfigVersionResult.Invalid>(await AsAdminAsync(app, s => s.GetRequiredService<ImportAgentConfig>().HandleAsync(unknown, "typo.json", 4, default)));
        Assert.Contains("assistantNme", refused.Detail);
        Assert.IsType<ConfigVersionResult.Invalid>(await AsAdminAsync(app, s => s.GetRequiredService<ImportAgentConfig>().HandleAsync("{ not json", "broken.json", 4, default)));
        Assert.IsType<ConfigVersionResult.Invalid>(await AsAdminAsync(app, s => s.GetRequiredService<ImportAgentConfig>().HandleAsync("""{"format":"other","config":{}}""", "x.json", 4, default)));
        var badThresholds = exported.Replace("\"review\": 60", "\"review\": 95");
        var invalid = Assert.IsType<ConfigVersionResult.Invalid>(await AsAdminAsync(app, s => s.GetRequiredService<ImportAgentConfig>().HandleAsync(badThresholds, "t.json", 4, default)));
        Assert.Equal("ConfigErrorThresholdOrder", invalid.Errors["thresholds.review"]);
        Assert.Equal(4, (await AsAdminAsync(app, s => s.GetRequiredService<ListConfigVersions>().HandleAsync(default))).Count);

        // The download endpoint is for Admins only.
        var agent = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.NotEqual(HttpStatusCode.OK, (await agent.GetAsync("/agent-config/versions/2/export")).StatusCode);
        var admin = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        var download = await admin.GetAsync("/agent-config/versions/2/export");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(exported.Length > 0, (await download.Content.ReadAsStringAsync()).Contains("\"assistantName\": \"Ana\""));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Drafts_record_the_version_and_the_sandbox_answers_for_any_version(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var doc = (await AsAdminAsync(app, s => s.GetRequiredService<GetLiveConfig>().HandleAsync(default))).Document;
        doc.Guardrails.ForbiddenTopics.Add("lottery");
        doc.Guardrails.NeutralReplies["OutOfScope"]["en"] = "We only help with orders and accounts here.";
        await AsAdminAsync(app, s => s.GetRequiredService<SaveAgentConfig>().HandleAsync(doc, 1, null, default));

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", HitlAppFactory.SimulatorKey);
        async Task<JsonElement> SandboxAsync(object body) =>
            await (await client.PostAsJsonAsync(SandboxApi.Path, body)).Content.ReadFromJsonAsync<JsonElement>();

        var now = await SandboxAsync(new { text = "Did I win the lottery with my order?" });
        Assert.True(now.GetProperty("guardrail").GetProperty("blocked").GetBoolean());
        Assert.Equal("We only help with orders and accounts here.", now.GetProperty("reply").GetString());
        Assert.Equal(2, now.GetProperty("configVersion").GetInt32());

        var before = await SandboxAsync(new { text = "Did I win the lottery with my order?", version = 1 });
        Assert.False(before.GetProperty("guardrail").GetProperty("blocked").GetBoolean());
        Assert.Equal(1, before.GetProperty("configVersion").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(SandboxApi.Path, new { text = "hi", version = 99 })).StatusCode);

        // A real conversation's draft carries the version in force.
        await using var scope = app.Services.ForTenant(await app.Services.DemoTenantIdAsync());
        var chat = scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Channels.Simulator.SimulatorChat>();
        var conversationId = (await chat.SendAsCustomerAsync("+34600111222", "Rosa", "how do I track my parcel?", default))!.Value;
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var messageId = await db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).Select(m => m.Id).SingleAsync();
        await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(messageId, default);
        Assert.Equal(2, (await db.Drafts.IgnoreQueryFilters().SingleAsync(d => d.MessageId == messageId)).ConfigVersion);
    }

    [Fact]
    public void Validation_names_each_bad_field()
    {
        var doc = AgentConfigDocument.Default("Acme");
        Assert.Empty(ConfigValidator.Validate(doc));

        doc.Thresholds.Review = 90;
        doc.Thresholds.AutoSend = 80;
        doc.Thresholds.AutoSendDelaySeconds = -1;
        doc.Thresholds.DraftTtlHours = 0;
        doc.Identity.AssistantName = " ";
        doc.Identity.ReplyLanguage = "fr";
        doc.Grounding.Sources = 0;
        doc.Intents[1].Name = doc.Intents[0].Name.ToUpperInvariant();
        doc.Intents[2].Name = "has spaces";
        doc.Guardrails.NeutralReplies["Legal"]["en"] = "Please talk to your lawyer about this.";
        doc.Guardrails.ForbiddenTopics.Add("   ");

        var errors = ConfigValidator.Validate(doc);
        Assert.Equal("ConfigErrorThresholdOrder", errors["thresholds.review"]);
        Assert.Equal("ConfigErrorDelay", errors["thresholds.autoSendDelaySeconds"]);
        Assert.Equal("ConfigErrorTtl", errors["thresholds.draftTtlHours"]);
        Assert.Equal("ConfigErrorRequired60", errors["identity.assistantName"]);
        Assert.Equal("ConfigErrorReplyLanguage", errors["identity.replyLanguage"]);
        Assert.Equal("ConfigErrorSources", errors["grounding.sources"]);
        Assert.Equal("ConfigErrorIntentName", errors["intents[1].name"]); // upper case is not a valid intent name
        Assert.Equal("ConfigErrorIntentName", errors["intents[2].name"]);
        Assert.Equal("ConfigErrorNeutralEcho", errors["guardrails.neutralReplies.Legal.en"]);
        Assert.Equal("ConfigErrorList100", errors["guardrails.forbiddenTopics"]);

        var duplicate = AgentConfigDocument.Default("Acme");
        duplicate.Intents[1].Name = duplicate.Intents[0].Name;
        Assert.Equal("ConfigErrorIntentDuplicate", ConfigValidator.Validate(duplicate)["intents[1].name"]);
    }

    [Fact]
    public void Reordering_intents_is_not_a_change_but_editing_one_is()
    {
        var a = AgentConfigDocument.Default("Acme");
        var b = a.Clone();
        b.Intents.Reverse();
        Assert.Empty(ConfigDiff.Changes(a, b));
        b.Intents[0].Examples.Add("new phrase");
        var change = Assert.Single(ConfigDiff.Changes(a, b));
        Assert.Equal($"intents.{b.Intents[0].Name}.examples", change.Path);
        Assert.EndsWith("\nnew phrase", change.Right);
    }
}
