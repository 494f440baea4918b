using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Ai;

/// <summary>The offline model over the demo knowledge: grounded, deterministic, honest when nothing matches.</summary>
public sealed class BuiltInModelTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<DraftProposal> DraftAsync(HitlAppFactory app, Guid tenant, string text, string language = "en") =>
        await app.Services.GetRequiredService<IDraftGenerator>().GenerateAsync(new DraftRequest(tenant, Guid.Empty, text, [], language), CancellationToken.None);

    [Theory]
    // Read alone, "still nothing" was a complaint about a wrong item (51) and "sigue sin llegar" a question on delivery times.
    [InlineData("where is my order 4411? it's been 10 days", "still nothing", "en", "track_order")]
    [InlineData("¿dónde está mi pedido 4411? ya van 10 días", "sigue sin llegar", "es", "track_order")]
    // Read with the previous message only when that reading is surer: "and my invoice?" keeps its own topic.
    [InlineData("where is my order 4411? it's been 10 days", "and my invoice?", "en", "get_invoice|check_invoice")]
    public async Task A_fragment_is_read_with_the_customers_previous_message(string previous, string fragment, string language, string intent)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        var history = new[] { new ConversationTurn(true, previous), new ConversationTurn(false, "Thanks, we're looking into it.") };

        var draft = await app.Services.GetRequiredService<IDraftGenerator>()
            .GenerateAsync(new DraftRequest(tenant, Guid.Empty, fragment, history, language), CancellationToken.None);

        Assert.True(intent.Split('|').Contains(draft.Intent), $"{draft.Intent} {draft.Confidence}: {draft.Reply}");
        Assert.False(draft.OutOfKnowledge);
    }

    [Theory]
    [InlineData("still nothing", true)]
    [InlineData("and what about the invoice for it?", true)]
    [InlineData("¿y la factura?", true)]
    [InlineData("I never got the e-mail with the tracking link for my order", false)] // says what it is about
    public void A_fragment_joins_the_previous_message_and_a_whole_question_does_not(string text, bool joins)
    {
        var history = new[] { new ConversationTurn(true, "where is my order 4411?"), new ConversationTurn(false, "Checking.") };
        Assert.Equal(joins, FollowUp.Joined(text, history) is not null);
        Assert.Null(FollowUp.Joined(text, [new ConversationTurn(true, "thanks!")])); // nothing to follow up
        Assert.Null(FollowUp.Joined(text, []));
    }

    [Fact]
    public async Task A_story_is_read_for_what_its_last_sentence_asks()
    {
        // Read whole, the payment and the invoice of the story made it check_invoice (37); its last sentence is the request.
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant,
            "We are moving house next month and I bought new curtains from you. I paid by card and got the invoice. Where is that parcel right now?");

        Assert.Equal("track_order", draft.Intent);
    }

    /// <summary>
    /// A customer whose own account was hacked used to get the answer on editing account details; the demo knowledge holds
    /// an answer on securing the account in both languages, and the catalogue teaches the intent such messages belong to.
    /// </summary>
    [Theory]
    [InlineData("my account got hacked", "en", "password", "recent orders")]
    [InlineData("I think someone is using my account", "en", "password", "recent orders")]
    [InlineData("me hackearon la cuenta", "es", "contraseña", "pedidos recientes")]
    [InlineData("creo que me hackearon la cuenta, hay pedidos que no hice", "es", "contraseña", "pedidos recientes")]
    public async Task A_customer_whose_account_was_hacked_is_told_how_to_secure_it_in_their_language(string text, string language, string password, string orders)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant, text, language);

        Assert.Equal("recover_password", draft.Intent);
        Assert.Contains(password, draft.Reply, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(orders, draft.Reply, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("We moved last week. The curtains went to the old flat. Can you send them to the new one?", "Can you send them to the new one?")]
    [InlineData("Compré unas botas. Costaron 3.000 pesos. ¿Dónde está mi pedido 4410?", "¿Dónde está mi pedido 4410?")]
    [InlineData("where is my order? it's late", null)] // two sentences: not a story
    [InlineData("I ordered a lamp. It broke. Refund please.", null)] // the last sentence is too short to stand alone
    public void A_story_is_three_sentences_or_more(string text, string? last) => Assert.Equal(last, BuiltInModel.LastSentenceOfStory(text));

    [Fact]
    public void An_entry_asking_nearly_the_same_decides_a_message_the_classifier_found_nothing_close_to()
    {
        static KnowledgeHit Hit(string intent, double score, string language = "es") =>
            new(Guid.NewGuid(), intent, "", intent, null, language, score, score, 0);

        var known = BuiltInModel.KnownByAnEntry([Hit("complaint", 0.83), Hit("change_order", 0.71), Hit("complaint", 0.66)], "es");
        Assert.Equal(("complaint", false), (known?.Intent, known?.OutOfKnowledge));
        Assert.True(known!.Confidence < 85, "a person reviews it: never sent on its own");

        Assert.Null(BuiltInModel.KnownByAnEntry([Hit("complaint", 0.74), Hit("change_order", 0.5)], "es")); // not close enough
        Assert.Null(BuiltInModel.KnownByAnEntry([Hit("complaint", 0.83), Hit("change_order", 0.81)], "es")); // two intents as close
        Assert.Null(BuiltInModel.KnownByAnEntry([Hit("complaint", 0.9, "en")], "es")); // only in another language
    }

    [Fact]
    public void A_near_tie_goes_to_the_runner_up_when_an_entry_in_the_customers_language_asks_nearly_the_same()
    {
        static KnowledgeHit Hit(string intent, double score, string language = "es") =>
            new(Guid.NewGuid(), intent, "", intent, null, language, score, score, 0);
        var tie = new BuiltInModel.Classification("complaint", 0.585, 0.578, 0.64, 32, false) { RunnerUp = "get_refund" };

        var settled = BuiltInModel.NearTieSettledByAnEntry(tie, [Hit("get_refund", 0.90), Hit("complaint", 0.56)], "es");
        Assert.Equal(("get_refund", 0.578, "complaint", 32), (settled?.Intent, settled?.Score, settled?.RunnerUp, settled?.Confidence));

        Assert.Null(BuiltInModel.NearTieSettledByAnEntry(tie with { Score = 0.62 }, [Hit("get_refund", 0.90)], "es")); // no tie
        Assert.Null(BuiltInModel.NearTieSettledByAnEntry(tie, [Hit("get_refund", 0.82)], "es")); // not close enough
        Assert.Null(BuiltInModel.NearTieSettledByAnEntry(tie, [Hit("track_refund", 0.90)], "es")); // a third intent
        Assert.Null(BuiltInModel.NearTieSettledByAnEntry(tie, [Hit("get_refund", 0.90, "en")], "es")); // another language
    }

    [Fact]
    public void An_answer_guessed_below_the_minimum_confidence_is_out_of_knowledge_with_its_intent_still_named()
    {
        // Three of five words unknown take a 22 down to 9: a guess, not an answer.
        var classification = new BuiltInModel.Classification("delivery_options", 0.356, 0.325, 0.42, 22, false);
        var guess = BuiltInModel.Unfamiliar(classification, (3, 5));
        Assert.Equal(("delivery_options", true, 9), (guess.Intent, guess.OutOfKnowledge, guess.Confidence));
        var atTheMinimum = BuiltInModel.Unfamiliar(classification with { Confidence = 2 * BuiltInModel.MinimumAnswerConfidence }, (1, 2));
        Assert.Equal((BuiltInModel.MinimumAnswerConfidence, false), (atTheMinimum.Confidence, atTheMinimum.OutOfKnowledge));
    }

    [Fact]
    public void The_decided_intents_entries_come_first_when_they_are_nearly_as_close()
    {
        static KnowledgeHit Hit(string intent, double score) => new(Guid.NewGuid(), intent, "", intent, null, "es", score, score, 0);
        var hits = new[] { Hit("track_order", 0.70), Hit("get_refund", 0.66), Hit("cancel_order", 0.64), Hit("check_refund_policy", 0.50) };

        var ranked = BuiltInModel.RankForIntent(hits, "cancel_order");

        Assert.Equal(["cancel_order", "track_order", "get_refund", "check_refund_policy"], ranked.Select(h => h.Intent));
        Assert.Equal(0.64, ranked[0].Score); // the score shown is the search's own
        // An entry far below the others stays where the search put it.
        Assert.Equal("check_refund_policy", BuiltInModel.RankForIntent(hits, "check_refund_policy")[^1].Intent);
    }

    [Theory]
    [InlineData("The address is fine. It's the printer ink quantity I need changed, from 2 to 4.", "It's the printer ink quantity I need changed, from 2 to 4.")]
    [InlineData("Cancelling isn't what I want — I need to add another phone case to order 22190.", "I need to add another phone case to order 22190.")]
    [InlineData("Shipping options aside, can you check the status of the order I placed Monday?", "can you check the status of the order I placed Monday?")]
    [InlineData("Refund's sorted, but I still need a receipt for the original purchase.", "but I still need a receipt for the original purchase.")]
    [InlineData("No te pregunto el horario, quiero que me atienda una persona ahora", "quiero que me atienda una persona ahora")]
    [InlineData("en vez de la remera roja quiero la azul, se puede cambiar en mi orden?", "se puede cambiar en mi orden?")]
    [InlineData("La dirección está bien, lo que hay que cambiar es la talla del pedido", "lo que hay que cambiar es la talla del pedido")]
    // The negated thing is the request itself, or the reason for it: nothing is set aside.
    [InlineData("I don't want it anymore, please cancel order 48213", null)]
    [InlineData("please reimburse me since I don't need it", null)]
    [InlineData("I can't log in, it says my password is wrong but I'm sure it's right", null)]
    [InlineData("ya no quiero los auriculares, cancelá la compra porfa", null)]
    [InlineData("No quiero que me lo vuelvan a mandar, quiero mi plata de vuelta", null)]
    [InlineData("my parcel hasn't arrived, where is it?", null)]
    public void A_topic_the_customer_sets_aside_is_left_out_of_the_request(string text, string? request) =>
        Assert.Equal(request, SetAside.Request(text));

    [Theory]
    [InlineData("The refund last month was super smooth, thank you. I need to update the phone number on my profile.",
        "I need to update the phone number on my profile.")]
    [InlineData("Loving the new packaging btw! Anyway, I need to cancel order 55120.", "Anyway, I need to cancel order 55120.")]
    [InlineData("El reembolso de la semana pasada quedó perfecto, gracias. ¿Cómo me paso a mi cuenta de empresa?", "¿Cómo me paso a mi cuenta de empresa?")]
    [InlineData("Me encanta la app. Quiero cambiar el correo de mi cuenta.", "Quiero cambiar el correo de mi cuenta.")]
    [InlineData("Thanks for the quick refund, could you also send the invoice?", "could you also send the invoice?")]
    // What follows "but" is the point; a clause with a request or a negation in it is never a remark.
    [InlineData("The delivery was fast, but the box was crushed and the lamp is broken.", "but the box was crushed and the lamp is broken.")]
    [InlineData("El envío llegó rápido pero roto, quiero mi dinero.", "pero roto, quiero mi dinero.")]
    [InlineData("The refund was fine until the bank reversed it, and the invoice is wrong too.", null)]
    [InlineData("Le agradezco si me cancela el pedido 39105, ya no lo necesitamos.", null)]
    [InlineData("Great service, loved the fast delivery and the lovely note!", null)]
    public void Side_remarks_around_the_request_are_left_out(string text, string? request) =>
        Assert.Equal(request, SetAside.Request(text));

    [Theory]
    [InlineData("I want my refund for order 77341 now or I'm leaving a 1-star review everywhere", "I want my refund for order 77341 now")]
    [InlineData("Cancel my order today, or else I will post a terrible review!", "Cancel my order today!")]
    [InlineData("devolvedme el dinero del pedido 77341 o pongo una reseña de una estrella", "devolvedme el dinero del pedido 77341")]
    [InlineData("o me devolvéis el dinero o os pongo una estrella en google", "o me devolvéis el dinero")]
    [InlineData("Quiero hablar con una persona ya, si no, les dejo una reseña malísima.", "Quiero hablar con una persona ya.")]
    // A review asked about is the request, not a threat.
    [InlineData("How do I leave a review for my last order?", null)]
    [InlineData("¿Dónde puedo dejar una reseña o una valoración del producto?", null)]
    public void A_threat_of_a_bad_review_is_left_out_of_the_request(string text, string? request) =>
        Assert.Equal(request, SetAside.Request(text));

    /// <summary>
    /// Questions about what the shop does not do (gift wrap, price matching, stores) got another intent's answer — the
    /// gift-card or pickup answer, a purchase walk-through — until the demo's knowledge said what the shop's position is.
    /// </summary>
    [Theory]
    [InlineData("Could you gift wrap the scarf? It's for my mum", "en", "gift wrapping")]
    [InlineData("Zalando has it 10 euros cheaper, can you do the same?", "en", "don't match other shops' prices")]
    [InlineData("I have 40k followers on Instagram, interested in a collab?", "en", "business proposals")]
    [InlineData("¿Me lo podéis envolver para regalo?", "es", "no envolvemos para regalo")]
    [InlineData("¿Tenéis tienda en Madrid para ir a probarme?", "es", "no tenemos tiendas físicas")]
    [InlineData("La sudadera negra está agotada en M, ¿la vais a reponer?", "es", "producto agotado")]
    // The classifier guessed place_order at 57 (the price-match entry's "otras tiendas"); the entry "¿Tienen tienda física?" asks it.
    [InlineData("¿Tienen tienda física donde probarme la ropa?", "es", "no tenemos tiendas físicas")]
    public async Task A_question_about_what_the_shop_does_not_do_gets_the_shops_position(string text, string language, string expected)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant, text, language);

        Assert.False(draft.OutOfKnowledge);
        Assert.Contains(expected, draft.Reply, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("The address is fine. It's the printer ink quantity I need changed, from 2 to 4.", "change_order")]
    [InlineData("Stopping the newsletters isn't enough — I want my whole account closed.", "delete_account")]
    [InlineData("Appreciate the quick invoice last month! Right now I need to speak to an actual person please, not the bot.", "contact_human_agent")]
    [InlineData("El reembolso de la vez pasada fue rapidísimo, gracias. ¿Cómo me paso a mi cuenta de empresa? Estoy en la personal.", "switch_account")]
    [InlineData("I want my refund for order 77341 now or I'm leaving a 1-star review everywhere", "get_refund")]
    [InlineData("o me devolvéis el dinero o os pongo una estrella en google", "get_refund")]
    public async Task The_request_decides_when_the_customer_sets_a_neighbouring_topic_aside(string text, string intent)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        Assert.Equal(intent, (await DraftAsync(app, tenant, text)).Intent);
    }

    [Theory]
    // "como me registro?" is one of create_account's examples; "registr-" weighs for registration_problems in the lexical model.
    [InlineData("¿Cómo me registro?", "create_account")]
    [InlineData("Como me registro", "create_account")]
    public async Task A_catalogue_example_written_word_for_word_names_its_intent(string text, string intent)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant, text);

        Assert.Equal(intent, draft.Intent);
        Assert.False(draft.OutOfKnowledge);
    }

    [Theory]
    [InlineData("where is my package? it still hasn't arrived", "track_order")]
    [InlineData("forgot my password and can't log in", "recover_password")]
    [InlineData("I want my money back for the broken blender", "get_refund")]
    [InlineData("let me talk to a real person please", "contact_human_agent")]
    [InlineData("Vino el repartidor y no estaba en casa, dejó un aviso. ¿Cómo hago para que lo vuelvan a traer?", "track_order")]
    [InlineData("tienen pago contra entrega? no tengo tarjeta", "check_payment_methods")]
    public async Task Everyday_wording_gets_the_right_intent_and_a_grounded_reply(string text, string intent)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant, text);

        Assert.Equal(intent, draft.Intent);
        Assert.Equal("answer", draft.Classification);
        Assert.False(draft.OutOfKnowledge);
        Assert.NotEmpty(draft.SourceIds);
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var used = await db.KnowledgeEntries.Where(e => draft.SourceIds.Contains(e.Id)).ToListAsync();
        Assert.Contains(used, e => e.Intent == intent && e.Answer == draft.Reply);
        Assert.Equal(BuiltInModel.ModelName, draft.Model);
    }

    [Theory]
    [InlineData("do you ship to Spain?")]
    [InlineData("Hi, do you have a physical store in Seville?")]
    public async Task A_reply_never_names_a_city_the_customer_did_not_ask_about(string text)
    {
        // Two in three demo delivery answers were written for a customer's own city ("We do offer shipping to Valencia").
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant, text);

        Assert.Equal("delivery_options", draft.Intent);
        foreach (var text2 in draft.Alternatives.Prepend(draft.Reply)) // the suggestions too: one click puts them in the reply box
            Assert.DoesNotMatch(@"\b(Valencia|Japan|Seattle|Philadelphia|Canada|Munich|Hungary|Mexico|Toronto|Finland|Dublin|Detroit|USA|Liverpool)\b", text2);
        Assert.True(draft.Confidence > BuiltInModel.OthersDetailsConfidence, $"confidence {draft.Confidence}: a reply for anyone needs no doubt");
    }

    [Fact]
    public async Task The_same_message_gives_the_same_draft()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var first = await DraftAsync(app, tenant, "can i pay with paypal?");
        var second = await DraftAsync(app, tenant, "can i pay with paypal?");

        Assert.Equal(first.Reply, second.Reply);
        Assert.Equal(first.Intent, second.Intent);
        Assert.Equal(first.Confidence, second.Confidence);
        Assert.Equal(first.SourceIds, second.SourceIds);
        Assert.Equal(first.Alternatives, second.Alternatives);
    }

    [Theory]
    [InlineData("what is the boiling point of tungsten on mars")]
    [InlineData("zxqv blorpt fnarg")]
    public async Task A_message_nothing_resembles_is_flagged_out_of_knowledge_with_low_confidence(string text)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant, text);

        Assert.True(draft.OutOfKnowledge);
        Assert.Equal("out_of_knowledge", draft.Classification);
        Assert.InRange(draft.Confidence, 0, 40);
        Assert.DoesNotContain(text, draft.Reply);
    }

    [Fact]
    public async Task A_clear_match_is_confident_and_a_vague_one_is_not()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var clear = await DraftAsync(app, tenant, "I forgot my password");
        var vague = await DraftAsync(app, tenant, "hello, question about my thing");

        Assert.True(clear.Confidence > vague.Confidence, $"clear {clear.Confidence} vs vague {vague.Confidence}");
        Assert.True(clear.Confidence >= 60, $"clear match confidence {clear.Confidence}");
    }

    [Fact]
    public async Task A_spanish_message_is_answered_from_a_spanish_entry()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();

        var draft = await DraftAsync(app, tenant, "¿Dónde está mi pedido? No ha llegado todavía", "es");

        Assert.Equal("track_order", draft.Intent);
        Assert.Contains("pedido", draft.Reply);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Retrieval_follows_inserts_updates_and_deletes_and_stays_in_its_tenant(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var other = await app.Services.CreateOtherTenantAsync();
        var search = app.Services.GetRequiredService<KnowledgeSearch>();
        var now = DateTime.UtcNow;
        var entry = new KnowledgeEntry
        {
            Question = "Do you sell quokkaberry jam?", Answer = "Yes, quokkaberry jam ships in 250 g jars.", Intent = "place_order",
            ContentHash = KnowledgeHash.Of("Do you sell quokkaberry jam?", "Yes"), CreatedUtc = now, UpdatedUtc = now,
        };
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            db.KnowledgeEntries.Add(entry);
            await db.SaveChangesAsync();
        }

        // Found by its rare word at once, before it has a vector.
        var hits = await search.SearchAsync(tenant, "quokkaberry", "en", 3, CancellationToken.None);
        Assert.Equal(entry.Id, hits[0].Id);
        Assert.DoesNotContain(await search.SearchAsync(other.TenantId, "quokkaberry", "en", 3, CancellationToken.None), h => h.Id == entry.Id);

        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.KnowledgeEntries.Where(e => e.Id == entry.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Question, "Do you sell wallabyplum jam?")
                    .SetProperty(e => e.Answer, "Yes, wallabyplum jam ships in 250 g jars.").SetProperty(e => e.UpdatedUtc, DateTime.UtcNow));
        Assert.DoesNotContain(await search.SearchAsync(tenant, "quokkaberry", "en", 3, CancellationToken.None), h => h.Id == entry.Id && h.Lexical > 0.5);
        Assert.Equal(entry.Id, (await search.SearchAsync(tenant, "wallabyplum", "en", 3, CancellationToken.None))[0].Id);

        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.KnowledgeEntries.Where(e => e.Id == entry.Id).ExecuteDeleteAsync();
        Assert.DoesNotContain(await search.SearchAsync(tenant, "wallabyplum", "en", 3, CancellationToken.None), h => h.Id == entry.Id);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_new_entry_gets_its_vector_and_is_then_found_by_meaning(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Embeddings:Interval"] = "00:00:00.200" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        var entry = new KnowledgeEntry
        {
            Question = "Can I bring my dog into the store?", Answer = "Dogs on a lead are welcome in all our stores.", Intent = "store_policy",
            ContentHash = KnowledgeHash.Of("Can I bring my dog into the store?", "Dogs"), CreatedUtc = now, UpdatedUtc = now,
        };
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            db.KnowledgeEntries.Add(entry);
            await db.SaveChangesAsync();
        }
        app.Services.GetRequiredService<KnowledgeEmbedder>().Signal();

        await Eventually.GetAsync(async () =>
        {
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.KnowledgeEntries.Where(e => e.Id == entry.Id).Select(e => e.Embedding).SingleAsync();
        }, what: "the entry's vector");

        // No word in common with the question: only meaning can find it.
        var hits = await app.Services.GetRequiredService<KnowledgeSearch>().SearchAsync(tenant, "are pets allowed inside your shops", "en", 3, CancellationToken.None);
        Assert.True(entry.Id == hits[0].Id, string.Join(" | ", hits.Select(h => $"{h.Question} s={h.Semantic:0.000} l={h.Lexical:0.000}")));
        Assert.True(hits[0].Semantic > 0.5, $"semantic {hits[0].Semantic}");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_entry_saved_without_an_intent_answers_its_own_question_in_either_language(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Embeddings:Interval"] = "00:00:00.200" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var now = DateTime.UtcNow;
        KnowledgeEntry Entry(string question, string answer, string language) => new()
        {
            Question = question, Answer = answer, Language = language, ContentHash = KnowledgeHash.Of(question, answer), CreatedUtc = now, UpdatedUtc = now,
        };
        var es = Entry("¿Hacéis envíos a Canarias?", "Sí, enviamos a Canarias en 3 a 5 días laborables; el IGIC se paga al recibir.", "es");
        var en = Entry("Do you have a physical store in Seville?", "Yes: our Seville shop is at Calle Sierpes 12, open Monday to Saturday.", "en");
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            db.KnowledgeEntries.AddRange(es, en);
            await db.SaveChangesAsync();
        }
        app.Services.GetRequiredService<KnowledgeEmbedder>().Signal();
        await Eventually.GetAsync(async () =>
        {
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.KnowledgeEntries.CountAsync(e => (e.Id == es.Id || e.Id == en.Id) && e.Embedding != null) == 2 ? "ready" : null;
        }, what: "both entries' vectors");

        var spanish = await DraftAsync(app, tenant, "hacéis envíos a canarias?", "es");
        Assert.Equal((es.Answer, "answer", false), (spanish.Reply, spanish.Classification, spanish.OutOfKnowledge));
        Assert.Equal(es.Id, spanish.SourceIds[0]);
        Assert.Null(spanish.Intent); // no intent: always for a person to review
        Assert.Contains("same question", spanish.Reasoning);

        var english = await DraftAsync(app, tenant, "Hi, do you have a physical store in Seville?");
        Assert.Equal((en.Answer, "answer"), (english.Reply, english.Classification));

        // Sharing a word or two is not asking the same question.
        var other = await DraftAsync(app, tenant, "Do you sell physical gift cards?");
        Assert.NotEqual(en.Answer, other.Reply);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_entry_an_admin_adds_answers_a_customer_who_asks_its_question_in_more_words(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Embeddings:Interval"] = "00:00:00.200" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        Guid receipt;
        // As the knowledge page saves an entry by default: without an intent. The classifier reads the customer's message as
        // payment_issue, whose demo answers are about declined cards and bank holds.
        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var saved = await scope.ServiceProvider.GetRequiredService<ManageKnowledge>().CreateAsync(new KnowledgeInput
            {
                Question = "¿Me podéis mandar el justificante del pago con tarjeta?", Language = "es",
                Answer = "Claro: el justificante del pago con tarjeta está en Mis pedidos, dentro del pedido, en «Descargar justificante».",
            }, CancellationToken.None);
            receipt = Assert.IsType<ManageKnowledge.Result.Saved>(saved).Id;
        }
        await Eventually.GetAsync(async () =>
        {
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.KnowledgeEntries.Where(e => e.Id == receipt).Select(e => e.Embedding).SingleAsync();
        }, what: "the entry's vector");

        var draft = await DraftAsync(app, tenant, "hola, ¿me podéis mandar por correo el justificante del pago que hice ayer con la tarjeta?", "es");
        Assert.True(receipt == draft.SourceIds[0], $"{draft.Reply} ({draft.Reasoning})");
        Assert.StartsWith("Claro: el justificante", draft.Reply);
        Assert.Contains("same question", draft.Reasoning);

        // Sharing a word or two is not asking the same question.
        var other = await DraftAsync(app, tenant, "¿qué tarjetas aceptáis para pagar?", "es");
        Assert.NotEqual(receipt, other.SourceIds[0]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_entry_whose_question_the_customer_writes_word_for_word_answers_under_its_own_intent(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Embeddings:Interval"] = "00:00:00.200" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        Guid bizum;
        // Filed under payment_issue; the catalogue reads the question as check_payment_methods, whose demo answer began "¡Sí!
        // Tenemos pago contra reembolso…" and never named Bizum.
        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var saved = await scope.ServiceProvider.GetRequiredService<ManageKnowledge>().CreateAsync(new KnowledgeInput
            {
                Question = "¿Puedo pagar con Bizum?", Language = "es", Intent = "payment_issue", Category = "PAYMENT",
                Answer = "Todavía no aceptamos Bizum: puedes pagar con tarjeta, PayPal o contra reembolso.",
            }, CancellationToken.None);
            bizum = Assert.IsType<ManageKnowledge.Result.Saved>(saved).Id;
        }
        await Eventually.GetAsync(async () =>
        {
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.KnowledgeEntries.Where(e => e.Id == bizum).Select(e => e.Embedding).SingleAsync();
        }, what: "the entry's vector");

        foreach (var text in new[] { "¿Puedo pagar con Bizum?", "puedo pagar con bizum", "Hola, ¿puedo pagar con Bizum? Gracias" }) // a greeting or thanks around it too
        {
            var draft = await DraftAsync(app, tenant, text, "es");
            Assert.True(bizum == draft.SourceIds[0], $"{text}: {draft.Intent} {draft.Reply} ({draft.Reasoning})");
            Assert.StartsWith("Todavía no aceptamos Bizum", draft.Reply);
            Assert.Equal("payment_issue", draft.Intent);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_double_charge_is_answered_as_one_in_both_languages(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        foreach (var (text, language) in new[]
        {
            ("me cobraron dos veces el mismo pedido", "es"), ("me habéis cobrado doble", "es"), ("aparece dos veces el cargo en mi tarjeta", "es"),
            ("I was charged twice for my order", "en"), ("there's a duplicate charge on my card", "en"),
        })
        {
            var draft = await DraftAsync(app, tenant, text, language);
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            var source = await db.KnowledgeEntries.SingleAsync(e => e.Id == draft.SourceIds[0]);
            Assert.True(source.Answer == draft.Reply && source.Language == language
                && (source.Question.Contains("dos veces") || source.Question.Contains("doble") || source.Question.Contains("repetido")
                    || source.Question.Contains("twice") || source.Question.Contains("duplicate") || source.Question.Contains("two identical")),
                $"{text}: answered from \"{source.Question}\" ({draft.Reasoning})");
            Assert.DoesNotContain("{{", draft.Reply);
        }
    }

    /// <summary>
    /// Questions about what the workspace never wrote about used to get the answer of the one intent whose words they share
    /// ("student discount" → the cancellation fee at 42 %). Unknown is read from the workspace's own knowledge, not from a
    /// list: once an entry mentions the topic, the same question is answered from it, as sure as before.
    /// </summary>
    [Theory]
    [InlineData("Is there a student discount?", "en")]
    [InlineData("¿Tenéis descuento para estudiantes?", "es")]
    public async Task A_question_on_a_topic_the_knowledge_never_mentions_is_out_of_knowledge_until_an_entry_does(string text, string language)
    {
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Embeddings:Interval"] = "00:00:00.200" });
        var tenant = await app.Services.DemoTenantIdAsync();

        // Half its words unknown: a guess the agent is told is one (the intent's answer was offered at 42–44 %).
        var before = await DraftAsync(app, tenant, text, language);
        Assert.True(before.OutOfKnowledge || before.Confidence < 30, $"{before.Intent} {before.Confidence}: {before.Reply}");

        var now = DateTime.UtcNow;
        var entry = new KnowledgeEntry
        {
            Question = text, Answer = language == "es" ? "Sí: un 10 % con el carné de estudiante." : "Yes: 10 % off with a valid student card.",
            Language = language, ContentHash = KnowledgeHash.Of(text, "student"), CreatedUtc = now, UpdatedUtc = now,
        };
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            db.KnowledgeEntries.Add(entry);
            await db.SaveChangesAsync();
        }
        app.Services.GetRequiredService<KnowledgeEmbedder>().Signal();
        var after = await Eventually.GetAsync(async () =>
        {
            var draft = await DraftAsync(app, tenant, text, language);
            return draft.SourceIds.FirstOrDefault() == entry.Id ? draft : null;
        }, what: "a draft grounded on the new entry");

        Assert.False(after.OutOfKnowledge);
        Assert.Equal(entry.Answer, after.Reply);
    }

    [Theory]
    [InlineData(60, 0, 4, false, 60)]   // every word known: unchanged
    [InlineData(60, 1, 4, false, 45)]   // a quarter unknown: a quarter off
    [InlineData(60, 1, 2, false, 30)]   // half unknown: half off
    [InlineData(60, 2, 3, false, 20)]   // two thirds unknown: two thirds off
    [InlineData(60, 3, 4, true, 60)]    // more than two thirds unknown: out of knowledge
    [InlineData(60, 2, 2, true, 60)]    // nothing but unknown words: out of knowledge
    public void Unknown_words_lower_the_confidence_and_mostly_unknown_ones_make_it_out_of_knowledge(int confidence, int unknown, int words, bool outOfKnowledge, int expected)
    {
        var read = BuiltInModel.Unfamiliar(new BuiltInModel.Classification("place_order", 0.5, 0.4, 0.6, confidence, false), (unknown, words));

        Assert.Equal(outOfKnowledge, read.OutOfKnowledge);
        Assert.Equal(expected, read.Confidence);
    }
}
