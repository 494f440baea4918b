using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Account;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.AgentConfig.Sandbox;
using HitlConsole.Features.Admin.Audit;
using HitlConsole.Features.Admin.Users;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.Settings;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Features.Models;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HitlConsole.Tests.Features.Platform;

/// <summary>
/// The product's isolation promise, proven on both databases: with two workspaces whose data overlaps (<see cref="IsolationWorld"/>),
/// no page, export, API, live event, search result or analytics figure of one shows anything of the other — also when ids are
/// guessed — and a job run for one never writes to the other. One arranged world per provider serves every test; tests that
/// change memberships use users of their own, and tests that change rows say which.
/// </summary>
public sealed class WorkspaceIsolationTests(IsolationFixture fixture, ITestOutputHelper output) : IClassFixture<IsolationFixture>
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private async Task<IsolationWorld> WorldAsync(DatabaseProvider provider)
    {
        var world = await fixture.WorldAsync(provider);
        output.WriteLine($"{provider}: world arranged in {world.ArrangeTime.TotalSeconds:F1} s ({string.Join(", ", world.Timings.Select(t => $"{t.Step} {t.At.TotalSeconds:F1}"))})");
        return world;
    }

    private const StringComparison Ignore = StringComparison.OrdinalIgnoreCase;

    private static void AssertShowsNone(IEnumerable<string> traces, string text, string where)
    {
        var found = traces.Where(t => t.Length > 0 && text.Contains(t, Ignore)).ToList();
        Assert.True(found.Count == 0, $"{where} shows {string.Join(", ", found)} of the other workspace: " + string.Join(" … ", found.Select(t =>
        {
            var at = text.IndexOf(t, Ignore);
            return text[Math.Max(0, at - 150)..Math.Min(text.Length, at + t.Length + 150)];
        })));
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Pages

    /// <summary>Every routable page of the app (its <c>@page</c> directives), with the route parameters filled in.</summary>
    private static IReadOnlyList<string> Pages(Guid conversation)
    {
        var templates = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), inherit: false).Cast<RouteAttribute>())
            .Select(r => r.Template).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains("/inbox/{ConversationId:guid}", templates);
        return templates.Select(t => t switch
        {
            "/inbox/{ConversationId:guid}" => $"/inbox/{conversation}",
            _ when t.Contains('{') => throw new InvalidOperationException($"The isolation suite does not know how to fill the route {t}: add it to Pages()."),
            _ => t,
        }).ToList();
    }

    /// <summary>The pages with the query values a person follows from elsewhere (drill-downs, links from sources, shared views).</summary>
    private static IReadOnlyList<string> PagesWithQueries(IsolationWorld w, Guid conversation) =>
    [
        .. Pages(conversation),
        $"/knowledge?search={Uri.EscapeDataString(w.SharedQuestion)}",
        "/agent-config/versions?show=1",
        $"/inbox?intent=cancel_order&from={w.From:yyyy-MM-dd}&to={w.To:yyyy-MM-dd}",
        $"/analytics?range=custom&from={w.From:yyyy-MM-dd}&to={w.To:yyyy-MM-dd}",
    ];

    private async Task<Dictionary<string, string>> OpenAllAsync(IsolationWorld w, IsolationWorld.Session session, IEnumerable<string> paths)
    {
        var pages = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            var response = await session.Client.GetAsync(path);
            Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode} for {session.Email}.");
            pages[path] = await response.ReadPageAsync();
        }
        return pages;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task No_page_of_the_demo_workspace_shows_anything_of_B_to_an_Admin_a_Manager_or_an_Agent(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // The Agent is the user who is also B's Admin: the strongest case, the one whose memberships reach into B.
        foreach (var name in new[] { "demo-admin", "demo-manager", "shared-demo" })
        {
            var session = await w.SessionAsync(name);
            var pages = await OpenAllAsync(w, session, PagesWithQueries(w, w.DemoConversation));
            foreach (var (path, html) in pages)
            {
                AssertShowsNone(w.BTraces, html, $"{path} for {session.Email} in demo");
                // The one belonging to B may later see B's name in a workspace menu; nobody else may learn B exists.
                // The demo Admin is also the platform operator, whose workspaces page lists every workspace by name.
                var operatorsOwnPage = name == "demo-admin" && path.StartsWith("/platform/", StringComparison.Ordinal);
                if (name != "shared-demo" && !operatorsOwnPage)
                    AssertShowsNone([IsolationWorld.BName, w.B.ToString()], html, $"{path} for {session.Email}");
            }
            Assert.Contains($">{HitlConsole.Features.Demo.DemoOptions.TenantName}<", pages["/"]);
            if (name != "demo-manager")
            {
                // The pages are not empty: they do show the workspace's own rows (so "nothing of B" is not "nothing at all").
                Assert.Contains(IsolationWorld.DemoMarker, pages["/inbox"]);
                Assert.Contains($"{IsolationWorld.DemoMarker} pending draft text", pages[$"/inbox/{w.DemoConversation}"]);
            }
        }
        output.WriteLine($"{provider}: {3 * PagesWithQueries(w, w.DemoConversation).Count} page views in {watch.ElapsedMilliseconds} ms");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task After_switching_to_B_every_page_shows_B_and_nothing_of_the_demo_workspace(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        foreach (var name in new[] { "shared-b", "b-only" })
        {
            var session = await w.SessionAsync(name);
            var pages = await OpenAllAsync(w, session, PagesWithQueries(w, w.BConversation));
            foreach (var (path, html) in pages)
            {
                AssertShowsNone(w.DemoTraces, html, $"{path} for {session.Email} in B");
                if (name == "b-only") AssertShowsNone([HitlConsole.Features.Demo.DemoOptions.TenantName, w.Demo.ToString()], html, path);
            }
            Assert.Contains($">{IsolationWorld.BName}<", pages["/"]);
            Assert.Contains($"Bruno {IsolationWorld.BMarker}", pages["/inbox"]);
            Assert.Contains($"{IsolationWorld.BMarker} pending draft text", pages[$"/inbox/{w.BConversation}"]);
            if (name != "shared-b") continue;
            // B's Admin sees B's configuration, versions, models, channels and people.
            Assert.Contains($"{IsolationWorld.BMarker} Business", pages["/agent-config"]);
            Assert.Contains($"{IsolationWorld.BMarker} brief", pages["/agent-config/versions"]);
            Assert.Contains($"{IsolationWorld.BMarker} model", pages["/agent-config/models"]);
            Assert.Contains($"{IsolationWorld.BMarker} WhatsApp", pages["/agent-config/channels"]);
            Assert.Contains($"Bea {IsolationWorld.BMarker}", pages["/admin/users"]);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_user_switches_only_to_a_workspace_they_belong_to(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var admin = await w.SignInAsync(DemoUsers.Admin);
        var refused = await w.SwitchAsync(admin, w.B); // B's id, guessed or copied from a colleague's browser
        Assert.False(refused.StatusCode == HttpStatusCode.Redirect && refused.RedirectPath() == "/", $"the switch answered {(int)refused.StatusCode}");
        var home = await admin.Client.GetPageAsync("/");
        Assert.Contains($">{HitlConsole.Features.Demo.DemoOptions.TenantName}<", home);
        AssertShowsNone([.. w.BTraces, IsolationWorld.BName], await admin.Client.GetPageAsync("/inbox"), "the inbox after a refused switch");
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Guessed ids

    [Theory, MemberData(nameof(Providers))]
    public async Task Bs_ids_in_every_url_that_takes_one_answer_not_found_or_nothing_for_a_demo_session(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var (from, to) = ($"{w.From:yyyy-MM-dd}", $"{w.To:yyyy-MM-dd}");
        foreach (var name in new[] { "demo-admin", "demo-manager", "shared-demo" })
        {
            var client = (await w.SessionAsync(name)).Client;
            foreach (var path in new[]
                     {
                         $"/inbox/{w.BConversation}", $"/inbox/{w.BStaleConversation}", $"/inbox/{w.BWaConversation}",
                         $"/inbox?intent={IsolationWorld.BIntent}&from={from}&to={to}",
                         $"/agent-config/versions?show={w.BOnlyConfigVersion}",
                         $"/analytics?version={w.BOnlyConfigVersion}&channel={w.BSimChannel}&agent={w.BOnlyUserId}&intent={IsolationWorld.BIntent}",
                         $"/knowledge?search={IsolationWorld.BMarker}",
                     })
            {
                var response = await client.GetAsync(path);
                var html = await response.ReadPageAsync();
                AssertShowsNone(w.BTraces.Where(t => !path.Contains(t, Ignore)), html, $"{path} for {name}");
                Assert.DoesNotContain("data-testid=\"conversation-customer\"", html);
            }
        }

        var admin = (await w.SessionAsync("demo-admin")).Client;
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/agent-config/versions/{w.BOnlyConfigVersion}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/knowledge/imports/{w.BImport}/report.csv")).StatusCode);
        // Demo's own version 1 exports demo's configuration, never B's version 1.
        var own = await admin.GetStringAsync("/agent-config/versions/1/export");
        AssertShowsNone(w.BTraces, own, "demo's version 1 export");

        // Analytics filtered by B's channel, agent or version: exactly what a channel, agent or version that exists nowhere gives.
        var manager = (await w.SessionAsync("demo-manager")).Client;
        var nowhere = await w.AnalyticsExportsAsync(manager, $"&channel={Guid.NewGuid()}&agent={Guid.NewGuid()}&version=999");
        var guessed = await w.AnalyticsExportsAsync(manager, $"&channel={w.BSimChannel}&agent={w.BOnlyUserId}&version={w.BOnlyConfigVersion}");
        Assert.Equal(nowhere, guessed);
        Assert.Equal(await w.AnalyticsExportsAsync(manager, $"&intent=nothing-by-this-name"), await w.AnalyticsExportsAsync(manager, $"&intent={IsolationWorld.BIntent}"));

        // The sandbox API with demo's key and a version only B has.
        using var sandbox = SandboxRequest(w, HitlAppFactory.SimulatorKey, w.SharedQuestion, w.BOnlyConfigVersion);
        var answer = await w.App.CreateClient().SendAsync(sandbox);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        AssertShowsNone(w.BTraces, await answer.Content.ReadAsStringAsync(), "the sandbox's answer");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bs_ids_handed_to_every_handler_a_demo_console_calls_change_nothing_of_B_and_reveal_nothing(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var before = await TenantSnapshot.TakeAsync(w.Services, w.B);
        var graphCalls = w.Graph.Requests.Count;
        await using (var scope = w.Services.ForTenant(w.Demo, w.DemoAdminId))
        {
            var sp = scope.ServiceProvider;
            var review = sp.GetRequiredService<ReviewDraft>();
            foreach (var draft in new[] { w.BPendingDraft, w.BStaleDraft })
            {
                Assert.IsType<ReviewDraft.Result.NotFound>(await review.ApproveAsync(draft, 1, null, default));
                Assert.IsType<ReviewDraft.Result.NotFound>(await review.ApproveAsync(draft, 1, "edited by demo", default));
                Assert.IsType<ReviewDraft.Result.NotFound>(await review.RejectAsync(draft, 1, "rejected by demo", default));
                Assert.IsType<ReviewDraft.Result.NotFound>(await review.CloseAsHandledAsync(draft, 1, "closed by demo", default));
                Assert.IsType<ReviewDraft.Result.NotFound>(await review.ReleaseGuardrailAsync(draft, 1, default));
                Assert.IsType<ReviewDraft.Result.NotFound>(await review.RetryFailedAsync(draft, default));
                Assert.IsType<ReviewDraft.Result.NotFound>(await review.RegenerateAsync(draft, 1, default, "shorter"));
                var leases = sp.GetRequiredService<DraftLeases>();
                Assert.IsType<DraftLeases.Result.NotPending>(await leases.ClaimAsync(draft, takeOver: true, default));
                Assert.False(await leases.RenewAsync(draft, default));
                await leases.ReleaseAsync(draft, default);
            }
            Assert.IsType<ReviewDraft.Result.NotFound>(await review.SendOwnReplyAsync(w.BConversation, "written in demo", default));
            Assert.IsType<ReviewDraft.Result.NotFound>(await review.SendOwnReplyAsync(w.BWaConversation, "written in demo", default));

            var update = sp.GetRequiredService<UpdateConversation>();
            Assert.False(await update.SetAiModeAsync(w.BConversation, AiMode.Off, default));
            Assert.False(await update.SetPinnedAsync(w.BConversation, true, default));
            Assert.False(await update.SetStatusAsync(w.BConversation, ConversationStatus.Archived, default));
            Assert.Null(await sp.GetRequiredService<GetConversation>().HandleAsync(w.BConversation, default));
            Assert.Empty(await sp.GetRequiredService<SimulatorChat>().TranscriptAsync(w.BConversation, default));

            var knowledge = sp.GetRequiredService<ManageKnowledge>();
            Assert.Null(await knowledge.GetAsync(w.BEntryId, default));
            Assert.IsType<ManageKnowledge.Result.NotFound>(await knowledge.UpdateAsync(w.BEntryId, 0,
                new KnowledgeInput { Question = "changed by demo", Answer = "changed by demo" }, default));
            Assert.Equal(0, await knowledge.SetActiveAsync([w.BEntryId], false, default));
            Assert.Equal(0, await knowledge.DeleteAsync([w.BEntryId], default));

            Assert.Null(await sp.GetRequiredService<GetConfigVersion>().HandleAsync(w.BOnlyConfigVersion, default));
            Assert.Null(await sp.GetRequiredService<ExportAgentConfig>().HandleAsync(w.BOnlyConfigVersion, default));
            Assert.IsType<ConfigVersionResult.NotFound>(await sp.GetRequiredService<RestoreConfigVersion>().HandleAsync(w.BOnlyConfigVersion, null, default));
            Assert.IsType<ConfigVersionResult.NotFound>(await sp.GetRequiredService<RenameConfigVersion>().HandleAsync(w.BOnlyConfigVersion, "renamed by demo", default));
            Assert.IsType<ConfigVersionResult.NotFound>(await sp.GetRequiredService<LockConfigVersion>().HandleAsync(w.BOnlyConfigVersion, true, default));
            AssertShowsNone(w.BTraces, JsonSerializer.Serialize(await sp.GetRequiredService<ListConfigVersions>().HandleAsync(default)), "demo's version list");

            var models = sp.GetRequiredService<ModelProfiles>();
            Assert.False(await models.DeleteAsync(w.BModelProfile, default));
            Assert.Equal(["ModelErrorGone"], (await models.SaveAsync(w.BModelProfile, new ModelProfileInput { Name = "renamed by demo", Kind = ModelProviderKind.BuiltIn }, default)).Values);
            AssertShowsNone(w.BTraces, JsonSerializer.Serialize(await models.ListAsync(default)), "demo's model profiles");
            AssertShowsNone(w.BTraces, JsonSerializer.Serialize(await sp.GetRequiredService<ManageChannels>().ListAsync(default)), "demo's channels");

            var channels = sp.GetRequiredService<ManageChannels>();
            Assert.Null(await channels.RegenerateSimulatorKeyAsync(w.BSimChannel, default));
            Assert.IsType<HitlConsole.Features.Channels.WhatsApp.SendResult.Failed>(await channels.SendTestAsync(w.BWaChannel, "34600000000", "from demo", default));
            Assert.Equal(["ChannelErrorGone"], (await channels.SaveWhatsAppAsync(w.BWaChannel, new WhatsAppChannelInput
            {
                Name = "taken over by demo", PhoneNumberId = "300000000000003", GraphBaseUrl = w.Graph.BaseUrl, GraphVersion = "v21.0",
            }, default)).Values);

            var imports = sp.GetRequiredService<StartImport>();
            Assert.Null(await imports.GetAsync(w.BImport, default));
            Assert.IsType<StartImport.QueueResult.Invalid>(await imports.QueueAsync(w.BImport,
                new ColumnMapping(new Dictionary<KnowledgeField, string> { [KnowledgeField.Question] = "question", [KnowledgeField.Answer] = "answer" }),
                ImportMode.Replace, null, "en", default, enqueue: false));
            await imports.RequestCancelAsync(w.BImport, default);

            // What the circuit-only parts of the console read (the audit table, the inbox badge, the simulator's contact list).
            var audit = sp.GetRequiredService<GetAuditLog>();
            AssertShowsNone(w.BTraces, JsonSerializer.Serialize((await audit.HandleAsync(new GetAuditLog.Filter(Search: $"{IsolationWorld.BMarker}-entity"), 0, 200, default)).Rows),
                "demo's audit table searched for B's entity");
            Assert.Empty((await audit.HandleAsync(new GetAuditLog.Filter(UserId: w.BOnlyUserId), 0, 200, default)).Rows);
            var alerts = await sp.GetRequiredService<GetInboxAlerts>().HandleAsync(default);
            await using (var db = await IsolationWorld.Factory(scope).CreateDbContextAsync())
            {
                // The badge counts conversations, as the lanes do: the demo's own, read here without the workspace filter.
                async Task<int> OwnWith(params DraftState[] states) => await (
                    from d in db.Drafts.IgnoreQueryFilters() where d.TenantId == w.Demo && states.Contains(d.State)
                    join c in db.Conversations.IgnoreQueryFilters() on d.ConversationId equals c.Id
                    where c.Status != ConversationStatus.Archived select d.ConversationId).Distinct().CountAsync();
                var awaiting = await HitlConsole.Features.Inbox.AwaitingReply.Conversations(db, DateTime.UtcNow.AddDays(-30)).CountAsync();
                Assert.True(await OwnWith(DraftState.Pending) > 0);
                Assert.Equal(await OwnWith(DraftState.Pending) + awaiting, alerts.Review);
                Assert.Equal(await OwnWith(DraftState.Blocked, DraftState.Failed), alerts.Blocked);
            }
            Assert.DoesNotContain(await sp.GetRequiredService<SimulatorChat>().SearchContactsAsync(null, 10_000, default), c => c.Name?.Contains(IsolationWorld.BMarker) == true);

            var users = sp.GetRequiredService<ManageUsers>();
            Assert.IsType<ManageUsers.Result.NotFound>(await users.SetRoleAsync(w.BOnlyUserId, Roles.Admin, default));
            Assert.IsType<ManageUsers.Result.NotFound>(await users.SetDisabledAsync(w.BOnlyUserId, true, default));
            Assert.IsType<ManageUsers.Result.NotFound>(await users.ResetPasswordAsync(w.BOnlyUserId, "Hijacked2026x", default));
        }
        Assert.Equal(graphCalls, w.Graph.Requests.Count); // no test message went out through B's number
        var after = await TenantSnapshot.TakeAsync(w.Services, w.B);
        Assert.True(after.DifferencesFrom(before).Length == 0, "B changed:\n" + after.DifferencesFrom(before));
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Exports

    [Theory, MemberData(nameof(Providers))]
    public async Task Exports_of_each_workspace_hold_its_own_rows_and_nothing_of_the_other(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var exports = new[]
        {
            "/knowledge/export?format=csv", "/knowledge/export?format=json",
            $"/knowledge/export?format=csv&search={Uri.EscapeDataString(w.SharedQuestion)}",
            $"/knowledge/export?format=json&search={Uri.EscapeDataString(IsolationWorld.BMarker)}&intent=cancel_order",
            "/admin/audit/export", $"/admin/audit/export?search={IsolationWorld.BMarker}-entity",
            "/agent-config/versions/1/export",
        };

        var demo = (await w.SessionAsync("demo-admin")).Client;
        var demoFiles = new Dictionary<string, string>();
        foreach (var path in exports) demoFiles[path] = await ReadOkAsync(demo, path);
        foreach (var (path, body) in demoFiles) AssertShowsNone(w.BTraces, path.StartsWith("/admin/audit") ? WithoutOwnRequests(body) : body, $"demo's {path}");
        using (var json = JsonDocument.Parse(demoFiles["/knowledge/export?format=json"]))
            Assert.Equal(HitlAppFactory.DemoKnowledgeEntries, json.RootElement.GetArrayLength()); // demo's entries exactly, B's two not among them
        Assert.Contains(w.DemoOnlyQuestion, demoFiles["/knowledge/export?format=csv"]);
        Assert.Contains("config.", demoFiles["/admin/audit/export"]);

        // Every analytics chart: no B intent, and every number as it was before B existed.
        var manager = (await w.SessionAsync("demo-manager")).Client;
        var charts = await w.AnalyticsExportsAsync(manager);
        foreach (var (chart, csv) in charts)
        {
            AssertShowsNone(w.BTraces, csv, $"demo's {chart} export");
            Assert.Equal(w.DemoExportsBefore[chart], csv);
        }
        Assert.Contains("track_order", charts["intent-share"]);

        var b = (await w.SessionAsync("shared-b")).Client;
        var bFiles = new Dictionary<string, string>();
        foreach (var path in exports) bFiles[path] = await ReadOkAsync(b, path);
        foreach (var (path, body) in bFiles) AssertShowsNone([.. w.DemoTraces, w.DemoOnlyQuestion, "Initial configuration"], body, $"B's {path}");
        using (var json = JsonDocument.Parse(bFiles["/knowledge/export?format=json"]))
            Assert.All(json.RootElement.EnumerateArray(), e => Assert.Contains(IsolationWorld.BMarker, e.ToString()));
        Assert.Contains(IsolationWorld.BMarker, bFiles[$"/knowledge/export?format=csv&search={Uri.EscapeDataString(w.SharedQuestion)}"]);
        Assert.Contains($"{IsolationWorld.BMarker}-entity", bFiles["/admin/audit/export"]);
        Assert.Contains($"{IsolationWorld.BMarker} Business", bFiles["/agent-config/versions/1/export"]);
        var bCharts = await w.AnalyticsExportsAsync(b);
        Assert.Contains(IsolationWorld.BIntent, bCharts["intent-share"]);
    }

    /// <summary>
    /// Demo's audit log records the ids a demo Admin asked to change in bulk, whether or not they exist (the guessed-ids test
    /// asks for B's): such a row holds nothing of B but the id the Admin typed, and says nothing was changed.
    /// </summary>
    private static string WithoutOwnRequests(string csv) => string.Join("\n", csv.Split('\n').Where(line =>
        !(line.Contains(",knowledge.", StringComparison.Ordinal) && line.Contains(",admin@demo.local,", StringComparison.Ordinal)
          && line.Contains("\"\"Count\"\":0,", StringComparison.Ordinal))));

    private static async Task<string> ReadOkAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}.");
        return await response.Content.ReadAsStringAsync();
    }

    // -------------------------------------------------------------------------------------------------------------------
    // APIs

    private static HttpRequestMessage SandboxRequest(IsolationWorld w, string key, string text, int? version = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SandboxApi.Path) { Content = JsonContent.Create(new { text, version }) };
        request.Headers.Add(SimulatorApi.KeyHeader, key);
        return request;
    }

    private static async Task<HashSet<Guid>> EntryIdsAsync(IsolationWorld w, Guid tenant)
    {
        await using var scope = w.Services.ForTenant(tenant);
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        return (await db.KnowledgeEntries.Select(e => e.Id).ToListAsync()).ToHashSet();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_sandbox_api_grounds_each_workspaces_key_on_that_workspaces_knowledge_only(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var client = w.App.CreateClient();
        var (demoEntries, bEntries) = (await EntryIdsAsync(w, w.Demo), await EntryIdsAsync(w, w.B));

        using var demoRequest = SandboxRequest(w, HitlAppFactory.SimulatorKey, w.SharedQuestion);
        var demo = await client.SendAsync(demoRequest);
        Assert.Equal(HttpStatusCode.OK, demo.StatusCode);
        var demoBody = await demo.Content.ReadAsStringAsync();
        var demoSources = Sources(demoBody);
        Assert.NotEmpty(demoSources);
        Assert.All(demoSources, id => Assert.Contains(id, demoEntries));
        Assert.Contains(w.DemoSharedEntryId, demoSources);
        AssertShowsNone(w.BTraces, demoBody, "demo's sandbox draft");

        using var bRequest = SandboxRequest(w, IsolationWorld.BSimulatorKey, w.SharedQuestion);
        var b = await client.SendAsync(bRequest);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        var bBody = await b.Content.ReadAsStringAsync();
        var bSources = Sources(bBody);
        Assert.Contains(w.BEntryId, bSources);
        Assert.All(bSources, id => Assert.Contains(id, bEntries));
        Assert.Contains(IsolationWorld.BMarker, bBody); // grounded on B's answer to the same question
        AssertShowsNone(w.DemoTraces, bBody, "B's sandbox draft");
    }

    private static List<Guid> Sources(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Deliveries_for_Bs_channels_land_in_B_only_and_a_channels_secret_opens_no_other_workspace(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var client = w.App.CreateClient();
        var demoBefore = await TenantSnapshot.TakeAsync(w.Services, w.Demo);
        var run = Guid.NewGuid().ToString("N")[..8];

        // Signed with B's secret, for B's number, from the customer number demo also has: B's conversation with that customer.
        var ok = await client.PostSignedAsync(WhatsAppSender.Notification(
            [WhatsAppSender.TextMessage($"wamid.B.{run}", $"{IsolationWorld.BMarker} via webhook", from: IsolationWorld.SharedWaId)],
            phoneNumberId: IsolationWorld.BPhoneNumberId, name: $"Berta {IsolationWorld.BMarker}", waId: IsolationWorld.SharedWaId), IsolationWorld.BAppSecret);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        // B's number signed with demo's secret, and demo's number signed with B's secret: acknowledged, stored nowhere.
        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage($"wamid.X1.{run}", "forged into B", from: IsolationWorld.SharedWaId)],
            phoneNumberId: IsolationWorld.BPhoneNumberId, waId: IsolationWorld.SharedWaId), HitlAppFactory.AppSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage($"wamid.X2.{run}", "forged into demo", from: IsolationWorld.SharedWaId)],
            phoneNumberId: HitlAppFactory.PhoneNumberId, waId: IsolationWorld.SharedWaId), IsolationWorld.BAppSecret)).StatusCode);
        // A delivery receipt through B's number for demo's outbound wamid moves nothing in demo.
        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(WhatsAppSender.Notification(statuses:
            [new { id = IsolationWorld.DemoOutboundWamid, status = "read", timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(), recipient_id = IsolationWorld.SharedWaId }],
            phoneNumberId: IsolationWorld.BPhoneNumberId), IsolationWorld.BAppSecret)).StatusCode);
        // The simulator API with B's key, from the same customer number.
        using var simulated = new HttpRequestMessage(HttpMethod.Post, SimulatorApi.Path)
            { Content = JsonContent.Create(new { from = IsolationWorld.SharedPhone, text = $"{IsolationWorld.BMarker} via simulator {run}" }) };
        simulated.Headers.Add(SimulatorApi.KeyHeader, IsolationWorld.BSimulatorKey);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(simulated)).StatusCode);

        await using (var scope = w.Services.CreateAsyncScope())
        await using (var db = await IsolationWorld.Factory(scope).CreateDbContextAsync())
        {
            var stored = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId!.EndsWith(run) || m.Text!.EndsWith(run)).ToListAsync();
            Assert.Equal(2, stored.Count);
            Assert.All(stored, m => Assert.Equal(w.B, m.TenantId));
            Assert.Contains(stored, m => m.ConversationId == w.BWaConversation);
            Assert.Contains(stored, m => m.ConversationId == w.BConversation);
            Assert.False(await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.Text == "forged into B" || m.Text == "forged into demo"));
            Assert.Equal(DeliveryState.Sent, await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == IsolationWorld.DemoOutboundWamid)
                .Select(m => m.DeliveryState).SingleAsync());
        }
        await SettleOutboxAsync(w);
        var demoAfter = await TenantSnapshot.TakeAsync(w.Services, w.Demo);
        Assert.True(demoAfter.DifferencesFrom(demoBefore).Length == 0, "demo changed:\n" + demoAfter.DifferencesFrom(demoBefore));
    }

    /// <summary>Waits until the draft outbox has claimed every stored message (its one write to a message after the webhook's).</summary>
    private static Task SettleOutboxAsync(IsolationWorld w) => Eventually.GetAsync(async () =>
    {
        await using var scope = w.Services.CreateAsyncScope();
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        return await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.AwaitingDraft && (m.DraftDispatchedUtc == null || m.DraftJobId == null)) ? null : "settled";
    }, 20, "the outbox to claim every waiting message");

    // -------------------------------------------------------------------------------------------------------------------
    // Search

    [Theory, MemberData(nameof(Providers))]
    public async Task Knowledge_search_in_demo_never_returns_Bs_entry_even_for_the_identical_question(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var (demoEntries, bEntries) = (await EntryIdsAsync(w, w.Demo), await EntryIdsAsync(w, w.B));
        foreach (var (tenant, own, other) in new[] { (w.Demo, demoEntries, bEntries), (w.B, bEntries, demoEntries) })
        {
            await using var scope = w.Services.ForTenant(tenant);
            var sp = scope.ServiceProvider;
            var search = sp.GetRequiredService<KnowledgeSearch>();
            foreach (var text in new[] { w.SharedQuestion, $"{IsolationWorld.BMarker} store open", "cancel my order" })
            {
                var hits = await search.SearchAsync(tenant, text, "en", 20, default);
                Assert.All(hits, h => Assert.Contains(h.Id, own));
                var ranked = await search.RankIdsAsync(tenant, text, "en", 1000, default);
                Assert.All(ranked, id => Assert.DoesNotContain(id, other));
                await using var db = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
                Assert.All(await LexicalSearch.SearchAsync(db, tenant, text, 200, default, includeInactive: true), h => Assert.DoesNotContain(h.Id, other));
            }

            // The grid the knowledge page shows, searching and filtering, and its filter choices.
            var grid = sp.GetRequiredService<GetKnowledgePage>();
            foreach (var filter in new GetKnowledgePage.Filter[] { new(w.SharedQuestion), new(IsolationWorld.BMarker), new(Intent: "cancel_order"), new(Intent: IsolationWorld.BIntent) })
            {
                var page = await grid.HandleAsync(new(filter, null, false, 0, 200), default);
                Assert.All(page.Rows, r => Assert.Contains(r.Id, own));
            }
            var facets = await grid.FacetsAsync(default);
            var first = (await grid.HandleAsync(new(new GetKnowledgePage.Filter(w.SharedQuestion), null, false, 0, 5), default)).Rows;
            if (tenant == w.Demo)
            {
                Assert.Equal(w.DemoSharedEntryId, first[0].Id);
                Assert.DoesNotContain(IsolationWorld.BIntent, facets.Intents);
                }
            else
            {
                Assert.Equal(w.BEntryId, first[0].Id);
                Assert.Equal(new[] { IsolationWorld.BIntent, "cancel_order" }.Order(StringComparer.Ordinal), facets.Intents.Order(StringComparer.Ordinal).ToArray());
            }
        }

        // Retrieval for a draft in demo (what the model is given) cites demo's entry for the question both have.
        await using var demoScope = w.Services.ForTenant(w.Demo);
        var retrieval = await demoScope.ServiceProvider.GetRequiredService<KnowledgeSearch>().SearchAsync(w.Demo, w.SharedQuestion, "en", 5, default);
        Assert.Equal(w.DemoSharedEntryId, retrieval[0].Id);
        AssertShowsNone(w.BTraces, JsonSerializer.Serialize(retrieval), "demo's retrieval");
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Analytics

    [Theory, MemberData(nameof(Providers))]
    public async Task Demo_analytics_are_the_same_before_and_after_B_and_its_summary_exist(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        // The summary job as it runs: every workspace, one after the other.
        await using (var scope = w.Services.CreateAsyncScope())
            await ActivatorUtilities.CreateInstance<SummariseAnalyticsJob>(scope.ServiceProvider).RunAsync(default);

        var now = await w.DescribeAnalyticsAsync(w.Demo);
        Assert.Equal(w.DemoAnalyticsBefore, now);
        Assert.Contains("track_order", now);
        Assert.DoesNotContain(IsolationWorld.BIntent, now);
        var b = await w.DescribeAnalyticsAsync(w.B);
        Assert.Contains(IsolationWorld.BIntent, b); // B's figures exist and differ: the comparison above could fail
        Assert.NotEqual(now, b);

        // The page's other lists: channels and agents to filter by.
        await using var demo = w.Services.ForTenant(w.Demo);
        var channels = await demo.ServiceProvider.GetRequiredService<ListAnalyticsChannels>().HandleAsync(default);
        Assert.Equal(new[] { w.DemoSimChannel, w.DemoWaChannel }.Order(), channels.Select(c => c.Id).Order());
        var agents = await demo.ServiceProvider.GetRequiredService<ListUsers>().HandleAsync(default);
        Assert.DoesNotContain(agents, u => u.Id == w.BOnlyUserId);
        Assert.Equal(Roles.Agent, agents.Single(u => u.Id == w.SharedUserId).Role); // the shared user with demo's role, not B's
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Live events

    [Theory, MemberData(nameof(Providers))]
    public async Task A_demo_live_subscriber_hears_nothing_when_Bs_conversations_change(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var feed = w.Services.GetRequiredService<LiveFeed>();
        var (demoEvents, bEvents) = (new List<LiveEvent>(), new List<LiveEvent>());
        using var demoSub = feed.Subscribe(w.Demo, e => { lock (demoEvents) demoEvents.Add(e); return Task.CompletedTask; });
        using var bSub = feed.Subscribe(w.B, e => { lock (bEvents) bEvents.Add(e); return Task.CompletedTask; });
        var client = w.App.CreateClient();
        var run = Guid.NewGuid().ToString("N")[..8];

        // B's customer (the number demo also has) writes; B's console pins and unpins the conversation; a presence appears in B.
        using (var request = new HttpRequestMessage(HttpMethod.Post, SimulatorApi.Path)
                   { Content = JsonContent.Create(new { from = IsolationWorld.SharedPhone, text = $"{IsolationWorld.BMarker} live {run}" }) })
        {
            request.Headers.Add(SimulatorApi.KeyHeader, IsolationWorld.BSimulatorKey);
            Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);
        }
        await using (var scope = w.Services.ForTenant(w.B, w.SharedUserId))
        {
            var update = scope.ServiceProvider.GetRequiredService<UpdateConversation>();
            Assert.True(await update.SetPinnedAsync(w.BConversation, true, default));
            Assert.True(await update.SetPinnedAsync(w.BConversation, false, default));
        }
        var presence = w.Services.GetRequiredService<PresenceTracker>();
        presence.Set($"circuit-{run}", new Presence(w.B, w.SharedUserId, IsolationWorld.SharedName, w.BConversation, $"Bruno {IsolationWorld.BMarker}", DateTime.UtcNow));
        try
        {
            Assert.DoesNotContain(presence.Online(w.Demo), p => p.TenantId == w.B || p.ConversationId == w.BConversation);
            Assert.Contains(presence.Online(w.B), p => p.ConversationId == w.BConversation);

            // Then demo's customer writes. Each subscriber's queue is first in, first out and B's events were published first, so
            // by the time demo's own event arrives, any B event handed to demo would already be there.
            using (var request = new HttpRequestMessage(HttpMethod.Post, SimulatorApi.Path)
                       { Content = JsonContent.Create(new { from = IsolationWorld.SharedPhone, text = $"{IsolationWorld.DemoMarker} live {run}" }) })
            {
                request.Headers.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
                Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);
            }
            await Eventually.GetAsync(() => Task.FromResult(Snapshot(demoEvents).Any(e => e.Kind == LiveEventKind.MessageReceived) ? "seen" : null), 10, "demo's own event");
            await Eventually.GetAsync(() => Task.FromResult(Snapshot(bEvents).Count(e => e.ConversationId == w.BConversation) >= 3 ? "seen" : null), 10, "B's events");

            if (provider == DatabaseProvider.Postgres) await CrossInstanceEventAsync(w, bEvents);

            var heard = Snapshot(demoEvents);
            Assert.All(heard, e => Assert.Equal(w.Demo, e.TenantId));
            Assert.DoesNotContain(heard, e => e.ConversationId == w.BConversation || e.Kind == LiveEventKind.PresenceChanged && e.Payload is PresenceNote { Presence.TenantId: var t } && t == w.B);
            Assert.Contains(heard, e => e.ConversationId == w.DemoConversation);
        }
        finally
        {
            presence.Remove($"circuit-{run}");
        }
        await SettleOutboxAsync(w);
    }

    private static List<LiveEvent> Snapshot(List<LiveEvent> events)
    {
        lock (events) return [.. events];
    }

    /// <summary>An event for B arriving from another instance (PostgreSQL NOTIFY) reaches B's subscribers on this one, not demo's.</summary>
    private static async Task CrossInstanceEventAsync(IsolationWorld w, List<LiveEvent> bEvents)
    {
        var marker = Guid.NewGuid();
        var payload = JsonSerializer.Serialize(new { Origin = "another-instance", Event = new LiveEvent(w.B, LiveEventKind.DraftChanged, marker) },
            LiveEventJson.Options);
        await using var connection = new Npgsql.NpgsqlConnection(w.App.Database.ConnectionString);
        await connection.OpenAsync();
        await Eventually.GetAsync(async () =>
        {
            // The bridge may still be connecting its listener: notify again until B's subscriber has it.
            await using var notify = new Npgsql.NpgsqlCommand($"SELECT pg_notify('{PostgresLiveBridge.ChannelName}', @p)", connection);
            notify.Parameters.AddWithValue("p", payload);
            await notify.ExecuteNonQueryAsync();
            await Task.Delay(200);
            return Snapshot(bEvents).Any(e => e.ConversationId == marker) ? "delivered" : null;
        }, 15, "the bridged event in B");
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Jobs

    [Theory, MemberData(nameof(Providers))]
    public async Task Jobs_run_for_B_never_write_to_demo_and_jobs_run_for_demo_never_write_to_B(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var sp = w.Services;
        await SettleOutboxAsync(w);
        var demoBefore = await TenantSnapshot.TakeAsync(sp, w.Demo);

        // --- B's work ---------------------------------------------------------------------------------------------------
        var bMessage = await SimulateAsync(w, IsolationWorld.BSimulatorKey, w.SharedQuestion);
        await using (var scope = sp.CreateAsyncScope())
        {
            var jobs = scope.ServiceProvider;
            // Draft for B's customer (the question demo's knowledge has too): grounded on B's knowledge.
            await ActivatorUtilities.CreateInstance<GenerateDraftJob>(jobs).RunAsync(w.B, bMessage, default);
            var draft = await DraftForAsync(w, bMessage);
            Assert.Equal(w.B, draft.TenantId);
            var bEntries = await EntryIdsAsync(w, w.B);
            Assert.NotEmpty(JsonSerializer.Deserialize<Guid[]>(draft.Sources)!);
            Assert.All(JsonSerializer.Deserialize<Guid[]>(draft.Sources)!, id => Assert.Contains(id, bEntries));
            await ActivatorUtilities.CreateInstance<AutoSendDraftJob>(jobs).RunAsync(w.B, draft.Id, draft.Version, default);

            // A reply through B's WhatsApp number: B's phone number id and token, to B's customer.
            var outbound = await QueueOutboundAsync(w, w.B, w.BWaChannel, w.BWaConversation);
            var sentBefore = w.Graph.Requests.Count;
            await ActivatorUtilities.CreateInstance<SendMessageJob>(jobs).RunAsync(w.B, outbound, default);
            var sent = w.Graph.Requests.Skip(sentBefore).Single();
            Assert.Equal($"/v21.0/{IsolationWorld.BPhoneNumberId}/messages", sent.Path);
            Assert.Equal($"Bearer {IsolationWorld.BAccessToken}", sent.Authorization);
            Assert.Equal(IsolationWorld.SharedWaId, sent.Body.GetProperty("to").GetString());

            // The recurring jobs, as the scheduler runs them (every workspace), and the per-workspace units of the rest.
            await ActivatorUtilities.CreateInstance<ExpireStaleDraftsJob>(jobs).RunAsync(default);
            Assert.Equal(DraftState.Expired, await StateOfAsync(w, w.BStaleDraft));
            await AddAbandonedUploadAsync(w, w.B);
            await ActivatorUtilities.CreateInstance<PurgeAbandonedImportsJob>(jobs).RunAsync(default);
            await ActivatorUtilities.CreateInstance<QueryPlannerStatisticsJob>(jobs).RunAsync(default);
        }
        await using (var scope = sp.ForTenant(w.B, w.SharedUserId))
        {
            await scope.ServiceProvider.GetRequiredService<AnalyticsSummariser>().SummariseAsync(default);
            await scope.ServiceProvider.GetRequiredService<CorrectKnowledgeLanguages>().RunAsync(default);
            // A replace import: B's whole knowledge swapped for the file's (the operation that deletes a workspace's knowledge).
            var start = scope.ServiceProvider.GetRequiredService<StartImport>();
            var csv = $"question,answer,intent\n{w.SharedQuestion.Replace(",", " ")},{IsolationWorld.BMarker}: cancel it from the B portal.,cancel_order\n" +
                      $"When does the {IsolationWorld.BMarker} store open?,{IsolationWorld.BMarker} opens at nine.,{IsolationWorld.BIntent}\n" +
                      $"{IsolationWorld.BMarker} imported question,{IsolationWorld.BMarker} imported answer,{IsolationWorld.BIntent}\n";
            var preview = await start.UploadAsync($"{IsolationWorld.BMarker}-replace.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), default);
            Assert.IsType<StartImport.QueueResult.Queued>(await start.QueueAsync(preview.ImportId, preview.Suggested, ImportMode.Replace, null, "en", default, enqueue: false));
            await ActivatorUtilities.CreateInstance<ImportKnowledgeJob>(scope.ServiceProvider).RunAsync(w.B, preview.ImportId, default);
            Assert.Equal(ImportStatus.Completed, (await start.GetAsync(preview.ImportId, default))!.Status);
        }
        var embedder = sp.GetRequiredService<KnowledgeEmbedder>();
        while (await embedder.EmbedBatchAsync(default) > 0) { }
        await using (var scope = sp.ForTenant(w.B))
        await using (var db = await IsolationWorld.Factory(scope).CreateDbContextAsync())
        {
            Assert.Equal(3, await db.KnowledgeEntries.CountAsync());
            Assert.False(await db.KnowledgeEntries.AnyAsync(e => e.Embedding == null));
            w.BEntryId = await db.KnowledgeEntries.Where(e => e.Intent == "cancel_order").Select(e => e.Id).SingleAsync(); // the replace gave it a new id
        }
        await SettleOutboxAsync(w);
        var demoAfter = await TenantSnapshot.TakeAsync(sp, w.Demo);
        Assert.True(demoAfter.DifferencesFrom(demoBefore).Length == 0, "A job for B changed demo:\n" + demoAfter.DifferencesFrom(demoBefore));
        Assert.Equal(HitlAppFactory.DemoKnowledgeEntries, demoAfter.Count(nameof(KnowledgeEntry)));

        // --- demo's work, and jobs carrying B's ids under demo's name (a garbled or forged job) -------------------------------
        var bBefore = await TenantSnapshot.TakeAsync(sp, w.B);
        var demoMessage = await SimulateAsync(w, HitlAppFactory.SimulatorKey, w.SharedQuestion);
        var bOutbound = await QueueOutboundAsync(w, w.B, w.BWaChannel, w.BWaConversation);
        bBefore = await TenantSnapshot.TakeAsync(sp, w.B);
        await using (var scope = sp.CreateAsyncScope())
        {
            var jobs = scope.ServiceProvider;
            await ActivatorUtilities.CreateInstance<GenerateDraftJob>(jobs).RunAsync(w.Demo, demoMessage, default);
            var draft = await DraftForAsync(w, demoMessage);
            var demoEntries = await EntryIdsAsync(w, w.Demo);
            Assert.All(JsonSerializer.Deserialize<Guid[]>(draft.Sources)!, id => Assert.Contains(id, demoEntries));
            var demoOutbound = await QueueOutboundAsync(w, w.Demo, w.DemoWaChannel, w.DemoWaConversation);
            var sentBefore = w.Graph.Requests.Count;
            await ActivatorUtilities.CreateInstance<SendMessageJob>(jobs).RunAsync(w.Demo, demoOutbound, default);
            var sent = w.Graph.Requests.Skip(sentBefore).Single();
            Assert.Equal($"/v21.0/{HitlAppFactory.PhoneNumberId}/messages", sent.Path);
            Assert.Equal("Bearer test-access-token", sent.Authorization);

            // B's message, draft, outbound message and import under demo's tenant: nothing found, nothing written, nothing sent.
            await ActivatorUtilities.CreateInstance<GenerateDraftJob>(jobs).RunAsync(w.Demo, bMessage, default);
            await ActivatorUtilities.CreateInstance<AutoSendDraftJob>(jobs).RunAsync(w.Demo, w.BPendingDraft, 1, default);
            sentBefore = w.Graph.Requests.Count;
            await ActivatorUtilities.CreateInstance<SendMessageJob>(jobs).RunAsync(w.Demo, bOutbound, default);
            Assert.Equal(sentBefore, w.Graph.Requests.Count);
            await Assert.ThrowsAsync<InvalidOperationException>(() => ActivatorUtilities.CreateInstance<ImportKnowledgeJob>(jobs).RunAsync(w.Demo, w.BImport, default));
            await ActivatorUtilities.CreateInstance<ExpireStaleDraftsJob>(jobs).RunAsync(default);
        }
        await using (var scope = sp.ForTenant(w.Demo))
        {
            await scope.ServiceProvider.GetRequiredService<AnalyticsSummariser>().SummariseAsync(default);
            await scope.ServiceProvider.GetRequiredService<CorrectKnowledgeLanguages>().RunAsync(default);
        }
        await SettleOutboxAsync(w);
        var bAfter = await TenantSnapshot.TakeAsync(sp, w.B);
        Assert.True(bAfter.DifferencesFrom(bBefore).Length == 0, "A job for demo changed B:\n" + bAfter.DifferencesFrom(bBefore));
    }

    private static async Task<Guid> SimulateAsync(IsolationWorld w, string key, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SimulatorApi.Path) { Content = JsonContent.Create(new { from = IsolationWorld.SharedPhone, text }) };
        request.Headers.Add(SimulatorApi.KeyHeader, key);
        var response = await w.App.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var externalId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await SettleOutboxAsync(w);
        await using var scope = w.Services.CreateAsyncScope();
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        return await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId == externalId).Select(m => m.Id).SingleAsync();
    }

    private static async Task<Draft> DraftForAsync(IsolationWorld w, Guid messageId)
    {
        await using var scope = w.Services.CreateAsyncScope();
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        return await db.Drafts.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.MessageId == messageId);
    }

    private static async Task<DraftState> StateOfAsync(IsolationWorld w, Guid draftId)
    {
        await using var scope = w.Services.CreateAsyncScope();
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        return await db.Drafts.IgnoreQueryFilters().Where(d => d.Id == draftId).Select(d => d.State).SingleAsync();
    }

    private static async Task<Guid> QueueOutboundAsync(IsolationWorld w, Guid tenant, Guid channel, Guid conversation)
    {
        await using var scope = w.Services.ForTenant(tenant);
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        var message = new Message
        {
            ChannelId = channel, ConversationId = conversation, Direction = MessageDirection.Outbound, Author = MessageAuthor.Agent, Text = "queued reply",
            DeliveryState = DeliveryState.Queued, SentUtc = DateTime.UtcNow, CreatedUtc = DateTime.UtcNow,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private static async Task AddAbandonedUploadAsync(IsolationWorld w, Guid tenant)
    {
        await using var scope = w.Services.ForTenant(tenant);
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        db.KnowledgeImports.Add(new KnowledgeImport
        {
            FileName = "abandoned.csv", FilePath = Path.Combine(Path.GetTempPath(), $"abandoned-{Guid.NewGuid():N}.upload"), Status = ImportStatus.Uploaded,
            CreatedUtc = DateTime.UtcNow.AddDays(-2),
        });
        await db.SaveChangesAsync();
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Memberships and sessions

    [Theory, MemberData(nameof(Providers))]
    public async Task A_member_disabled_in_B_keeps_working_in_demo_and_can_no_longer_enter_B(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var commuter = await w.CreateCommuterAsync("Casey Commuter");
        var email = (await EmailOfAsync(w, commuter))!;
        var inDemo = await w.SignInAsync(email);
        var inB = await w.SignInToBAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await inB.Client.GetAsync("/inbox")).StatusCode);

        // B's Admin disables them in B.
        await using (var scope = w.Services.ForTenant(w.B, w.SharedUserId))
            Assert.IsType<ManageUsers.Result.Done>(await scope.ServiceProvider.GetRequiredService<ManageUsers>().SetDisabledAsync(commuter, true, default));

        var ended = await inB.Client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith(AccountRegistration.LoginPath, ended.RedirectPath());
        var demoInbox = await inDemo.Client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.OK, demoInbox.StatusCode);
        Assert.Contains(IsolationWorld.DemoMarker, await demoInbox.ReadPageAsync());

        // A new sign-in opens demo, and the switch to B is refused.
        var again = await w.SignInAsync(email);
        Assert.Contains($">{HitlConsole.Features.Demo.DemoOptions.TenantName}<", await again.Client.GetPageAsync("/"));
        var refused = await w.SwitchAsync(again, w.B);
        Assert.False(refused.StatusCode == HttpStatusCode.Redirect && refused.RedirectPath() == "/", $"switch answered {(int)refused.StatusCode}");
        Assert.Contains($">{HitlConsole.Features.Demo.DemoOptions.TenantName}<", await again.Client.GetPageAsync("/"));
        await using (var scope = w.Services.ForTenant(w.Demo))
        await using (var db = await IsolationWorld.Factory(scope).CreateDbContextAsync())
            Assert.False((await db.WorkspaceMembers.SingleAsync(m => m.UserId == commuter)).IsDisabled);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Removing_the_B_membership_ends_the_B_session_at_its_next_request_while_the_demo_session_continues(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var leaver = await w.CreateCommuterAsync("Lee Leaver");
        var email = (await EmailOfAsync(w, leaver))!;
        var inDemo = await w.SignInAsync(email);
        var inB = await w.SignInToBAsync(email);
        Assert.Contains($"Bruno {IsolationWorld.BMarker}", await inB.Client.GetPageAsync("/inbox"));

        await using (var scope = w.Services.ForTenant(w.B))
        await using (var db = await IsolationWorld.Factory(scope).CreateDbContextAsync())
            Assert.Equal(1, await db.WorkspaceMembers.Where(m => m.UserId == leaver).ExecuteDeleteAsync());

        var ended = await inB.Client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith(AccountRegistration.LoginPath, ended.RedirectPath());
        // The session is over, not just this request: the next one is refused too.
        Assert.Equal(HttpStatusCode.Redirect, (await inB.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inDemo.Client.GetAsync("/inbox")).StatusCode);
        AssertShowsNone(w.BTraces, await inDemo.Client.GetPageAsync("/inbox"), "the demo session's inbox");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_demo_Admin_cannot_reset_the_password_of_or_disable_or_change_the_role_in_B_of_the_shared_user(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var bBefore = await TenantSnapshot.TakeAsync(w.Services, w.B);
        string? hashBefore;
        await using (var scope = w.Services.CreateAsyncScope())
            hashBefore = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(w.SharedUserId))!.PasswordHash;

        await using (var scope = w.Services.ForTenant(w.Demo, w.DemoAdminId))
        {
            var manage = scope.ServiceProvider.GetRequiredService<ManageUsers>();
            // A password opens every workspace of the user: only the platform operator may reset it.
            Assert.Equal(new ManageUsers.Result.Refused("OtherWorkspaces"), await manage.ResetPasswordAsync(w.SharedUserId, "Hijacked2026x", default));
            // What demo's Admin may change is the user's place in demo; B's membership stays as it is.
            try
            {
                Assert.IsType<ManageUsers.Result.Done>(await manage.SetRoleAsync(w.SharedUserId, Roles.Manager, default));
                Assert.IsType<ManageUsers.Result.Done>(await manage.SetDisabledAsync(w.SharedUserId, true, default));
            }
            finally
            {
                await manage.SetDisabledAsync(w.SharedUserId, false, default);
                await manage.SetRoleAsync(w.SharedUserId, Roles.Agent, default);
            }
            // A new user with the e-mail of a user of B only: refused, without touching or joining B's user.
            var created = await manage.CreateAsync(new ManageUsers.NewUser
                { Email = IsolationWorld.BOnlyEmail, DisplayName = "Taken over", Role = Roles.Admin, Password = "Hijacked2026x" }, default);
            Assert.IsType<ManageUsers.Result.Refused>(created);
            Assert.DoesNotContain(await scope.ServiceProvider.GetRequiredService<ListUsers>().HandleAsync(default), u => u.Id == w.BOnlyUserId);
        }

        await using (var scope = w.Services.CreateAsyncScope())
        {
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(w.SharedUserId))!;
            Assert.Equal(hashBefore, user.PasswordHash);
        }
        var bAfter = await TenantSnapshot.TakeAsync(w.Services, w.B);
        // Nothing of B's rows changed, the shared user's own row included.
        Assert.True(bAfter.DifferencesFrom(bBefore).Length == 0, "B changed:\n" + bAfter.DifferencesFrom(bBefore));
        // And the B session of the shared user still works as B's Admin.
        var inB = await w.SignInToBAsync(IsolationWorld.SharedEmail);
        Assert.Equal(HttpStatusCode.OK, (await inB.Client.GetAsync("/admin/users")).StatusCode);
    }

    private static async Task<string?> EmailOfAsync(IsolationWorld w, string userId)
    {
        await using var scope = w.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(userId))?.Email;
    }

    // -------------------------------------------------------------------------------------------------------------------
    // Installation-wide tools

    [Theory, MemberData(nameof(Providers))]
    public async Task The_job_dashboard_which_shows_every_workspaces_jobs_is_closed_to_a_workspace_Admin_who_is_not_a_platform_operator(DatabaseProvider provider)
    {
        var w = await WorldAsync(provider);
        var bAdmin = (await w.SessionAsync("shared-b")).Client;
        foreach (var path in new[] { "/jobs", "/jobs/jobs/enqueued", "/jobs/recurring" })
        {
            var response = await bAdmin.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.RedirectPath());
        }
        // The installation's operator (the demo Admin, as after a first-run setup) still has it.
        Assert.Equal(HttpStatusCode.OK, (await (await w.SessionAsync("demo-admin")).Client.GetAsync("/jobs")).StatusCode);
    }
}
