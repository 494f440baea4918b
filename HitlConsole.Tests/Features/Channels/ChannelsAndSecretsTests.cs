using System.Net;
using System.Net.Http.Json;
using System.Text;
using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Features.Channels.Settings;
using HitlConsole.Features.Models;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>The channels page's handler and the promise that no secret is ever stored, exported or logged in clear.</summary>
public sealed class ChannelsAndSecretsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private const string AccessToken = "EAAG-plain-access-token-7f3a91";
    private const string AppSecret = "plain-app-secret-4c2e0b";
    private const string VerifyToken = "plain-verify-token-88d1";
    private const string ModelKey = "sk-plain-model-key-5b7e22";

    private static async Task<T> AsAdminAsync<T>(HitlAppFactory app, Func<IServiceProvider, Task<T>> work)
    {
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
        return await work(scope.ServiceProvider);
    }

    private static async Task<ChannelView> WhatsAppAsync(HitlAppFactory app) =>
        (await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().ListAsync(default))).Single(c => c.Kind == ChannelKind.WhatsAppCloud);

    private static WhatsAppChannelInput Input(ChannelView current, string? token = null, string? secret = null, string? verify = null,
        string? graphBaseUrl = null) => new()
    {
        Name = current.Name, PhoneNumberId = current.PhoneNumberId, GraphBaseUrl = graphBaseUrl ?? current.GraphBaseUrl!, GraphVersion = "v21.0",
        NewAccessToken = token, NewAppSecret = secret, NewVerifyToken = verify,
    };

    [Fact]
    public async Task After_saving_every_kind_of_secret_the_database_file_holds_none_of_them_in_clear()
    {
        var logs = new CapturedLogs();
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Verbose" },
            services: s => s.AddSingleton<Serilog.Core.ILogEventSink>(logs));
        var wa = await WhatsAppAsync(app);
        Assert.Empty(await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>()
            .SaveWhatsAppAsync(wa.Id, Input(wa, AccessToken, AppSecret, VerifyToken), default)));
        Assert.Empty(await AsAdminAsync(app, sp => sp.GetRequiredService<ModelProfiles>().SaveAsync(null, new ModelProfileInput
        {
            Name = "OpenAI", BaseUrl = "https://api.openai.com/v1", Model = "gpt-4o-mini", NewApiKey = ModelKey, ChainOrder = 5,
        }, default)));
        var simulator = (await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().ListAsync(default))).Single(c => c.Kind == ChannelKind.Simulator);
        var simulatorKey = (await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().RegenerateSimulatorKeyAsync(simulator.Id, default)))!;
        var live = await AsAdminAsync(app, sp => sp.GetRequiredService<GetLiveConfig>().HandleAsync(default));
        live.Document.Identity.Tone = "formal and precise";
        await AsAdminAsync(app, sp => sp.GetRequiredService<SaveAgentConfig>().HandleAsync(live.Document, live.Number, null, default));
        var export = await AsAdminAsync(app, sp => sp.GetRequiredService<ExportAgentConfig>().HandleAsync(2, default));

        // The masked view shows when, and the token's last four characters only.
        wa = await WhatsAppAsync(app);
        Assert.Equal("3a91", wa.AccessTokenHint);
        Assert.NotNull(wa.AppSecretSetUtc);
        Assert.NotNull(wa.VerifyTokenSetUtc);

        // Every byte the database keeps: the main file and its write-ahead log.
        SqliteConnection.ClearAllPools();
        var file = new SqliteConnectionStringBuilder(app.Database.ConnectionString).DataSource;
        var bytes = File.ReadAllBytes(file).Concat(File.Exists(file + "-wal") ? File.ReadAllBytes(file + "-wal") : []).ToArray();
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf("formal and precise"u8)); // control: the scan sees what was just written
        foreach (var secret in new[] { AccessToken, AppSecret, VerifyToken, ModelKey, simulatorKey })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
            Assert.DoesNotContain(secret, export);
            Assert.DoesNotContain(secret, logs.All);
        }
        Assert.NotEmpty(logs.Lines);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_new_app_secret_and_verify_token_take_effect_for_the_webhook_at_once(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.A1", "hi")]))).StatusCode);
        var wa = await WhatsAppAsync(app);
        Assert.Empty(await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>()
            .SaveWhatsAppAsync(wa.Id, Input(wa, secret: AppSecret, verify: VerifyToken), default)));

        Assert.Equal(HttpStatusCode.Unauthorized,
            (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.A2", "hi")]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.A3", "hi")]), AppSecret)).StatusCode);
        var handshake = await client.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=12345");
        Assert.Equal("12345", await handshake.Content.ReadAsStringAsync());

        // The access token was left empty: it is kept, not erased.
        Assert.Equal(wa.AccessTokenSetUtc, (await WhatsAppAsync(app)).AccessTokenSetUtc);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.Action == "channel.updated").SingleAsync();
        Assert.DoesNotContain(AppSecret, audit.After);
        Assert.DoesNotContain(VerifyToken, audit.After);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bad_channel_settings_are_refused_field_by_field_and_a_phone_number_id_belongs_to_one_workspace(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var errors = await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().SaveWhatsAppAsync(null, new WhatsAppChannelInput
        {
            Name = " ", PhoneNumberId = "12ab", BusinessAccountId = "x", GraphBaseUrl = "ftp://graph", GraphVersion = "21", NewAccessToken = new string('t', 1001),
        }, default));
        Assert.Equal(["BusinessAccountId", "GraphBaseUrl", "GraphVersion", "Name", "NewAccessToken", "NewAppSecret", "NewVerifyToken", "PhoneNumberId"],
            errors.Keys.Order());

        var (other, otherAdmin, _) = await app.Services.CreateOtherTenantAsync();
        await using var scope = app.Services.ForTenant(other, otherAdmin);
        var taken = await scope.ServiceProvider.GetRequiredService<ManageChannels>().SaveWhatsAppAsync(null, new WhatsAppChannelInput
        {
            PhoneNumberId = HitlAppFactory.PhoneNumberId, NewAccessToken = "a", NewAppSecret = "b", NewVerifyToken = "c",
        }, default);
        Assert.Equal("ChannelErrorPhoneTaken", taken["PhoneNumberId"]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_regenerated_simulator_key_replaces_the_old_one_immediately(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var simulator = (await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().ListAsync(default))).Single(c => c.Kind == ChannelKind.Simulator);
        var key = (await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().RegenerateSimulatorKeyAsync(simulator.Id, default)))!;

        async Task<HttpStatusCode> PostAsync(string apiKey)
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            return (await client.PostAsJsonAsync("/api/simulator/messages", new { from = "+34600999888", name = "Leo", text = "hello" })).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(HitlAppFactory.SimulatorKey));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(key));
    }

    /// <summary>A new workspace's admin gets a simulator key from the channels page before anyone has opened the simulator.</summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task A_new_workspace_lists_its_simulator_and_its_key_works_at_once(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var (tenant, adminId, _) = await app.Services.CreateOtherTenantAsync("Fresh Co");
        await using var scope = app.Services.ForTenant(tenant, adminId);
        var channels = scope.ServiceProvider.GetRequiredService<ManageChannels>();

        var simulator = (await channels.ListAsync(default)).Single(c => c.Kind == ChannelKind.Simulator);
        Assert.Null(simulator.ApiKeySetUtc);
        Assert.Single(await channels.ListAsync(default), c => c.Kind == ChannelKind.Simulator);
        var key = (await channels.RegenerateSimulatorKeyAsync(simulator.Id, default))!;

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var sent = await client.PostAsJsonAsync("/api/simulator/messages", new { from = "+34600123123", name = "Ana", text = "hola" });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal("hola", (await db.Messages.SingleAsync()).Text);
    }

    [Fact]
    public async Task Send_test_message_reports_what_meta_answered()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var app = await HitlAppFactory.CreateAsync();
        var wa = await WhatsAppAsync(app);
        Assert.Empty(await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>()
            .SaveWhatsAppAsync(wa.Id, Input(wa, token: AccessToken, graphBaseUrl: graph.BaseUrl), default)));

        var sent = await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().SendTestAsync(wa.Id, "+34 600111222".Replace(" ", ""), "Test", default));
        Assert.IsType<SendResult.Sent>(sent);
        var request = Assert.Single(graph.Requests);
        Assert.Equal($"Bearer {AccessToken}", request.Authorization);
        Assert.Equal("34600111222", request.Body.GetProperty("to").GetString());

        graph.ThenMetaError(400, 131030, "Recipient phone number not in allowed list");
        var failed = Assert.IsType<SendResult.Failed>(await AsAdminAsync(app, sp => sp.GetRequiredService<ManageChannels>().SendTestAsync(wa.Id, "34600111222", "Test", default)));
        Assert.Equal("131030", failed.Code);
    }
}
