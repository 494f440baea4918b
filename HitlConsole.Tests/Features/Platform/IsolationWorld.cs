using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Localization;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HitlConsole.Tests.Features.Platform;

/// <summary>
/// Two workspaces with overlapping data on one running app: the demo workspace ("A") and workspace B, created through the
/// data layer. Everything B owns carries <see cref="BMarker"/> (or is one of B's ids), everything added to the demo
/// workspace carries <see cref="DemoMarker"/>; the overlaps are deliberate — the same knowledge question, the same customer
/// phone number, the same intents on the same days, a user who belongs to both with a different role in each — so a query
/// that forgets its workspace finds the other one's rows instead of nothing.
/// </summary>
public sealed class IsolationWorld : IAsyncDisposable
{
    public const string BMarker = "B-ONLY-7731";
    public const string DemoMarker = "DEMO-ONLY-4410";
    public const string BName = "Bravo Workspace";
    /// <summary>Both workspaces have a customer with this number (simulator address; WhatsApp wa_id without the plus).</summary>
    public const string SharedPhone = "+34600999888";
    public const string SharedWaId = "34600999888";
    public const string BSimulatorKey = "b-only-simulator-key-7731";
    public const string BPhoneNumberId = "200000000000002";
    public const string BAppSecret = "b-app-secret-7731";
    public const string BVerifyToken = "b-verify-token-7731";
    public const string BAccessToken = "b-access-token-7731";
    /// <summary>An intent only B's drafts have (B also shares demo's intents).</summary>
    public const string BIntent = "b-only-7731-intent";
    public const string SharedEmail = "sam.shared@isolation.test";
    public const string SharedName = "Sam Shared";
    public const string BOnlyEmail = "b-only-7731@bravo.test";
    public const string DemoOutboundWamid = "wamid.DEMO-ONLY-4410-OUT";

    public required DatabaseProvider Provider { get; init; }
    public required HitlAppFactory App { get; init; }
    public required FakeGraphApi Graph { get; init; }
    public IServiceProvider Services => App.Services;

    public Guid Demo { get; private set; }
    public Guid B { get; private set; }
    public string DemoAdminId { get; private set; } = "";
    public string DemoManagerId { get; private set; } = "";
    public string DemoAgentId { get; private set; } = "";
    /// <summary>Agent in demo, Admin in B.</summary>
    public string SharedUserId { get; private set; } = "";
    /// <summary>Manager in B only.</summary>
    public string BOnlyUserId { get; private set; } = "";

    /// <summary>A question both workspaces' knowledge has word for word; B's answer carries the marker.</summary>
    public string SharedQuestion { get; private set; } = "";
    public Guid DemoSharedEntryId { get; private set; }
    /// <summary>B's entry with the shared question (a replace import gives it a new id: re-read after one).</summary>
    public Guid BEntryId { get; set; }
    /// <summary>A demo question B does not have, to tell demo's knowledge apart in exports.</summary>
    public string DemoOnlyQuestion { get; private set; } = "";

    public Guid DemoSimChannel { get; private set; }
    public Guid DemoWaChannel { get; private set; }
    public Guid BSimChannel { get; private set; }
    public Guid BWaChannel { get; private set; }
    public Guid DemoConversation { get; private set; }
    public Guid DemoPendingDraft { get; private set; }
    public Guid DemoWaConversation { get; private set; }
    public Guid BConversation { get; private set; }
    public Guid BPendingDraft { get; private set; }
    public Guid BWaConversation { get; private set; }
    public Guid BStaleConversation { get; private set; }
    public Guid BStaleDraft { get; private set; }
    public Guid BImport { get; private set; }
    public Guid BModelProfile { get; private set; }
    /// <summary>B has config versions 1–3, demo only 1: this number exists in B alone.</summary>
    public int BOnlyConfigVersion { get; private set; }

    /// <summary>The analytics range: past days only, so messages and drafts the tests themselves create (today) never fall in it.</summary>
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    /// <summary>Demo's analytics for the range, read before workspace B existed.</summary>
    public string DemoAnalyticsBefore { get; private set; } = "";
    public IReadOnlyDictionary<string, string> DemoExportsBefore { get; private set; } = new Dictionary<string, string>();
    public TimeSpan ArrangeTime { get; private set; }
    /// <summary>When each arrange step ended (the app's start includes building the shared template database once per test run).</summary>
    public List<(string Step, TimeSpan At)> Timings { get; } = [];

    /// <summary>What a B page must not show in demo, and a demo page must not show in B (ids in both spellings).</summary>
    public IReadOnlyList<string> BTraces => [BMarker, BIntent, .. Ids(BConversation, BPendingDraft, BEntryId, BSimChannel, BWaChannel, BImport, BModelProfile, BStaleDraft), BOnlyUserId];
    public IReadOnlyList<string> DemoTraces => [DemoMarker, "Ada Admin", "Alex Agent", "Morgan Manager", "@demo.local",
        .. Ids(DemoConversation, DemoPendingDraft, DemoSharedEntryId, DemoSimChannel, DemoWaChannel, DemoWaConversation), DemoAdminId, DemoManagerId];

    private static IEnumerable<string> Ids(params Guid[] ids) => ids.SelectMany(id => new[] { id.ToString(), id.ToString("N") });

    public static async Task<IsolationWorld> ArrangeAsync(DatabaseProvider provider)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var graph = await FakeGraphApi.StartAsync();
        var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Demo:WhatsApp:GraphBaseUrl"] = graph.BaseUrl });
        var world = new IsolationWorld { Provider = provider, App = app, Graph = graph };
        try
        {
            _ = app.Services;
            world.Timings.Add(("app", watch.Elapsed));
            await world.ArrangeDemoAsync();
            world.Timings.Add(("demo", watch.Elapsed));
            await world.CaptureDemoAnalyticsAsync();
            world.Timings.Add(("analytics", watch.Elapsed));
            await world.ArrangeBAsync();
            world.Timings.Add(("b", watch.Elapsed));
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
        world.ArrangeTime = watch.Elapsed;
        return world;
    }

    private async Task ArrangeDemoAsync()
    {
        var sp = Services;
        Demo = await sp.DemoTenantIdAsync();
        DemoAdminId = await sp.UserIdAsync(Demo, DemoUsers.Admin);
        DemoManagerId = await sp.UserIdAsync(Demo, DemoUsers.Manager);
        DemoAgentId = await sp.UserIdAsync(Demo, DemoUsers.Agent);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (From, To) = (today.AddDays(-6), today.AddDays(-1));

        await using var scope = sp.ForTenant(Demo);
        await using var db = await Factory(scope).CreateDbContextAsync();
        var shared = await db.KnowledgeEntries.AsNoTracking().Where(e => e.Language == "en" && e.Intent == "cancel_order")
            .OrderBy(e => e.Question).FirstAsync();
        (SharedQuestion, DemoSharedEntryId) = (shared.Question, shared.Id);
        DemoOnlyQuestion = await db.KnowledgeEntries.AsNoTracking().Where(e => e.Language == "en" && e.Intent == "track_order")
            .OrderBy(e => e.Question).Select(e => e.Question).FirstAsync();
        DemoSimChannel = await db.Channels.Where(c => c.Kind == ChannelKind.Simulator).Select(c => c.Id).SingleAsync();
        DemoWaChannel = await db.Channels.Where(c => c.Kind == ChannelKind.WhatsAppCloud).Select(c => c.Id).SingleAsync();

        var now = DateTime.UtcNow;
        (DemoConversation, DemoPendingDraft) = AddConversation(db, DemoSimChannel, SharedPhone, $"Dana {DemoMarker}", DemoMarker, [DemoSharedEntryId], DemoAgentId, now);
        (DemoWaConversation, _) = AddConversation(db, DemoWaChannel, SharedWaId, $"Dario {DemoMarker}", DemoMarker, [DemoSharedEntryId], DemoAgentId, now,
            outboundWamid: DemoOutboundWamid);
        AddHistory(db, DemoSimChannel, ["cancel_order", "track_order"], perIntentAndDay: 2, [DemoAgentId, DemoAdminId], seed: 1);
        await db.SaveChangesAsync();
    }

    /// <summary>Demo's figures before B existed: the handler (summary and drafts) and every chart's CSV export over HTTP.</summary>
    private async Task CaptureDemoAnalyticsAsync()
    {
        await using (var scope = Services.ForTenant(Demo))
            await scope.ServiceProvider.GetRequiredService<AnalyticsSummariser>().SummariseAsync(default);
        DemoAnalyticsBefore = await DescribeAnalyticsAsync(Demo);
        var manager = await SignInAsync(DemoUsers.Manager, HitlAppFactory.DemoPassword);
        DemoExportsBefore = await AnalyticsExportsAsync(manager.Client);
    }

    public async Task<Dictionary<string, string>> AnalyticsExportsAsync(HttpClient client, string extra = "")
    {
        var exports = new Dictionary<string, string>();
        foreach (var chart in AnalyticsExport.Charts)
        {
            var response = await client.GetAsync($"/analytics/export/{chart}?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}{extra}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            exports[chart] = await response.Content.ReadAsStringAsync();
        }
        return exports;
    }

    /// <summary>Every figure of the analytics page for the range, as text (from the summary and, separately, from the drafts alone).</summary>
    public async Task<string> DescribeAnalyticsAsync(Guid tenant)
    {
        await using var scope = Services.ForTenant(tenant);
        var zone = await scope.ServiceProvider.GetRequiredService<WorkspaceTime>().ReadAsync(default);
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        var text = new StringBuilder();
        foreach (var useSummary in new[] { true, false })
        {
            var o = await new GetAnalyticsOverview(new AnalyticsScans(factory, useSummary)).HandleAsync(new AnalyticsQuery(From, To), zone, default);
            text.AppendLine($"summary={useSummary}").AppendLine(o.Kpis.ToString()).AppendLine(o.Previous.ToString());
            foreach (var (intent, counts) in o.Intents.Series) text.AppendLine($"intent {intent}: {string.Join(",", counts)}");
            foreach (var r in o.Rates) text.AppendLine(r.ToString());
            foreach (var (intent, buckets) in o.Edits) text.AppendLine($"edits {intent}: {string.Join(",", buckets)}");
            text.AppendLine("confidence " + string.Join(",", o.Confidence));
            foreach (var r in o.Response) text.AppendLine(r.ToString());
            text.AppendLine("heatmap " + string.Join(",", o.Heatmap.Cast<int>()));
        }
        return text.ToString();
    }

    private async Task ArrangeBAsync()
    {
        var sp = Services;
        var now = DateTime.UtcNow;
        await using (var scope = sp.CreateAsyncScope())
        await using (var db = await Factory(scope).CreateDbContextAsync())
        {
            var tenant = new Tenant { Name = BName, CreatedUtc = now };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
            B = tenant.Id;
        }

        // The people: one who works in both workspaces (last worked in demo, so a sign-in opens demo), one in B only.
        SharedUserId = await CreateUserAsync(SharedEmail, SharedName, lastWorkspace: Demo, (Demo, Roles.Agent), (B, Roles.Admin));
        BOnlyUserId = await CreateUserAsync(BOnlyEmail, $"Bea {BMarker}", lastWorkspace: B, (B, Roles.Manager));

        // B's knowledge: the shared question word for word with B's own answer, and one entry of its own.
        BEntryId = await sp.AddKnowledgeAsync(B, SharedQuestion, $"{BMarker}: cancel it from the B portal.", "cancel_order");
        await sp.AddKnowledgeAsync(B, $"When does the {BMarker} store open?", $"{BMarker} opens at nine.", BIntent);

        await using (var scope = sp.ForTenant(B, SharedUserId))
        {
            var secrets = scope.ServiceProvider.GetRequiredService<ChannelSecrets>();
            await using var db = await Factory(scope).CreateDbContextAsync();
            var sim = new Channel
            {
                Kind = ChannelKind.Simulator, Name = $"{BMarker} Simulator", ApiKeyHash = ChannelSecrets.HashApiKey(BSimulatorKey), ApiKeySetUtc = now, CreatedUtc = now,
            };
            var wa = new Channel
            {
                Kind = ChannelKind.WhatsAppCloud, Name = $"{BMarker} WhatsApp", PhoneNumberId = BPhoneNumberId, GraphBaseUrl = Graph.BaseUrl, GraphVersion = "v21.0",
                AccessTokenProtected = secrets.Protect(BAccessToken), AppSecretProtected = secrets.Protect(BAppSecret),
                VerifyTokenProtected = secrets.Protect(BVerifyToken), CreatedUtc = now,
            };
            db.Channels.AddRange(sim, wa);
            (BSimChannel, BWaChannel) = (sim.Id, wa.Id);

            (BConversation, BPendingDraft) = AddConversation(db, sim.Id, SharedPhone, $"Bruno {BMarker}", BMarker, [BEntryId], SharedUserId, now);
            (BWaConversation, _) = AddConversation(db, wa.Id, SharedWaId, $"Berta {BMarker}", BMarker, [BEntryId], SharedUserId, now);
            // A pending draft past the TTL: the expiry job's work in B (nothing in demo is that old).
            (BStaleConversation, BStaleDraft) = AddConversation(db, sim.Id, "+34600999777", $"Stale {BMarker}", BMarker, [], null, now - TimeSpan.FromHours(30));
            AddHistory(db, sim.Id, ["cancel_order", BIntent], perIntentAndDay: 3, [SharedUserId], seed: 2);

            var import = new KnowledgeImport
            {
                FileName = $"{BMarker}.csv", FilePath = Path.Combine(Path.GetTempPath(), $"{BMarker}-{Guid.NewGuid():N}.upload"), Format = "Csv",
                Status = ImportStatus.Completed, RowsRead = 7731, Inserted = 7731, CreatedByUserId = SharedUserId, CreatedUtc = now, FinishedUtc = now,
            };
            db.KnowledgeImports.Add(import);
            BImport = import.Id;
            var profile = new ModelProfile { Name = $"{BMarker} model", Kind = ModelProviderKind.BuiltIn, CreatedUtc = now, UpdatedUtc = now };
            db.ModelProfiles.Add(profile);
            BModelProfile = profile.Id;
            db.Record(SharedUserId, "knowledge.updated", nameof(KnowledgeEntry), $"{BMarker}-entity", null, new { Note = $"{BMarker} audit" }, now);
            await db.SaveChangesAsync();
            // Three configuration versions (demo has one), saved as an Admin of B would.
            var save = scope.ServiceProvider.GetRequiredService<SaveAgentConfig>();
            var document = AgentConfigDocument.Default($"{BMarker} Business", scope.ServiceProvider.GetRequiredService<IOptions<PipelineOptions>>().Value);
            int? number = null;
            foreach (var tone in new[] { "warm", "formal", "brief" })
            {
                document.Identity.Tone = $"{tone} ({BMarker})";
                var saved = Assert.IsType<ConfigVersionResult.Saved>(await save.HandleAsync(document, number, $"{BMarker} {tone}", default));
                number = saved.Number;
            }
            BOnlyConfigVersion = number!.Value;
        }
        sp.GetRequiredService<WhatsAppChannelDirectory>().Invalidate();
        await using (var scope = sp.ForTenant(B))
            await scope.ServiceProvider.GetRequiredService<AnalyticsSummariser>().SummariseAsync(default);
    }

    private async Task<string> CreateUserAsync(string email, string name, Guid lastWorkspace, params (Guid Tenant, string Role)[] memberships)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, TenantId = lastWorkspace, CreatedUtc = DateTime.UtcNow };
        var created = await users.CreateAsync(user, HitlAppFactory.DemoPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        foreach (var (tenant, role) in memberships)
        {
            await using var tenantScope = Services.ForTenant(tenant);
            await using var db = await Factory(tenantScope).CreateDbContextAsync();
            db.WorkspaceMembers.Add(new WorkspaceMember { UserId = user.Id, Role = role, CreatedUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        return user.Id;
    }

    /// <summary>A user of both workspaces (Agent in each), for tests that change memberships; a sign-in opens demo.</summary>
    public Task<string> CreateCommuterAsync(string name) =>
        CreateUserAsync($"{name.Replace(' ', '.').ToLowerInvariant()}.{Guid.NewGuid():N}@isolation.test", name, Demo, (Demo, Roles.Agent), (B, Roles.Agent));

    /// <summary>
    /// A customer with one answered exchange two days ago and one message waiting for review (an hour before
    /// <paramref name="now"/>), on the given channel. Tenant ids are stamped by the scope's save guard.
    /// </summary>
    private static (Guid Conversation, Guid PendingDraft) AddConversation(HitlDbContext db, Guid channel, string address, string name, string marker,
        Guid[] sources, string? reviewer, DateTime now, string? outboundWamid = null)
    {
        var contact = new Contact { ChannelId = channel, Address = address, DisplayName = name, CreatedUtc = now.AddDays(-2), LastInboundUtc = now.AddHours(-1) };
        var conversation = new Conversation { ChannelId = channel, ContactId = contact.Id, CreatedUtc = now.AddDays(-2), LastActivityUtc = now.AddHours(-1) };
        db.AddRange(contact, conversation);
        var asked = now.AddDays(-2);
        var first = Inbound(channel, conversation.Id, $"{marker} message: where is my parcel?", asked);
        var sent = new Message
        {
            ChannelId = channel, ConversationId = conversation.Id, Direction = MessageDirection.Outbound, Author = MessageAuthor.Agent,
            Text = $"{marker} reply: it is on its way.", DeliveryState = DeliveryState.Sent, ExternalId = outboundWamid ?? $"out.{Guid.NewGuid():N}",
            SentUtc = asked.AddMinutes(5), CreatedUtc = asked.AddMinutes(5), Language = "en",
        };
        var approved = Decided(channel, conversation.Id, first, $"{marker} reply: it is on its way.", "track_order", DraftState.Approved, reviewer, 300, 80);
        approved.SentMessageId = sent.Id;
        var waiting = Inbound(channel, conversation.Id, $"{marker} message: I want to cancel my order.", now.AddHours(-1));
        var pending = new Draft
        {
            ConversationId = conversation.Id, MessageId = waiting.Id, ChannelId = channel, Text = $"{marker} pending draft text",
            Alternatives = JsonSerializer.Serialize(new[] { $"{marker} alternative" }), Intent = "cancel_order", Classification = "answer", Confidence = 72,
            Reasoning = $"{marker} reasoning", Sources = JsonSerializer.Serialize(sources), State = DraftState.Pending, Version = 1,
            ModelProfile = "built-in", Quarter = AnalyticsTime.QuarterOf(waiting.SentUtc), CreatedUtc = waiting.SentUtc.AddSeconds(2), UpdatedUtc = waiting.SentUtc.AddSeconds(2),
        };
        db.AddRange(first, sent, approved, waiting, pending);
        return (conversation.Id, pending.Id);
    }

    /// <summary>Decided conversations on each day of the analytics range, a fixed number per intent, with varied outcomes.</summary>
    private void AddHistory(HitlDbContext db, Guid channel, string[] intents, int perIntentAndDay, string[] reviewers, int seed)
    {
        var random = new Random(seed);
        var states = new[] { DraftState.Approved, DraftState.EditedAndSent, DraftState.Rejected, DraftState.AutoSent, DraftState.Expired };
        var n = 0;
        for (var day = From; day <= To; day = day.AddDays(1))
            foreach (var intent in intents)
                for (var i = 0; i < perIntentAndDay; i++, n++)
                {
                    var asked = day.ToDateTime(new TimeOnly(8 + random.Next(0, 12), random.Next(0, 60)), DateTimeKind.Utc);
                    var contact = new Contact { ChannelId = channel, Address = $"+3461{seed}{n:D6}", DisplayName = $"History {n}", CreatedUtc = asked, LastInboundUtc = asked };
                    var conversation = new Conversation
                    {
                        ChannelId = channel, ContactId = contact.Id, Status = ConversationStatus.Resolved, CreatedUtc = asked, LastActivityUtc = asked,
                    };
                    var inbound = Inbound(channel, conversation.Id, $"history question {n}", asked);
                    var state = states[(n + seed) % states.Length];
                    var draft = Decided(channel, conversation.Id, inbound, $"history answer {n}", intent, state, reviewers[n % reviewers.Length],
                        20 + random.Next(0, 3000), 35 + random.Next(0, 60));
                    db.AddRange(contact, conversation, inbound, draft);
                }
    }

    private static Message Inbound(Guid channel, Guid conversation, string text, DateTime at) => new()
    {
        ChannelId = channel, ConversationId = conversation, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer, Text = text,
        ExternalId = $"in.{Guid.NewGuid():N}", DeliveryState = DeliveryState.Delivered, SentUtc = at, CreatedUtc = at, Language = "en",
    };

    private static Draft Decided(Guid channel, Guid conversation, Message inbound, string text, string intent, DraftState state, string? reviewer,
        int responseSeconds, int confidence)
    {
        var sent = state is DraftState.Approved or DraftState.EditedAndSent or DraftState.AutoSent;
        return new Draft
        {
            ConversationId = conversation, MessageId = inbound.Id, ChannelId = channel, Text = text, Intent = intent, Classification = "answer",
            Confidence = confidence, State = state, Version = 2, ModelProfile = "built-in", ConfigVersion = 1,
            ReviewedByUserId = state is DraftState.Approved or DraftState.EditedAndSent or DraftState.Rejected ? reviewer : null,
            EditDistance = state == DraftState.EditedAndSent ? 12 : state == DraftState.Approved ? 0 : null,
            StateReason = state == DraftState.Rejected ? "Wrong answer" : null, ResponseSeconds = sent ? responseSeconds : null,
            Quarter = AnalyticsTime.QuarterOf(inbound.SentUtc), CreatedUtc = inbound.SentUtc.AddSeconds(1), UpdatedUtc = inbound.SentUtc.AddSeconds(responseSeconds),
        };
    }

    public static IDbContextFactory<HitlDbContext> Factory(AsyncServiceScope scope) =>
        scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>();

    // ---------------------------------------------------------------------------------------------------------------
    // Sessions over HTTP: a cookie jar per browser, so the antiforgery cookie and the sign-in cookie travel as a browser's do.

    public sealed record Session(HttpClient Client, CookieContainer Cookies, string Email);

    public async Task<Session> SignInAsync(string email, string password = HitlAppFactory.DemoPassword)
    {
        var cookies = new CookieContainer();
        var client = App.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        var response = await client.SignInAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in of {email} answered {(int)response.StatusCode}.");
        return new Session(client, cookies, email);
    }

    /// <summary>The app bar's workspace switch: a form post with the request token the page would carry.</summary>
    public async Task<HttpResponseMessage> SwitchAsync(Session session, Guid workspace)
    {
        var token = await RequestTokenAsync(session);
        return await session.Client.PostAsync(HitlConsole.Features.Account.AccountRegistration.SwitchWorkspacePath, new FormUrlEncodedContent(
            new Dictionary<string, string> { ["workspace"] = workspace.ToString(), ["__RequestVerificationToken"] = token }));
    }

    /// <summary>A session that works in B: signs in (which opens the workspace the user last worked in) and switches.</summary>
    public Task<Session> SignInToBAsync(string email) => SignInToAsync(email, B);

    /// <summary>A session that works in <paramref name="workspace"/>, wherever the user last worked: signs in and switches.</summary>
    public async Task<Session> SignInToAsync(string email, Guid workspace)
    {
        var session = await SignInAsync(email);
        var switched = await SwitchAsync(session, workspace);
        Assert.True(switched.StatusCode == HttpStatusCode.Redirect && switched.RedirectPath() == "/", $"Switch answered {(int)switched.StatusCode}.");
        return session;
    }

    /// <summary>The request token a page rendered for this browser and user would carry (the form renders in the live circuit only).</summary>
    private async Task<string> RequestTokenAsync(Session session)
    {
        await using var scope = Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(session.Email))!;
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Cookie = session.Cookies.GetCookieHeader(new Uri("http://localhost"));
        http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id)], "Identity.Application"));
        return scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetTokens(http).RequestToken!;
    }

    private readonly Dictionary<string, Task<Session>> _sessions = [];

    /// <summary>Signed-in browsers shared by the read-only tests: "demo-admin", "demo-manager", "shared-demo", "shared-b", "b-only".</summary>
    public Task<Session> SessionAsync(string name)
    {
        lock (_sessions)
        {
            if (_sessions.TryGetValue(name, out var existing)) return existing;
            var created = name switch
            {
                "demo-admin" => SignInAsync(DemoUsers.Admin),
                "demo-manager" => SignInAsync(DemoUsers.Manager),
                "shared-demo" => SignInToAsync(SharedEmail, Demo), // a sign-in opens where they last worked: perhaps B
                "shared-b" => SignInToBAsync(SharedEmail),
                "b-only" => SignInAsync(BOnlyEmail),
                _ => throw new ArgumentOutOfRangeException(nameof(name)),
            };
            return _sessions[name] = created;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Graph.DisposeAsync();
    }
}

/// <summary>
/// Every row a workspace owns (each tenant-owned table, its members' user rows and its tenant row), as JSON per row: two
/// snapshots are equal only if nothing of the workspace was inserted, changed or deleted in between.
/// </summary>
public sealed class TenantSnapshot
{
    private readonly SortedDictionary<string, List<string>> _tables = new(StringComparer.Ordinal);

    public static async Task<TenantSnapshot> TakeAsync(IServiceProvider services, Guid tenantId)
    {
        var snapshot = new TenantSnapshot();
        await using var scope = services.CreateAsyncScope();
        await using var db = await IsolationWorld.Factory(scope).CreateDbContextAsync();
        foreach (var type in db.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(ITenantOwned).IsAssignableFrom(t)).Distinct())
        {
            var rows = (Task<List<string>>)RowsMethod.MakeGenericMethod(type).Invoke(null, [db, tenantId])!;
            snapshot._tables[type.Name] = await rows;
        }
        var members = db.WorkspaceMembers.IgnoreQueryFilters().Where(m => m.TenantId == tenantId).Select(m => m.UserId);
        snapshot._tables["Users"] = Serialise(await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => members.Contains(u.Id)).ToListAsync());
        snapshot._tables["Tenant"] = Serialise(await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).ToListAsync());
        return snapshot;
    }

    private static readonly System.Reflection.MethodInfo RowsMethod =
        typeof(TenantSnapshot).GetMethod(nameof(RowsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static async Task<List<string>> RowsAsync<T>(HitlDbContext db, Guid tenantId) where T : class, ITenantOwned =>
        Serialise(await db.Set<T>().IgnoreQueryFilters().AsNoTracking().Where(e => e.TenantId == tenantId).ToListAsync());

    private static List<string> Serialise<T>(List<T> rows) => rows.Select(r => JsonSerializer.Serialize(r)).Order(StringComparer.Ordinal).ToList();

    public int Count(string table) => _tables[table].Count;

    /// <summary>What differs, table by table (counts and a few rows), or nothing.</summary>
    public string DifferencesFrom(TenantSnapshot before)
    {
        var text = new StringBuilder();
        foreach (var (table, rows) in _tables)
        {
            var old = before._tables[table];
            if (old.SequenceEqual(rows)) continue;
            var gone = old.Except(rows).ToList();
            var added = rows.Except(old).ToList();
            text.AppendLine($"{table}: {old.Count} → {rows.Count} rows; {gone.Count} changed or deleted, {added.Count} changed or added");
            foreach (var row in added.Take(2)) text.AppendLine("  now: " + row[..Math.Min(row.Length, 400)]);
        }
        return text.ToString();
    }

    /// <summary>A short fingerprint for logs.</summary>
    public string Hash => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", _tables.SelectMany(t => t.Value)))))[..12];
}
