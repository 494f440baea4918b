using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Learning;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Learning;

/// <summary>Every correction teaches the assistant: replies become proposals, proposals become entries, gaps become visible.</summary>
public sealed class LearningTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Fact]
    public void A_reply_for_one_customer_becomes_an_answer_for_everyone()
    {
        var context = new AnswerGeneraliser.Context("Maria Lopez", ["hi, where is my order #A778812?"],
            new Dictionary<string, string> { ["Customer Support Phone Number"] = "+1 555 0100" }, "en");
        var answer = AnswerGeneraliser.Answer(
            "Hi Maria, order A778812 left our warehouse today. Call +1 555 0100 or write to maria.lopez@mail.example, or 600 111 222.", context);
        Assert.Equal("Hi {{Customer Name}}, order {{Order Number}} left our warehouse today. Call {{Customer Support Phone Number}} or write to, or.", answer);
        Assert.Equal("hi, where is my order #?", AnswerGeneraliser.Question("hi, where is my order #A778812?", context));
        var spanish = AnswerGeneraliser.Answer("Hola Maria, tu pedido A778812 ya salió.", context with { Language = "es" });
        Assert.Equal("Hola {{Nombre del cliente}}, tu pedido {{Número de pedido}} ya salió.", spanish);
    }

    [Fact]
    public void The_customers_street_address_never_reaches_the_knowledge()
    {
        var context = new AnswerGeneraliser.Context("Lucía Pardo", ["me he mudado, cambiad la dirección del pedido 99812 a Calle Alcalá 45, 3ºB, 28014 Madrid porfa"],
            new Dictionary<string, string>(), "es");
        var answer = AnswerGeneraliser.Answer("Hecho, Lucía: el pedido 99812 irá a Calle Alcalá 45, 3ºB, 28014 Madrid. ¡Gracias!", context);
        Assert.Equal("Hecho, {{Nombre del cliente}}: el pedido {{Número de pedido}} irá a {{Dirección del cliente}}. ¡Gracias!", answer);
        // Repeated in part, the street and number still go.
        Assert.Equal("Enviado a {{Dirección del cliente}}, 3º.", AnswerGeneraliser.Answer("Enviado a calle alcalá 45, 3º.", context));
        Assert.Equal("cambiad la dirección del pedido a",
            AnswerGeneraliser.Question("cambiad la dirección del pedido 99812 a Calle Alcalá 45, 3ºB, 28014 Madrid", context));
        var english = new AnswerGeneraliser.Context(null, ["please send order 55120 to 12 Baker Street, London NW1 6XE instead"], new Dictionary<string, string>(), "en");
        Assert.Equal("Done: order {{Order Number}} now goes to {{Customer Address}}.",
            AnswerGeneraliser.Answer("Done: order 55120 now goes to 12 Baker Street, London NW1 6XE.", english));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_agent_saves_a_rewritten_reply_as_a_proposal_and_publishes_once_the_workspace_allows_it(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agentId = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var adminId = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        var seeded = await WaitingConversations.SeedAsync(app.Services, tenant, 3, DateTime.UtcNow.AddMinutes(-1), TimeSpan.FromMinutes(1),
            namePrefix: "Maria", text: "Where is my order A778812?", draft: "Your order is on its way.");

        await using (var scope = app.Services.ForTenant(tenant, agentId))
        {
            var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
            var propose = scope.ServiceProvider.GetRequiredService<ProposeKnowledge>();
            // Sent unchanged, or with a typo fixed: nothing to learn.
            Assert.IsType<ReviewDraft.Result.Sent>(await review.ApproveAsync(await DraftIdAsync(app, tenant, seeded[1].ConversationId), 0, "Your order is on it's way.", default));
            Assert.Null(await propose.GetOfferAsync(seeded[1].ConversationId, default));

            var rewritten = "Hi Maria, order A778812 left our warehouse this morning; you can follow it on the tracking page. Questions? Call +1 555 0100.";
            Assert.IsType<ReviewDraft.Result.Sent>(await review.ApproveAsync(await DraftIdAsync(app, tenant, seeded[0].ConversationId), 0, rewritten, default));
            var offer = await propose.GetOfferAsync(seeded[0].ConversationId, default);
            Assert.NotNull(offer);
            Assert.Equal(SuggestionOrigin.Edited, offer.Origin);
            Assert.Equal("Your order is on its way.", offer.ReplacedDraft);
            Assert.False(offer.CanPublish);
            Assert.Equal("Where is my order?", offer.Prefill.Question);
            Assert.Equal("Hi {{Customer Name}}, order {{Order Number}} left our warehouse this morning; you can follow it on the tracking page. Questions? Call {{Customer Support Phone Number}}.",
                offer.Prefill.Answer);
            Assert.Equal(("track_order", "en"), (offer.Prefill.Intent, offer.Prefill.Language));

            // Bad input is refused field by field; publishing is refused to an agent while the workspace does not allow it.
            var empty = new KnowledgeInput { Question = offer.Prefill.Question, Answer = " ", Language = "en" };
            var invalid = Assert.IsType<ProposeKnowledge.Result.Invalid>(await propose.SubmitAsync(seeded[0].ConversationId, offer.SentMessageId, empty, false, default));
            Assert.Equal("KnowledgeErrorAnswer", invalid.Errors["Answer"]);
            Assert.IsType<ProposeKnowledge.Result.Forbidden>(await propose.SubmitAsync(seeded[0].ConversationId, offer.SentMessageId, offer.Prefill, true, default));

            Assert.IsType<ProposeKnowledge.Result.Proposed>(await propose.SubmitAsync(seeded[0].ConversationId, offer.SentMessageId, offer.Prefill, false, default));
            Assert.Null(await propose.GetOfferAsync(seeded[0].ConversationId, default));
            Assert.IsType<ProposeKnowledge.Result.AlreadyProposed>(await propose.SubmitAsync(seeded[0].ConversationId, offer.SentMessageId, offer.Prefill, false, default));
            Assert.IsType<SuggestedKnowledge.Result.Forbidden>(await scope.ServiceProvider.GetRequiredService<SuggestedKnowledge>().SetAgentsPublishAsync(true, default));
        }

        await using (var scope = app.Services.ForTenant(tenant, adminId))
            Assert.IsType<SuggestedKnowledge.Result.Done>(await scope.ServiceProvider.GetRequiredService<SuggestedKnowledge>().SetAgentsPublishAsync(true, default));

        await using (var scope = app.Services.ForTenant(tenant, agentId))
        {
            // A reply written by hand, after the draft was rejected: the agent may now publish it at once.
            var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
            var propose = scope.ServiceProvider.GetRequiredService<ProposeKnowledge>();
            Assert.IsType<ReviewDraft.Result.Rejected>(await review.RejectAsync(await DraftIdAsync(app, tenant, seeded[2].ConversationId), 0, "Wrong answer", default));
            Assert.IsType<ReviewDraft.Result.Sent>(await review.SendOwnReplyAsync(seeded[2].ConversationId, "Parcels with an order number starting with A ship from Madrid and take two days.", default));
            var offer = await propose.GetOfferAsync(seeded[2].ConversationId, default);
            Assert.NotNull(offer);
            Assert.Equal(SuggestionOrigin.HandWritten, offer.Origin);
            Assert.Equal("Your order is on its way.", offer.ReplacedDraft);
            Assert.True(offer.CanPublish);
            var published = Assert.IsType<ProposeKnowledge.Result.Published>(
                await propose.SubmitAsync(seeded[2].ConversationId, offer.SentMessageId, offer.Prefill, true, default));
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            var entry = await db.KnowledgeEntries.SingleAsync(e => e.Id == published.EntryId);
            Assert.NotNull(entry.Embedding); // given its vector at once, not at the next sweep
            Assert.Equal(SuggestionState.Accepted, (await db.KnowledgeSuggestions.SingleAsync(s => s.Id == published.SuggestionId)).State);
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "knowledge-suggestion.proposed"));
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "workspace.agents-publish-knowledge"));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_reply_to_a_message_the_guardrail_stopped_is_not_offered_as_knowledge(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agentId = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var seeded = await WaitingConversations.SeedAsync(app.Services, tenant, 2, DateTime.UtcNow.AddMinutes(-5), TimeSpan.FromMinutes(1),
            state: DraftState.Blocked, namePrefix: "Javier", text: "Si no me devuelven el dinero hoy, los denuncio.", draft: "Gracias por tu mensaje.");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.Drafts.IgnoreQueryFilters().Where(d => d.ConversationId == seeded[0].ConversationId)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Classification, "blocked").SetProperty(d => d.StateReason, "Legal"));

        await using var scope = app.Services.ForTenant(tenant, agentId);
        var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
        var propose = scope.ServiceProvider.GetRequiredService<ProposeKnowledge>();
        var answer = "Entendemos tu enfado, Javier. Hemos abierto una solicitud de reembolso y te escribimos hoy mismo con el número.";
        foreach (var c in seeded)
            Assert.IsType<ReviewDraft.Result.Sent>(await review.ApproveAsync(await DraftIdAsync(app, tenant, c.ConversationId), 0, answer, default));

        Assert.Null(await propose.GetOfferAsync(seeded[0].ConversationId, default));
        // The same reply to a draft stopped for another reason (here: none recorded) is still offered, so the rule is what it says.
        Assert.NotNull(await propose.GetOfferAsync(seeded[1].ConversationId, default));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_offer_names_the_question_a_hand_written_reply_answered_and_is_gone_once_the_customer_asks_something_newer(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agentId = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var seeded = await WaitingConversations.SeedAsync(app.Services, tenant, 1, DateTime.UtcNow.AddMinutes(-5), TimeSpan.Zero,
            namePrefix: "Iker", text: "Do you ship to the Canary Islands?", draft: "Your order is on its way.");
        var conversation = seeded[0].ConversationId;

        await using var scope = app.Services.ForTenant(tenant, agentId);
        var review = scope.ServiceProvider.GetRequiredService<ReviewDraft>();
        var propose = scope.ServiceProvider.GetRequiredService<ProposeKnowledge>();
        Assert.IsType<ReviewDraft.Result.Rejected>(await review.RejectAsync(await DraftIdAsync(app, tenant, conversation), 0, "Wrong answer", default));
        Assert.IsType<ReviewDraft.Result.Sent>(await review.SendOwnReplyAsync(conversation, "Yes, to the Canary Islands in four to six working days.", default));
        var offer = await propose.GetOfferAsync(conversation, default);
        Assert.NotNull(offer);
        Assert.Equal((SuggestionOrigin.HandWritten, "Do you ship to the Canary Islands?"), (offer.Origin, offer.Question));

        // The customer asks something else: its draft waits, and the offer must not sit under it as if it answered it.
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var sent = await db.Messages.SingleAsync(m => m.Id == offer.SentMessageId);
            var newer = new Message
            {
                ChannelId = sent.ChannelId, ConversationId = conversation, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
                Text = "And can I pay with Bizum?", ExternalId = Guid.NewGuid().ToString("N"), SentUtc = sent.SentUtc.AddSeconds(30),
                CreatedUtc = sent.SentUtc.AddSeconds(30), Language = "en",
            };
            db.AddRange(newer, new Draft
            {
                ConversationId = conversation, MessageId = newer.Id, ChannelId = sent.ChannelId, Intent = "payment_methods", State = DraftState.Pending,
                Confidence = 70, Text = "We accept cards.", Quarter = HitlConsole.Features.Analytics.AnalyticsTime.QuarterOf(newer.SentUtc),
                CreatedUtc = newer.CreatedUtc, UpdatedUtc = newer.CreatedUtc,
            });
            await db.SaveChangesAsync();
        }
        Assert.Null(await propose.GetOfferAsync(conversation, default));
        // A form already open for the earlier reply can still be sent.
        Assert.IsType<ProposeKnowledge.Result.Proposed>(await propose.SubmitAsync(conversation, offer.SentMessageId, offer.Prefill, false, default));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_admin_accepts_a_cluster_of_near_duplicate_suggestions_and_the_next_draft_answers_from_it(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", HitlAppFactory.SimulatorKey);

        // The corrections API: a clear error for bad input, a proposal otherwise (the workspace does not let agents publish).
        using (var anonymous = app.CreateClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(CorrectionsApi.Path, new { question = "q", answer = "a", language = "en" })).StatusCode);
        var bad = await http.PostAsJsonAsync(CorrectionsApi.Path, new { question = "Do you deliver on Sundays?", answer = "Yes.", language = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.True(problem.Contains("en or es"), problem);
        const string answer = "Yes: our couriers deliver on Sundays between 10:00 and 14:00 in every city we serve.";
        foreach (var question in new[] { "Do you deliver on Sundays?", "do you deliver on sundays", "Do you deliver on a Sunday?", "How do I change the password of my account?" })
        {
            var response = await http.PostAsJsonAsync(CorrectionsApi.Path, new { question, answer = question.Contains("password") ? "Use the reset link." : answer, intent = "delivery_period", language = "en" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("proposed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        }

        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
        var queue = scope.ServiceProvider.GetRequiredService<SuggestedKnowledge>();
        var clusters = await queue.ListAsync(null, default);
        var sundays = Assert.Single(clusters, c => c.Question.Contains("Sunday", StringComparison.OrdinalIgnoreCase));
        Assert.True(sundays.Count >= 2, $"near-duplicates share a cluster ({sundays.Count})");
        Assert.Single(clusters, c => c.Question.Contains("password"));
        Assert.Equal(4, clusters.Sum(c => c.Count));
        Assert.Empty(await queue.ListAsync("es", default));

        await using (var agentScope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent)))
            Assert.IsType<SuggestedKnowledge.Result.Forbidden>(await agentScope.ServiceProvider.GetRequiredService<SuggestedKnowledge>()
                .AcceptAsync(sundays.Ids, new KnowledgeInput { Question = sundays.Question, Answer = answer, Language = "en" }, default));

        // The entry carries the intent the assistant gives the question, as the editor's prefill does (the draft's intent).
        var before = await (await http.PostAsJsonAsync("/api/sandbox/draft", new { text = "do you deliver on sundays?" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain("Sundays between 10:00 and 14:00", before.GetProperty("reply").GetString());
        var input = new KnowledgeInput { Question = sundays.Question, Answer = sundays.Answer, Intent = before.GetProperty("intent").GetString(), Language = "en", Category = "learned" };
        var done = Assert.IsType<SuggestedKnowledge.Result.Done>(await queue.AcceptAsync(sundays.Ids, input, default));
        Assert.Equal(sundays.Count, done.Count);
        Assert.IsType<SuggestedKnowledge.Result.AlreadyDecided>(await queue.AcceptAsync(sundays.Ids, input, default));

        // The very next draft finds the new entry first.
        var draft = await (await http.PostAsJsonAsync("/api/sandbox/draft", new { text = "do you deliver on sundays?" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(done.EntryId!.Value, draft.GetProperty("sources")[0].GetProperty("id").GetGuid());
        Assert.Contains("Sundays between 10:00 and 14:00", draft.GetProperty("reply").GetString());

        var rest = await queue.ListAsync(null, default);
        var password = Assert.Single(rest);
        Assert.IsType<SuggestedKnowledge.Result.Done>(await queue.DismissAsync(password.Ids, default));
        Assert.Empty(await queue.ListAsync(null, default));
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "knowledge-suggestion.accepted"));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "knowledge-suggestion.dismissed"));
        Assert.Equal(sundays.Count, await db.KnowledgeSuggestions.CountAsync(s => s.KnowledgeEntryId == done.EntryId && s.State == SuggestionState.Accepted));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_suggestion_merged_into_the_closest_entry_rewrites_its_answer(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var existing = await app.Services.AddKnowledgeAsync(tenant, "Do you ship to the Faroe Islands?", "We do not ship there yet.", "delivery_options");
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
        await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Knowledge.Search.KnowledgeEmbedder>().EmbedNowAsync(existing, default);
        var propose = scope.ServiceProvider.GetRequiredService<ProposeKnowledge>();
        Assert.IsType<ProposeKnowledge.Result.Proposed>(await propose.SubmitCorrectionAsync(new KnowledgeInput
            { Question = "Do you ship to the Faroe Islands?", Answer = "Yes, since March: five to seven working days.", Language = "en" }, null, default));
        var queue = scope.ServiceProvider.GetRequiredService<SuggestedKnowledge>();
        var cluster = Assert.Single(await queue.ListAsync(null, default));
        Assert.Equal(existing, cluster.Closest?.Id);
        Assert.IsType<SuggestedKnowledge.Result.Invalid>(await queue.MergeAsync(cluster.Ids, existing, "", default));
        Assert.IsType<SuggestedKnowledge.Result.Done>(await queue.MergeAsync(cluster.Ids, existing, cluster.Answer, default));
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal("Yes, since March: five to seven working days.", (await db.KnowledgeEntries.SingleAsync(e => e.Id == existing)).Answer);
        Assert.Equal(SuggestionState.Merged, (await db.KnowledgeSuggestions.SingleAsync()).State);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Knowledge_gaps_cluster_unanswered_messages_per_language_and_an_admin_turns_one_into_an_entry(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        var english = await WaitingConversations.SeedAsync(app.Services, tenant, 3, now.AddMinutes(-1), TimeSpan.FromHours(30), text: "Do you sell gift cards?", namePrefix: "Gift");
        var spanish = await WaitingConversations.SeedAsync(app.Services, tenant, 2, now.AddMinutes(-2), TimeSpan.FromMinutes(5), text: "¿Vendéis tarjetas regalo?", namePrefix: "Regalo");
        await WaitingConversations.SeedAsync(app.Services, tenant, 1, now.AddMinutes(-3), TimeSpan.Zero, text: "Where is my parcel?", namePrefix: "Fine");
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var gaps = english.Concat(spanish).Select(s => s.ConversationId).ToList();
            await db.Drafts.Where(d => gaps.Contains(d.ConversationId)).ExecuteUpdateAsync(s => s.SetProperty(d => d.OutOfKnowledge, true).SetProperty(d => d.Intent, (string?)null));
            var es = spanish.Select(s => s.ConversationId).ToList();
            await db.Messages.Where(m => es.Contains(m.ConversationId)).ExecuteUpdateAsync(s => s.SetProperty(m => m.Language, "es"));
        }

        await using (var managerScope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Manager)))
        {
            var gaps = managerScope.ServiceProvider.GetRequiredService<KnowledgeGaps>();
            var list = await gaps.ListAsync(new KnowledgeGaps.Query(30), default);
            Assert.Equal(2, list.Count);
            var en = Assert.Single(list, g => g.Language == "en");
            Assert.Equal((3, 3, "Do you sell gift cards?"), (en.Count, en.OutOfKnowledge, en.Question));
            Assert.Equal(3, en.Weeks.Sum(w => w.Count));
            Assert.Equal(2, Assert.Single(list, g => g.Language == "es").Count);
            Assert.Single(await gaps.ListAsync(new KnowledgeGaps.Query(30, "es"), default));
            Assert.IsType<KnowledgeGaps.Result.Forbidden>(await gaps.CloseAsync(en.DraftIds, new KnowledgeInput { Question = en.Question, Answer = "Yes.", Language = "en" }, default));
        }

        await using var adminScope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
        var handler = adminScope.ServiceProvider.GetRequiredService<KnowledgeGaps>();
        var gap = Assert.Single(await handler.ListAsync(new KnowledgeGaps.Query(30, "en"), default));
        var missing = Assert.IsType<KnowledgeGaps.Result.Invalid>(await handler.CloseAsync(gap.DraftIds, new KnowledgeInput { Question = gap.Question, Answer = "", Language = "en" }, default));
        Assert.Equal("KnowledgeErrorAnswer", missing.Errors["Answer"]);
        var closed = Assert.IsType<KnowledgeGaps.Result.Closed>(await handler.CloseAsync(gap.DraftIds,
            new KnowledgeInput { Question = gap.Question, Answer = "Yes: gift cards from 10 to 200 euros, sent by e-mail.", Intent = "gift_cards", Language = "en" }, default));
        Assert.Equal(3, closed.Drafts);
        Assert.IsType<KnowledgeGaps.Result.AlreadyClosed>(await handler.CloseAsync(gap.DraftIds,
            new KnowledgeInput { Question = "Gift cards?", Answer = "Yes.", Language = "en" }, default));
        var left = Assert.Single(await handler.ListAsync(new KnowledgeGaps.Query(30), default));
        Assert.Equal("es", left.Language);
        Assert.Equal(2, left.Count);
        await using var db2 = await adminScope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.NotNull((await db2.KnowledgeEntries.SingleAsync(e => e.Id == closed.EntryId)).Embedding);
        Assert.True(await db2.AuditEvents.AnyAsync(a => a.Action == "knowledge-gap.closed"));
    }

    private static async Task<Guid> DraftIdAsync(HitlAppFactory app, Guid tenant, Guid conversationId)
    {
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Drafts.Where(d => d.ConversationId == conversationId).Select(d => d.Id).SingleAsync();
    }
}
