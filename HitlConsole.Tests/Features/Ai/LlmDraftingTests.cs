using System.Text;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Models;

namespace HitlConsole.Tests.Features.Ai;

/// <summary>OpenAI-compatible drafting against a fake server on loopback: contract, parsing, fallback chain, secrets.</summary>
public sealed class LlmDraftingTests
{
    private const string ApiKey = "sk-test-SECRET-0123456789-abcd";

    private static async Task<(HitlAppFactory App, Guid Tenant)> AppWithChainAsync(FakeOpenAiServer server, int timeoutSeconds = 5,
        DatabaseProvider provider = DatabaseProvider.Sqlite, bool builtInFallback = true)
    {
        var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        await using var scope = app.Services.ForTenant(tenant, admin);
        var profiles = scope.ServiceProvider.GetRequiredService<ModelProfiles>();
        Assert.Empty(await profiles.SaveAsync(null, new ModelProfileInput
        {
            Name = "Local LLM", Kind = ModelProviderKind.OpenAiCompatible, BaseUrl = server.BaseUrl, Model = "local-model-a",
            NewApiKey = ApiKey, TimeoutSeconds = timeoutSeconds, ChainOrder = 0,
        }, CancellationToken.None));
        if (builtInFallback)
            Assert.Empty(await profiles.SaveAsync(null, new ModelProfileInput { Name = "Offline", Kind = ModelProviderKind.BuiltIn, ChainOrder = 1 }, CancellationToken.None));
        return (app, tenant);
    }

    private static Task<DraftProposal> DraftAsync(HitlAppFactory app, Guid tenant, string text, IReadOnlyList<ConversationTurn>? history = null, string? instruction = null) =>
        app.Services.GetRequiredService<IDraftGenerator>().GenerateAsync(
            new DraftRequest(tenant, Guid.Empty, text, history ?? [], "en", instruction), CancellationToken.None);

    [Fact]
    public async Task The_prompt_carries_knowledge_history_catalogue_and_contract_and_the_answer_is_read_back()
    {
        await using var server = new FakeOpenAiServer();
        var (app, tenant) = await AppWithChainAsync(server);
        await using var _ = app;
        var hits = await app.Services.GetRequiredService<HitlConsole.Features.Knowledge.Search.KnowledgeSearch>()
            .SearchAsync(tenant, "how do I track my order", "en", 5, CancellationToken.None);
        var sourceId = hits[0].Id;
        server.ThenJson(new
        {
            reply = "You can follow your parcel under Orders > Tracking.", alternatives = new[] { "Share your order number and I'll check it." },
            intent = "track_order", classification = "answer", confidence = 88, sources = new[] { sourceId.ToString() },
            out_of_knowledge = false, reasoning = "Tracking entry matches.",
        });

        var draft = await DraftAsync(app, tenant, "how do I track my order",
            [new ConversationTurn(true, "hi there"), new ConversationTurn(false, "Hello! How can I help?")], "mention the tracking page");

        Assert.Equal("You can follow your parcel under Orders > Tracking.", draft.Reply);
        // The model's alternatives first, then the intent's canned replies in the customer's language (not the Spanish one).
        Assert.Equal(["Share your order number and I'll check it.", "Could you share your order number so I can check where it is?"], draft.Alternatives);
        Assert.Equal("track_order", draft.Intent);
        Assert.Equal(88, draft.Confidence);
        Assert.Equal([sourceId], draft.SourceIds);
        Assert.Equal(321, draft.PromptTokens);
        Assert.Equal(45, draft.CompletionTokens);
        Assert.Contains("Local LLM", draft.Model);

        var request = Assert.Single(server.Requests);
        Assert.Equal($"Bearer {ApiKey}", request.Authorization);
        Assert.Equal("local-model-a", request.Body.GetProperty("model").GetString());
        Assert.Equal("json_schema", request.Body.GetProperty("response_format").GetProperty("type").GetString());
        var messages = request.Body.GetProperty("messages").EnumerateArray().ToList();
        var system = messages[0].GetProperty("content").ToString();
        Assert.Contains(sourceId.ToString(), system);
        Assert.Contains("track_order:", system);
        Assert.Contains("out_of_knowledge", system);
        Assert.Contains("Demo Support", system);
        Assert.Equal(4, messages.Count); // system, two history turns, the customer
        Assert.Equal("assistant", messages[2].GetProperty("role").GetString());
        Assert.Contains("mention the tracking page", messages[3].GetProperty("content").ToString());
    }

    [Theory]
    [InlineData("Here you go:\n```json\n{\"reply\":\"Fenced reply\",\"intent\":\"track_order\",\"confidence\":0.9}\n```\nAnything else?", "Fenced reply", 90)]
    [InlineData("Sure! {\"reply\": \"Loose reply\", \"confidence\": \"70\"} hope that helps", "Loose reply", 70)]
    public async Task Json_inside_fences_or_prose_is_still_read(string content, string reply, int confidence)
    {
        await using var server = new FakeOpenAiServer { Default = new FakeOpenAiServer.Answer(200, content) };
        var (app, tenant) = await AppWithChainAsync(server);
        await using var _ = app;

        var draft = await DraftAsync(app, tenant, "where is my order");

        Assert.Equal(reply, draft.Reply);
        Assert.Equal(confidence, draft.Confidence);
    }

    [Fact]
    public async Task Prose_without_json_is_kept_as_a_low_confidence_draft_with_a_reason()
    {
        await using var server = new FakeOpenAiServer { Default = new FakeOpenAiServer.Answer(200, "Your order ships tomorrow, no JSON from me.") };
        var (app, tenant) = await AppWithChainAsync(server);
        await using var _ = app;

        var draft = await DraftAsync(app, tenant, "where is my order");

        Assert.Equal("Your order ships tomorrow, no JSON from me.", draft.Reply);
        Assert.InRange(draft.Confidence, 0, 30);
        Assert.Contains("JSON contract", draft.Reasoning);
    }

    [Theory]
    [InlineData(429, 0, "HTTP 429")]
    [InlineData(500, 0, "HTTP 500")]
    [InlineData(200, 3, "timeout")]
    public async Task A_failing_primary_hands_over_to_the_next_profile(int status, int delaySeconds, string reason)
    {
        await using var server = new FakeOpenAiServer
        {
            Default = new FakeOpenAiServer.Answer(status, """{"reply":"late"}""", TimeSpan.FromSeconds(delaySeconds)),
        };
        // Only the slow answer is meant to hit the timeout; an error status gets time to arrive on a loaded machine, or its
        // reason would read "timeout" too.
        var (app, tenant) = await AppWithChainAsync(server, timeoutSeconds: delaySeconds > 0 ? 1 : 10);
        await using var _ = app;

        var draft = await DraftAsync(app, tenant, "I forgot my password");

        Assert.Equal(BuiltInModel.ModelName, draft.Model);
        Assert.Equal("recover_password", draft.Intent);
        Assert.Contains($"Local LLM: {reason}", draft.Reasoning);
        // The primary was asked. After a 1 s timeout the fake server may not have read the request yet on a loaded machine.
        await Eventually.GetAsync(() => Task.FromResult(server.Requests.IsEmpty ? null : "asked"), 10, "the primary's request");
    }

    /// <summary>
    /// A workspace without profiles drafts with the built-in model; its first model took that fallback away without a word,
    /// and a dead endpoint then failed every draft. The page warns, and one action puts the built-in model back at the end.
    /// </summary>
    [Theory, MemberData(nameof(BuiltInModelTests.Providers), MemberType = typeof(BuiltInModelTests))]
    public async Task A_chain_without_the_built_in_model_can_get_it_back_as_its_last_fallback(DatabaseProvider provider)
    {
        await using var server = new FakeOpenAiServer { Default = new FakeOpenAiServer.Answer(503, "down") };
        var (app, tenant) = await AppWithChainAsync(server, provider: provider, builtInFallback: false);
        await using var _ = app;
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        await using var scope = app.Services.ForTenant(tenant, admin);
        var profiles = scope.ServiceProvider.GetRequiredService<ModelProfiles>();
        Assert.True(ModelProfiles.LacksFallback(await profiles.ListAsync(CancellationToken.None)));

        Assert.True(await profiles.AddBuiltInFallbackAsync("Built-in (fallback)", CancellationToken.None));
        Assert.False(await profiles.AddBuiltInFallbackAsync("Built-in (fallback)", CancellationToken.None)); // a second click adds nothing

        var rows = await profiles.ListAsync(CancellationToken.None);
        Assert.False(ModelProfiles.LacksFallback(rows));
        Assert.Equal([ModelProviderKind.OpenAiCompatible, ModelProviderKind.BuiltIn], rows.Select(r => r.Kind));
        Assert.Equal([0, 1], rows.Select(r => r.ChainOrder));
        var draft = await DraftAsync(app, tenant, "where is my order");
        Assert.Equal(BuiltInModel.ModelName, draft.Model);
        Assert.Contains("Local LLM: HTTP 503", draft.Reasoning);
    }

    [Fact]
    public async Task When_every_profile_fails_the_message_gets_a_visible_failed_draft()
    {
        await using var server = new FakeOpenAiServer { Default = new FakeOpenAiServer.Answer(503, "overloaded") };
        var (app, tenant) = await AppWithChainAsync(server, builtInFallback: false);
        await using var _ = app;

        var error = await Assert.ThrowsAsync<ModelChainFailedException>(() => DraftAsync(app, tenant, "where is my order"));
        Assert.Contains("HTTP 503", error.Message);

        // Through the pipeline: a failed draft with its reason, not a gap.
        var sim = app.CreateClient();
        sim.DefaultRequestHeaders.Add("X-Api-Key", HitlAppFactory.SimulatorKey);
        (await sim.PostAsync("/api/simulator/messages", new StringContent("""{"from":"+34600111222","text":"where is my order"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var generate = app.Services.GetRequiredService<IServiceScopeFactory>();
        Guid messageId;
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            messageId = await db.Messages.Where(m => m.Text == "where is my order").Select(m => m.Id).SingleAsync();
        await using (var scope = app.Services.ForTenant(tenant))
            Assert.Equal(GenerateDraft.Outcome.Failed, await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(messageId, CancellationToken.None));
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var draft = await db.Drafts.SingleAsync(d => d.MessageId == messageId);
            Assert.Equal(DraftState.Failed, draft.State);
            Assert.Contains("HTTP 503", draft.Reasoning);
        }
    }

    [Fact]
    public async Task Regenerating_with_an_instruction_passes_it_to_the_model_once()
    {
        await using var server = new FakeOpenAiServer();
        var (app, tenant) = await AppWithChainAsync(server);
        await using var _ = app;
        var sim = app.CreateClient();
        sim.DefaultRequestHeaders.Add("X-Api-Key", HitlAppFactory.SimulatorKey);
        (await sim.PostAsync("/api/simulator/messages", new StringContent("""{"from":"+34600111333","text":"where is my order"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        Guid messageId;
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            messageId = await db.Messages.Where(m => m.Text == "where is my order").Select(m => m.Id).SingleAsync();
        async Task<Draft> DraftNowAsync()
        {
            await using var scope = app.Services.ForTenant(tenant);
            await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(messageId, CancellationToken.None);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Drafts.SingleAsync(d => d.MessageId == messageId);
        }
        var first = await DraftNowAsync();

        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        await using (var scope = app.Services.ForTenant(tenant, agent))
            Assert.IsType<ReviewDraft.Result.Retrying>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
                .RegenerateAsync(first.Id, first.Version, CancellationToken.None, "  answer in two short sentences  "));
        server.Requests.Clear();
        await DraftNowAsync();

        var prompt = Assert.Single(server.Requests).Body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").ToString();
        Assert.Contains("Reviewer instruction for this draft, not from the customer: answer in two short sentences", prompt);
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Null(await db.Messages.Where(m => m.Id == messageId).Select(m => m.DraftInstruction).SingleAsync());
        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            var tooLong = await scope.ServiceProvider.GetRequiredService<ReviewDraft>()
                .RegenerateAsync(Guid.NewGuid(), 0, CancellationToken.None, new string('x', ReviewDraft.MaxInstructionLength + 1));
            Assert.IsType<ReviewDraft.Result.Invalid>(tooLong);
        }
    }

    [Fact]
    public async Task After_a_rejection_the_conversation_offers_to_draft_again_and_the_instruction_reaches_the_model()
    {
        await using var server = new FakeOpenAiServer();
        var (app, tenant) = await AppWithChainAsync(server);
        await using var _ = app;
        var sim = app.CreateClient();
        sim.DefaultRequestHeaders.Add("X-Api-Key", HitlAppFactory.SimulatorKey);
        (await sim.PostAsync("/api/simulator/messages", new StringContent("""{"from":"+34600111444","text":"can I return shoes I wore once"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        await using var scope = app.Services.ForTenant(tenant, agent);
        var sp = scope.ServiceProvider;
        Guid messageId;
        await using (var db = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            messageId = await db.Messages.Where(m => m.Text == "can I return shoes I wore once").Select(m => m.Id).SingleAsync();
        async Task<Draft> DraftNowAsync()
        {
            await sp.GetRequiredService<GenerateDraft>().HandleAsync(messageId, CancellationToken.None);
            await using var db = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Drafts.Where(d => d.MessageId == messageId).OrderByDescending(d => d.CreatedUtc).FirstAsync();
        }
        var first = await DraftNowAsync();
        var conversation = sp.GetRequiredService<GetConversation>();
        Assert.False((await conversation.HandleAsync(first.ConversationId, CancellationToken.None))!.CanDraftAgain); // a draft waits

        var review = sp.GetRequiredService<ReviewDraft>();
        Assert.IsType<ReviewDraft.Result.Rejected>(await review.RejectAsync(first.Id, first.Version, "Wrong policy quoted", CancellationToken.None));
        var view = (await conversation.HandleAsync(first.ConversationId, CancellationToken.None))!;
        Assert.True(view is { AwaitingReply: true, CanDraftAgain: true, Drafting: false });

        Assert.IsType<ReviewDraft.Result.Retrying>(await review.DraftAgainAsync(first.ConversationId, " worn shoes cannot be returned ", CancellationToken.None));
        Assert.True((await conversation.HandleAsync(first.ConversationId, CancellationToken.None))! is { AwaitingReply: false, CanDraftAgain: false, Drafting: true });
        server.Requests.Clear();
        var second = await DraftNowAsync();

        Assert.NotEqual(first.Id, second.Id);
        var prompt = Assert.Single(server.Requests).Body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").ToString();
        Assert.Contains("Reviewer instruction for this draft, not from the customer: worn shoes cannot be returned", prompt);
        Assert.Equal(second.Id, (await conversation.HandleAsync(first.ConversationId, CancellationToken.None))!.Draft?.Id);
    }

    [Fact]
    public async Task A_profile_that_prefers_the_intent_goes_first()
    {
        await using var server = new FakeOpenAiServer();
        var (app, tenant) = await AppWithChainAsync(server);
        await using var _ = app;
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var profiles = scope.ServiceProvider.GetRequiredService<ModelProfiles>();
            var offline = (await profiles.ListAsync(CancellationToken.None)).Single(p => p.Name == "Offline");
            Assert.Empty(await profiles.SaveAsync(offline.Id, new ModelProfileInput
            {
                Name = "Offline", Kind = ModelProviderKind.BuiltIn, ChainOrder = 1, PreferredIntents = "recover_password",
            }, CancellationToken.None));
        }

        var password = await DraftAsync(app, tenant, "I forgot my password");
        Assert.Equal(BuiltInModel.ModelName, password.Model);
        Assert.Empty(server.Requests);

        var other = await DraftAsync(app, tenant, "where is my order");
        Assert.Contains("Local LLM", other.Model);
    }

    [Theory, MemberData(nameof(BuiltInModelTests.Providers), MemberType = typeof(BuiltInModelTests))]
    public async Task The_api_key_is_encrypted_at_rest_masked_in_the_ui_and_absent_from_the_audit(DatabaseProvider provider)
    {
        await using var server = new FakeOpenAiServer();
        var (app, tenant) = await AppWithChainAsync(server, provider: provider);
        await using var _ = app;

        await using var scope = app.Services.ForTenant(tenant);
        var views = await scope.ServiceProvider.GetRequiredService<ModelProfiles>().ListAsync(CancellationToken.None);
        var view = views.Single(v => v.Name == "Local LLM");
        Assert.Equal("abcd", view.ApiKeyHint);
        Assert.NotNull(view.ApiKeySetUtc);
        Assert.DoesNotContain(ApiKey, JsonSerializer.Serialize(views));

        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var stored = await db.ModelProfiles.SingleAsync(p => p.Name == "Local LLM");
        Assert.NotNull(stored.ApiKeyProtected);
        Assert.DoesNotContain("SECRET", stored.ApiKeyProtected);
        Assert.Equal(ApiKey, scope.ServiceProvider.GetRequiredService<ModelSecrets>().Unprotect(stored.ApiKeyProtected));
        var audit = await db.AuditEvents.Where(a => a.EntityType == nameof(ModelProfile)).ToListAsync();
        Assert.NotEmpty(audit);
        Assert.All(audit, a => Assert.DoesNotContain("SECRET", (a.Before ?? "") + a.After));

        if (provider == DatabaseProvider.Sqlite)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.Database.ConnectionString).DataSource;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var bytes = await File.ReadAllBytesAsync(path);
            var wal = File.Exists(path + "-wal") ? await File.ReadAllBytesAsync(path + "-wal") : [];
            Assert.DoesNotContain("SECRET-0123456789", Encoding.UTF8.GetString(bytes) + Encoding.UTF8.GetString(wal));
        }
    }

    [Fact]
    public async Task The_api_key_never_reaches_the_logs_even_when_calls_fail()
    {
        var logs = new CapturedLogs();
        await using var server = new FakeOpenAiServer { Default = new FakeOpenAiServer.Answer(401, "Incorrect API key provided: " + ApiKey) };
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Verbose" },
            services: s => s.AddSingleton<Serilog.Core.ILogEventSink>(logs));
        var tenant = await app.Services.DemoTenantIdAsync();
        await using (var scope = app.Services.ForTenant(tenant))
        {
            var profiles = scope.ServiceProvider.GetRequiredService<ModelProfiles>();
            Assert.Empty(await profiles.SaveAsync(null, new ModelProfileInput
            {
                Name = "Local LLM", BaseUrl = server.BaseUrl, Model = "m", NewApiKey = ApiKey, ChainOrder = 0,
            }, CancellationToken.None));
            Assert.Empty(await profiles.SaveAsync(null, new ModelProfileInput { Name = "Offline", Kind = ModelProviderKind.BuiltIn, ChainOrder = 1 }, CancellationToken.None));
            await profiles.CheckAsync(null, new ModelProfileInput { Name = "x", BaseUrl = server.BaseUrl, Model = "m", NewApiKey = ApiKey }, CancellationToken.None);
        }

        var draft = await DraftAsync(app, tenant, "where is my order");

        Assert.Contains("Local LLM: HTTP 401", draft.Reasoning);
        Assert.NotEmpty(logs.Lines); // the sink sees this app's events
        Assert.DoesNotContain("SECRET", logs.All); // the server echoed the key in its 401; none of it reaches a log line
    }

    [Fact]
    public async Task Test_connection_lists_the_servers_models_and_reports_a_dead_endpoint()
    {
        await using var server = new FakeOpenAiServer();
        var (app, tenant) = await AppWithChainAsync(server);
        await using var _ = app;
        await using var scope = app.Services.ForTenant(tenant);
        var profiles = scope.ServiceProvider.GetRequiredService<ModelProfiles>();
        var id = (await profiles.ListAsync(CancellationToken.None)).Single(p => p.Name == "Local LLM").Id;

        var ok = await profiles.CheckAsync(id, new ModelProfileInput { Name = "Local LLM", BaseUrl = server.BaseUrl, Model = "local-model-b" }, CancellationToken.None);
        Assert.True(ok.Ok);
        Assert.Equal(["local-model-a", "local-model-b"], ok.Models);
        Assert.Equal($"Bearer {ApiKey}", server.Requests.Last().Authorization); // the stored key, decrypted only for the call

        var dead = await profiles.CheckAsync(null, new ModelProfileInput { Name = "Dead", BaseUrl = "http://127.0.0.1:9/v1", Model = "x", TimeoutSeconds = 2 }, CancellationToken.None);
        Assert.False(dead.Ok);
        Assert.Equal("Refused", dead.Error); // nothing listens on port 9

        // Each cause by name, so the dialog can say what to do next.
        var unknownModel = await profiles.CheckAsync(id, new ModelProfileInput { Name = "Local LLM", BaseUrl = server.BaseUrl, Model = "llama-9000" }, CancellationToken.None);
        Assert.Equal(("UnknownModel", 2), (unknownModel.Error, unknownModel.Models.Count));
        var dns = await profiles.CheckAsync(null, new ModelProfileInput { Name = "Typo", BaseUrl = "http://no-such-host.invalid/v1", Model = "x", TimeoutSeconds = 5 }, CancellationToken.None);
        Assert.Equal("Dns", dns.Error);
        var wrongPath = await profiles.CheckAsync(id, new ModelProfileInput { Name = "Local LLM", BaseUrl = server.BaseUrl + "/wrong", Model = "local-model-b" }, CancellationToken.None);
        Assert.Equal("NotFound", wrongPath.Error);
    }

    [Fact]
    public async Task Invalid_profiles_are_refused_field_by_field()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant);
        var profiles = scope.ServiceProvider.GetRequiredService<ModelProfiles>();

        var errors = await profiles.SaveAsync(null, new ModelProfileInput
        {
            Name = "", Kind = ModelProviderKind.OpenAiCompatible, BaseUrl = "ftp://nope", Model = "", Temperature = 3, MaxTokens = 1, TimeoutSeconds = 0, ChainOrder = 100,
        }, CancellationToken.None);

        Assert.Equal(["BaseUrl", "ChainOrder", "MaxTokens", "Model", "Name", "Temperature", "TimeoutSeconds"], errors.Keys.Order().ToArray());
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.ModelProfiles.ToListAsync());
    }
}
