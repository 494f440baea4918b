using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.Templates;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>Message templates: synced page by page, sent by a person into a closed window, Meta's refusals explained, never sent by the AI.</summary>
public sealed class WhatsAppTemplateTests : IAsyncLifetime
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;
    public const string BusinessAccountId = "200000000000002";
    private FakeGraphApi _graph = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _graph.Templates.AddRange(
        [
            new("order_update", "en", "Hi {{1}}, your order {{2}} has news. Reply to this message to continue."),
            new("order_update", "es", "Hola {{1}}, tu pedido {{2}} tiene novedades. Responde a este mensaje para continuar."),
            new("follow_up", "es_MX", "Hola {{customer_name}}, ¿te podemos ayudar en algo más? Llámanos al {{support_phone}}.", Header: "{{company}}"),
            new("black_friday", "en", "Deals for you, {{1}}!", Status: "PAUSED", Category: "MARKETING"),
            new("new_terms", "en", "Our terms changed.", Status: "PENDING"),
        ]);
    }

    public async Task DisposeAsync() => await _graph.DisposeAsync();

    private async Task<HitlAppFactory> AppAsync(DatabaseProvider provider)
    {
        var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true",
            ["Hangfire:PollInterval"] = "00:00:00.100",
            ["Demo:WhatsApp:GraphBaseUrl"] = _graph.BaseUrl,
            ["Pipeline:SendRetryDelay"] = "00:00:00.010",
        });
        await using var db = await Db(app);
        await db.Channels.IgnoreQueryFilters().Where(c => c.Kind == ChannelKind.WhatsAppCloud)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BusinessAccountId, BusinessAccountId));
        return app;
    }

    private static async Task<HitlDbContext> Db(HitlAppFactory app) =>
        await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();

    private static async Task<T> AsAgentAsync<T>(HitlAppFactory app, Func<IServiceProvider, Task<T>> work, bool person = true)
    {
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, person ? await app.Services.UserIdAsync(tenant, DemoUsers.Agent) : null);
        return await work(scope.ServiceProvider);
    }

    private static Task<SyncTemplates.Result> SyncAsync(HitlAppFactory app) =>
        AsAgentAsync(app, sp => sp.GetRequiredService<SyncTemplates>().HandleAsync(default));

    /// <summary>The customer wrote 25 hours ago: the window is closed, only a template can reach them.</summary>
    private static async Task<Guid> ClosedConversationAsync(HitlAppFactory app, string wamid = "wamid.OLDCUSTOMER")
    {
        Assert.Equal(System.Net.HttpStatusCode.OK,
            (await app.CreateClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage(wamid, "hola, ¿dónde está mi pedido?")]))).StatusCode);
        await using var db = await Db(app);
        await db.Contacts.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInboundUtc, DateTime.UtcNow.AddHours(-25)));
        var message = await db.Messages.IgnoreQueryFilters().SingleAsync(m => m.ExternalId == wamid);
        await db.Messages.IgnoreQueryFilters().Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Language, "es"));
        return message.ConversationId;
    }

    private static Task<Message> TemplateMessageAsync(HitlAppFactory app, Func<Message, bool> done) =>
        Eventually.GetAsync(async () =>
        {
            await using var db = await Db(app);
            var m = await db.Messages.IgnoreQueryFilters().Where(x => x.Type == "template").OrderByDescending(x => x.CreatedUtc).FirstOrDefaultAsync();
            return m is not null && done(m) ? m : null;
        }, what: "the template message");

    [Theory, MemberData(nameof(Providers))]
    public async Task Templates_are_synced_page_by_page_with_their_status_and_slots_and_a_vanished_one_is_removed(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);

        var synced = Assert.IsType<SyncTemplates.Result.Synced>(await SyncAsync(app));

        Assert.Equal(5, synced.Templates);
        Assert.Equal(3, _graph.Gets.Count); // pages of two, following paging.next
        Assert.All(_graph.Gets, g => Assert.Equal("Bearer test-access-token", g.Authorization));
        Assert.StartsWith($"/v21.0/{BusinessAccountId}/message_templates", _graph.Gets.First().PathAndQuery);
        var rows = await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ListAsync(default));
        Assert.Equal(["black_friday/en/PAUSED", "follow_up/es_MX/APPROVED", "new_terms/en/PENDING", "order_update/en/APPROVED", "order_update/es/APPROVED"],
            rows.Select(r => $"{r.Name}/{r.Language}/{r.Status}"));
        var followUp = rows.Single(r => r.Name == "follow_up");
        Assert.Equal(["header:company", "body:customer_name", "body:support_phone"], followUp.Slots.Select(s => $"{s.Component}:{s.Name}"));
        Assert.Equal("Reply STOP to opt out", followUp.Footer);

        // Another workspace sees none of them.
        var (other, otherAdmin, _) = await app.Services.CreateOtherTenantAsync();
        await using (var scope = app.Services.ForTenant(other, otherAdmin))
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<GetTemplates>().ListAsync(default));

        _graph.Templates.RemoveAll(t => t.Name == "new_terms");
        _graph.Templates[0] = _graph.Templates[0] with { Status = "PAUSED" };
        Assert.Equal(new SyncTemplates.Result.Synced(4, 1), await SyncAsync(app));
        rows = await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ListAsync(default));
        Assert.DoesNotContain(rows, r => r.Name == "new_terms");
        Assert.Equal("PAUSED", rows.Single(r => r.Name == "order_update" && r.Language == "en").Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failed_sync_keeps_the_templates_already_stored_and_says_why(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        await SyncAsync(app);
        _graph.ThenMetaError(401, 190, "Error validating access token");

        var failed = Assert.IsType<SyncTemplates.Result.Failed>(await SyncAsync(app));

        Assert.Equal("190", failed.Code);
        Assert.Equal(MetaErrorKind.AccessDenied, MetaErrors.Classify(failed.Code));
        Assert.Equal(5, (await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ListAsync(default))).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_agent_sends_a_template_in_the_customers_language_into_a_closed_window_and_the_timeline_shows_it(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        await SyncAsync(app);
        var conversationId = await ClosedConversationAsync(app);

        var picker = (await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ForConversationAsync(conversationId, default)))!;
        Assert.Equal("es", picker.Language);
        Assert.Equal(["follow_up/es_MX", "order_update/es", "order_update/en"], picker.Templates.Select(t => $"{t.Name}/{t.Language}")); // approved only, Spanish first
        var template = picker.Templates.Single(t => t.Name == "order_update" && t.Language == "es");
        var values = picker.PrefillFor(template).ToList();
        Assert.Equal(["Carla Cliente", ""], values); // {{1}} is the customer's name
        values[1] = "4411223";
        Assert.Equal("Hola Carla Cliente, tu pedido 4411223 tiene novedades. Responde a este mensaje para continuar.\n\nReply STOP to opt out",
            template.Render(values));

        var sent = Assert.IsType<SendTemplate.Result.Sent>(await AsAgentAsync(app, sp =>
            sp.GetRequiredService<SendTemplate>().HandleAsync(conversationId, template.Id, values, default)));

        var message = await TemplateMessageAsync(app, m => m.DeliveryState == DeliveryState.Sent);
        Assert.Equal((sent.MessageId, MessageAuthor.Agent), (message.Id, message.Author));
        var request = Assert.Single(_graph.Requests);
        Assert.Equal("template", request.Body.GetProperty("type").GetString());
        var body = request.Body.GetProperty("template");
        Assert.Equal(("order_update", "es"), (body.GetProperty("name").GetString(), body.GetProperty("language").GetProperty("code").GetString()));
        Assert.Equal(["Carla Cliente", "4411223"], body.GetProperty("components")[0].GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("text").GetString()));

        var view = (await AsAgentAsync(app, sp => sp.GetRequiredService<GetConversation>().HandleAsync(conversationId, default)))!;
        var bubble = view.Timeline.Single(b => b.Id == message.Id);
        Assert.Equal(("template", "order_update", DeliveryState.Sent), (bubble.Type, bubble.TemplateName, bubble.State));
        Assert.StartsWith("Hola Carla Cliente, tu pedido 4411223", bubble.Text);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Named_parameters_are_prefilled_from_the_workspace_variables_and_sent_by_name(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        await SyncAsync(app);
        var conversationId = await ClosedConversationAsync(app);
        var picker = (await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ForConversationAsync(conversationId, default)))!;
        var followUp = picker.Templates.Single(t => t.Name == "follow_up");
        var values = picker.PrefillFor(followUp).ToList();
        Assert.Equal("Carla Cliente", values[1]);
        values = values.Select(v => v.Length == 0 ? "ShopDemo" : v).ToList();

        await AsAgentAsync(app, sp => sp.GetRequiredService<SendTemplate>().HandleAsync(conversationId, followUp.Id, values, default));

        await TemplateMessageAsync(app, m => m.DeliveryState == DeliveryState.Sent);
        var components = Assert.Single(_graph.Requests).Body.GetProperty("template").GetProperty("components");
        Assert.Equal(["header:company", "body:customer_name", "body:support_phone"], components.EnumerateArray()
            .SelectMany(c => c.GetProperty("parameters").EnumerateArray().Select(p => $"{c.GetProperty("type").GetString()}:{p.GetProperty("parameter_name").GetString()}")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Metas_template_refusals_fail_at_once_with_their_code_and_a_rate_limit_is_retried(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        await SyncAsync(app);
        var conversationId = await ClosedConversationAsync(app);
        var rows = await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ListAsync(default));
        var en = rows.Single(t => t.Name == "order_update" && t.Language == "en");
        Task<SendTemplate.Result> Send() => AsAgentAsync(app, sp => sp.GetRequiredService<SendTemplate>().HandleAsync(conversationId, en.Id, ["Carla", "1"], default));

        // Paused at Meta since the last sync.
        _graph.Templates[0] = _graph.Templates[0] with { Status = "PAUSED" };
        await Send();
        var paused = await TemplateMessageAsync(app, m => m.DeliveryState == DeliveryState.Failed);
        Assert.Equal(("132015", 1), (paused.ErrorCode, paused.SendAttempts));
        Assert.Equal(MetaErrorKind.TemplateUnavailable, MetaErrors.Classify(paused.ErrorCode));

        // Edited at Meta to take three parameters.
        _graph.Templates[0] = _graph.Templates[0] with { Status = "APPROVED", Body = "Hi {{1}}, order {{2}} ships {{3}}." };
        await Send();
        var mismatch = await TemplateMessageAsync(app, m => m.Id != paused.Id && m.DeliveryState == DeliveryState.Failed);
        Assert.Equal(("132000", MetaErrorKind.ParameterMismatch), (mismatch.ErrorCode, MetaErrors.Classify(mismatch.ErrorCode)));

        // A rate limit is only a delay.
        _graph.Templates[0] = _graph.Templates[0] with { Body = "Hi {{1}}, your order {{2}} has news." };
        _graph.ThenMetaError(400, 130429, "Rate limit hit");
        await Send();
        var sent = await TemplateMessageAsync(app, m => m.Id != paused.Id && m.Id != mismatch.Id && m.DeliveryState == DeliveryState.Sent);
        Assert.Equal(2, sent.SendAttempts);
        Assert.Equal(4, _graph.Requests.Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_template_is_never_sent_without_a_person_and_not_with_empty_parameters_or_once_no_longer_approved(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        await SyncAsync(app);
        var conversationId = await ClosedConversationAsync(app);
        var rows = await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ListAsync(default));
        var approved = rows.Single(t => t.Name == "order_update" && t.Language == "en");
        var paused = rows.Single(t => t.Name == "black_friday");

        Assert.IsType<SendTemplate.Result.NotAllowed>(await AsAgentAsync(app, sp =>
            sp.GetRequiredService<SendTemplate>().HandleAsync(conversationId, approved.Id, ["Carla", "1"], default), person: false));
        Assert.Equal([1], Assert.IsType<SendTemplate.Result.MissingValues>(await AsAgentAsync(app, sp =>
            sp.GetRequiredService<SendTemplate>().HandleAsync(conversationId, approved.Id, ["Carla", " "], default))).Slots);
        Assert.Equal("PAUSED", Assert.IsType<SendTemplate.Result.NotApproved>(await AsAgentAsync(app, sp =>
            sp.GetRequiredService<SendTemplate>().HandleAsync(conversationId, paused.Id, ["Carla"], default))).Status);

        // A template message the AI wrote (however it got there) is refused by the send job, before Meta.
        var tenant = await app.Services.DemoTenantIdAsync();
        Guid aiMessage;
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var conversation = await db.Conversations.SingleAsync(c => c.Id == conversationId);
            var m = new Message
            {
                ChannelId = conversation.ChannelId, ConversationId = conversationId, Direction = MessageDirection.Outbound, Author = MessageAuthor.Ai,
                Type = "template", Text = "Hi", DeliveryState = DeliveryState.Queued, SentUtc = DateTime.UtcNow, CreatedUtc = DateTime.UtcNow,
                Template = JsonSerializer.Serialize(new SendTemplate.Stored("order_update", "en", [new("body", "1", "Carla"), new("body", "2", "1")]),
                    new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            };
            db.Messages.Add(m);
            await db.SaveChangesAsync();
            aiMessage = m.Id;
        }
        await using (var scope = app.Services.ForTenant(tenant))
            await scope.ServiceProvider.GetRequiredService<SendOutbound>().HandleAsync(aiMessage, default);
        var refused = await TemplateMessageAsync(app, m => m.Id == aiMessage && m.DeliveryState == DeliveryState.Failed);
        Assert.Equal("policy", refused.ErrorCode);
        await app.QuietAsync();
        Assert.Empty(_graph.Requests);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_recurring_job_syncs_every_workspace_with_a_business_account(DatabaseProvider provider)
    {
        await using var app = await AppAsync(provider);
        await app.Services.GetRequiredService<SyncTemplatesJob>().RunAsync(default);
        Assert.Equal(5, (await AsAgentAsync(app, sp => sp.GetRequiredService<GetTemplates>().ListAsync(default))).Count);
    }
}
