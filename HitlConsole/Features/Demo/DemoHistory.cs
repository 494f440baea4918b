using HitlConsole.Features.Ai;
using HitlConsole.Domain;
using System.Globalization;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Demo;

/// <summary>
/// A few weeks of decided conversations for the demo workspace, so analytics has something to show on first run:
/// customer questions from the demo knowledge (Bitext, and a quarter from its Spanish entries), office-hours-heavy arrival times, and the outcomes, confidence,
/// edits and response times a busy team produces, and a few questions a day the knowledge does not answer (the knowledge gaps).
/// Deterministic (fixed seeds); everything is resolved, nothing waits.
/// </summary>
internal sealed class DemoHistory(TimeProvider clock)
{
    public async Task SeedAsync(HitlDbContext db, Guid tenantId, int days, CancellationToken ct)
    {
        if (days <= 0 || await db.Drafts.AnyAsync(ct)) return;
        var channel = await db.Channels.Where(c => c.Kind == ChannelKind.Simulator).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct)
            ?? await db.Channels.Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        var agents = await db.Users.Select(u => u.Id).ToListAsync(ct);
        if (channel is null || agents.Count == 0) return;
        var questions = await db.KnowledgeEntries.AsNoTracking().Where(e => e.Language == "en" && e.Intent != null)
            .OrderBy(e => e.Id).Take(600).Select(e => new Exchange(e.Question, e.Answer, e.Intent!, "en")).ToListAsync(ct);
        if (questions.Count == 0) return;
        var spanish = await db.KnowledgeEntries.AsNoTracking().Where(e => e.Language == "es" && e.Intent != null)
            .OrderBy(e => e.Id).Select(e => new Exchange(e.Question, e.Answer, e.Intent!, "es")).ToListAsync(ct);

        var random = new Random(20261126);
        var unanswered = new Random(20261206);
        var proposed = new HashSet<string>();
        // ~2,000 random numbers from 9 million collide about one day in five (birthday odds); contacts are unique per channel.
        var addresses = new HashSet<string>();
        var today = clock.GetUtcNow().UtcDateTime.Date;
        // The demo's configuration versions, dated into this history by the seeder (none when it seeded no history of its own).
        var versions = (await db.ConfigVersions.AsNoTracking().OrderBy(v => v.Number).Select(v => new { v.Number, v.CreatedUtc, v.Document }).ToListAsync(ct))
            .Select(v => (v.Number, v.CreatedUtc, Doc: HitlConsole.Features.AgentConfig.AgentConfigDocument.FromJson(v.Document, strict: false)))
            .Select(v => new Version(v.Number, v.CreatedUtc, v.Doc.Thresholds.AutoSendDelaySeconds,
                v.Doc.Intents.Where(i => i.Policy == IntentPolicy.MayAutoSend).Select(i => i.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)))
            .ToList();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var day = days; day >= 1; day--)
        {
            var date = today.AddDays(-day);
            var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var volume = (weekend ? 25 : 70) + random.Next(0, 30);
            for (var i = 0; i < volume; i++)
            {
                // Most customers write during the day; some at night.
                var hour = random.NextDouble() < 0.85 ? 8 + random.Next(0, 13) : random.Next(0, 24);
                var asked = date.AddHours(hour).AddMinutes(random.Next(0, 60)).AddSeconds(random.Next(0, 60));
                // About one customer in four writes in Spanish, as in a team that serves both languages.
                var q = spanish.Count > 0 && random.NextDouble() < SpanishShare
                    ? spanish[random.Next(spanish.Count)]
                    : questions[random.Next(questions.Count)];
                Add(db, tenantId, channel.Value, agents[random.Next(agents.Count)], NextNumber(random, addresses), q, asked,
                    versions.LastOrDefault(v => v.SinceUtc <= asked), random);
            }
            // A few customers a day ask what the knowledge does not hold: the knowledge gaps page and analytics' low-confidence
            // drafts show the same messages. Their own generator, so the rest of the history stays as it was.
            for (var i = (weekend ? 1 : 2) + unanswered.Next(0, 3); i > 0; i--)
            {
                var asked = date.AddHours(8 + unanswered.Next(0, 12)).AddMinutes(unanswered.Next(0, 60));
                var gap = unanswered.NextDouble() < SpanishShare ? SpanishGaps[unanswered.Next(SpanishGaps.Length)] : EnglishGaps[unanswered.Next(EnglishGaps.Length)];
                var agent = agents[unanswered.Next(agents.Count)];
                var reply = AddUnanswered(db, tenantId, channel.Value, agent, NextNumber(unanswered, addresses), gap, asked,
                    versions.LastOrDefault(v => v.SinceUtc <= asked), unanswered);
                // Lately, agents offered some of their hand-written answers to the knowledge: Suggested knowledge has work waiting.
                if (day <= 10 && proposed.Add(gap.Question))
                    db.Add(new KnowledgeSuggestion
                    {
                        TenantId = tenantId, Question = gap.Question, Answer = gap.Reply, Language = gap.Language, Origin = SuggestionOrigin.HandWritten,
                        State = SuggestionState.Proposed, ConversationId = reply.ConversationId, SentMessageId = reply.Id, ProposedByUserId = agent,
                        CreatedUtc = reply.CreatedUtc.AddMinutes(2),
                    });
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// When the demo's configuration versions came into force: the first before the history's first day, the second (a shorter
    /// auto-send delay) halfway through it, at most two weeks ago, so the default 30 days show drafts of both.
    /// </summary>
    internal static IReadOnlyList<(int Number, DateTime SinceUtc)> VersionsSince(DateTime today, int days) =>
        [(1, today.AddDays(-days - 1).AddHours(9)), (2, today.AddDays(-Math.Clamp(days / 2, 1, 14)).AddHours(7))];

    /// <summary>A demo customer's number no other demo customer has (contacts are unique per channel).</summary>
    internal static string NextNumber(Random random, HashSet<string> used)
    {
        string number;
        do number = $"+3460{random.Next(1000000, 9999999)}"; while (!used.Add(number));
        return number;
    }

    private const double SpanishShare = 0.25;

    private sealed record Exchange(string Question, string Answer, string Intent, string Language);

    /// <summary>A configuration version as the history needs it: from when it was in force, how long auto-send waited, and for which intents.</summary>
    private sealed record Version(int Number, DateTime SinceUtc, int AutoSendDelaySeconds, IReadOnlySet<string> AutoSendIntents);

    private static void Add(HitlDbContext db, Guid tenantId, Guid channelId, string agent, string address, Exchange exchange, DateTime asked,
        Version? version, Random random)
    {
        var (question, answer, intent, language) = exchange;
        var (contact, conversation, inbound) = Customer(tenantId, channelId, address, question, language, asked, random);
        var roll = random.NextDouble();
        var state = roll < 0.45 ? DraftState.Approved : roll < 0.68 ? DraftState.EditedAndSent : roll < 0.80 ? DraftState.AutoSent
            : roll < 0.88 ? DraftState.Rejected : roll < 0.94 ? DraftState.Expired : DraftState.Handled;
        // What went out was filled in, as the console makes a person do: the customer's name, an order number of this
        // customer's own, the workspace's contact details. A reply still holding a placeholder nobody could fill was not sent.
        var reference = random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var facts = Placeholders.Merge(ConversationFacts.Of(contact.DisplayName, []), ConversationFacts.ReferenceNames.ToDictionary(n => n, _ => reference),
            language == "es" ? SpanishDemoVariables : EnglishDemoVariables);
        question = Placeholders.Fill(question, facts);
        var filled = Placeholders.Fill(answer, facts);
        if (Placeholders.Any(filled) && state is DraftState.Approved or DraftState.EditedAndSent or DraftState.AutoSent) state = DraftState.Rejected;
        // Only an intent the version in force let go out on its own was auto-sent; a person approved the others.
        if (state == DraftState.AutoSent && version is not null && !version.AutoSendIntents.Contains(intent)) state = DraftState.Approved;
        inbound.Text = question;
        // History is closed: a blocked draft of last month was handled by a person (it keeps its "blocked" classification),
        // so the blocked lane of a new demo shows only what the guardrail stops from now on.
        var blocked = state == DraftState.Handled;
        var sent = state is DraftState.Approved or DraftState.EditedAndSent or DraftState.AutoSent;
        // An automatic reply waits the auto-send delay of the version in force (the demo's first one waited longer).
        var responseSeconds = state == DraftState.AutoSent ? (version?.AutoSendDelaySeconds ?? 30) + random.Next(0, 30)
            : (int)Math.Min(86_000, 20 + Math.Exp(random.NextDouble() * 8));
        var draft = new Draft
        {
            TenantId = tenantId, ConversationId = conversation.Id, MessageId = inbound.Id, ChannelId = channelId, Intent = blocked ? null : intent,
            Classification = blocked ? Draft.BlockedClassification : "answer", Text = answer, State = state,
            // Questions from the knowledge were drafted at or above the review threshold; the low ones are the unanswered below.
            Confidence = blocked ? 0 : Math.Clamp((int)(state == DraftState.AutoSent ? 86 + random.Next(0, 13) : 60 + random.Next(0, 35)), 1, 99),
            EditDistance = state == DraftState.EditedAndSent ? 1 + (int)Math.Exp(random.NextDouble() * 6) : state == DraftState.Approved ? 0 : null,
            StateReason = state == DraftState.Rejected ? "RejectWrongAnswer" : blocked ? "handled" : null,
            ReviewedByUserId = state is DraftState.Approved or DraftState.EditedAndSent or DraftState.Rejected or DraftState.Handled ? agent : null,
            ModelProfile = Ai.BuiltInModel.ModelName, ResponseSeconds = sent ? responseSeconds : null,
            Quarter = AnalyticsTime.QuarterOf(asked), CreatedUtc = asked.AddSeconds(1), UpdatedUtc = asked.AddSeconds(responseSeconds), Version = 1,
            ConfigVersion = version?.Number,
        };
        db.AddRange(contact, conversation, inbound, draft);
        if (sent)
        {
            db.Messages.Add(new Message
            {
                TenantId = tenantId, ChannelId = channelId, ConversationId = conversation.Id, Direction = MessageDirection.Outbound,
                Author = state == DraftState.AutoSent ? MessageAuthor.Ai : MessageAuthor.Agent, SentByUserId = state == DraftState.AutoSent ? null : agent, Text = filled, Language = language, DeliveryState = DeliveryState.Read,
                SentUtc = asked.AddSeconds(responseSeconds), CreatedUtc = asked.AddSeconds(responseSeconds),
            });
        }
    }

    /// <summary>A resolved conversation's customer, and the message they wrote.</summary>
    private static (Contact, Conversation, Message) Customer(Guid tenantId, Guid channelId, string address, string question, string language,
        DateTime asked, Random random)
    {
        var contact = new Contact
        {
            TenantId = tenantId, ChannelId = channelId, Address = address,
            DisplayName = Names[random.Next(Names.Length)], LastInboundUtc = asked, CreatedUtc = asked,
        };
        var conversation = new Conversation
        {
            TenantId = tenantId, ChannelId = channelId, ContactId = contact.Id, Status = ConversationStatus.Resolved, AiMode = AiMode.ReviewEverything,
            CreatedUtc = asked, LastActivityUtc = asked,
        };
        var inbound = new Message
        {
            TenantId = tenantId, ChannelId = channelId, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
            Text = question, Language = language, ExternalId = "demo." + Guid.NewGuid().ToString("N"), DeliveryState = DeliveryState.Delivered, SentUtc = asked, CreatedUtc = asked,
        };
        return (contact, conversation, inbound);
    }

    /// <summary>A question the knowledge had no answer for: the draft said so at low confidence, and a person wrote the reply and closed it as handled.</summary>
    private static Message AddUnanswered(HitlDbContext db, Guid tenantId, Guid channelId, string agent, string address, Unanswered gap, DateTime asked,
        Version? version, Random random)
    {
        var (contact, conversation, inbound) = Customer(tenantId, channelId, address, gap.Question, gap.Language, asked, random);
        var seconds = 60 + random.Next(0, 1800);
        var draft = new Draft
        {
            TenantId = tenantId, ConversationId = conversation.Id, MessageId = inbound.Id, ChannelId = channelId, Classification = "out_of_knowledge",
            Text = gap.Language == "es" ? "Gracias por escribirnos. No tengo esa información ahora mismo; un compañero te responde enseguida."
                : "Thanks for your message. I don't have that information to hand; a colleague will get back to you shortly.",
            State = DraftState.Handled, StateReason = "handled", Confidence = 12 + random.Next(0, 27), OutOfKnowledge = true, LowConfidence = true,
            ReviewedByUserId = agent, ModelProfile = Ai.BuiltInModel.ModelName, Quarter = AnalyticsTime.QuarterOf(asked),
            CreatedUtc = asked.AddSeconds(1), UpdatedUtc = asked.AddSeconds(seconds), Version = 1, ConfigVersion = version?.Number,
        };
        var reply = new Message
        {
            TenantId = tenantId, ChannelId = channelId, ConversationId = conversation.Id, Direction = MessageDirection.Outbound, Author = MessageAuthor.Agent,
            SentByUserId = agent, Text = gap.Reply, Language = gap.Language, DeliveryState = DeliveryState.Read,
            SentUtc = asked.AddSeconds(seconds), CreatedUtc = asked.AddSeconds(seconds),
        };
        db.AddRange(contact, conversation, inbound, draft, reply);
        return reply;
    }

    private sealed record Unanswered(string Question, string Reply, string Language);

    // What a shop's customers ask that its knowledge does not cover, a few ways each (so the gaps page groups them).
    private static readonly Unanswered[] EnglishGaps =
    [
        new("Do you offer gift wrapping?", "Not yet, sorry! You can add a gift note at checkout, though.", "en"),
        new("can you wrap my order as a present?", "We can't wrap orders yet, but you can add a gift note at checkout.", "en"),
        new("Is gift wrap available for my order?", "Not at the moment, sorry. A gift note at checkout is the closest we have.", "en"),
        new("Do you have a student discount?", "We don't have a student discount right now, but new newsletter subscribers get a 10% code.", "en"),
        new("any discounts for students??", "Not for students specifically, sorry. Subscribing to the newsletter gets you a 10% code.", "en"),
        new("Can I pick up my order at your warehouse?", "Our warehouse isn't open to the public, so pickup isn't possible. Delivery takes 2–3 working days.", "en"),
        new("is collection from your warehouse possible instead of delivery", "Sorry, the warehouse doesn't take visitors. We deliver in 2–3 working days.", "en"),
        new("Are your products vegan?", "Most are. Each product page lists its materials; tell me which item and I'll check.", "en"),
        new("Do you have a loyalty programme?", "Not at the moment. We'll announce it in the newsletter when it starts.", "en"),
        new("do I earn points when I shop with you?", "We don't have points yet; the newsletter will announce a loyalty programme when it starts.", "en"),
    ];

    private static readonly Unanswered[] SpanishGaps =
    [
        new("¿Hacéis envoltorio para regalo?", "Todavía no, lo sentimos. Sí puedes añadir una nota de regalo al finalizar la compra.", "es"),
        new("me lo pueden envolver para regalo?", "Aún no envolvemos pedidos, pero puedes añadir una nota de regalo al pagar.", "es"),
        new("¿Tenéis descuento para estudiantes?", "Ahora mismo no, pero al suscribirte al boletín recibes un código del 10 %.", "es"),
        new("¿Puedo recoger el pedido en vuestro almacén?", "El almacén no está abierto al público, así que no se puede recoger. El envío tarda 2-3 días laborables.", "es"),
        new("¿Los productos son veganos?", "La mayoría sí; cada ficha indica los materiales. Dime qué producto miras y lo compruebo.", "es"),
        new("¿Tenéis programa de puntos?", "Por ahora no. Lo anunciaremos en el boletín cuando empiece.", "es"),
    ];

    private static readonly Dictionary<string, string> EnglishDemoVariables = DemoSeeder.DemoVariables.ToDictionary(v => v.Key, v => v.Value.En);
    private static readonly Dictionary<string, string> SpanishDemoVariables = DemoSeeder.DemoVariables.ToDictionary(v => v.Key, v => v.Value.Es);

    private static readonly string[] Names = ["Lucía", "Marco", "Aisha", "Tom", "Inés", "Kenji", "Sofia", "Pablo", "Emma", "Noah", "Carmen", "Liam"];
}
