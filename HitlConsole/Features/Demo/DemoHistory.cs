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
/// edits and response times a busy team produces. Deterministic (fixed seed); everything is resolved, nothing waits.
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
            Confidence = blocked ? 0 : Math.Clamp((int)(state == DraftState.AutoSent ? 86 + random.Next(0, 13) : 35 + random.Next(0, 60)), 1, 99),
            EditDistance = state == DraftState.EditedAndSent ? 1 + (int)Math.Exp(random.NextDouble() * 6) : state == DraftState.Approved ? 0 : null,
            StateReason = state == DraftState.Rejected ? "RejectWrongAnswer" : blocked ? "handled" : null,
            ReviewedByUserId = state is DraftState.Approved or DraftState.EditedAndSent or DraftState.Rejected or DraftState.Handled ? agent : null,
            ModelProfile = Ai.BuiltInModel.ModelName, ResponseSeconds = sent ? responseSeconds : null,
            Quarter = AnalyticsTime.QuarterOf(asked), CreatedUtc = asked.AddSeconds(1), UpdatedUtc = asked.AddSeconds(responseSeconds), Version = 1,
            ConfigVersion = version?.Number,
        };
        db.Contacts.Add(contact);
        db.Conversations.Add(conversation);
        db.Messages.Add(inbound);
        db.Drafts.Add(draft);
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

    private static readonly Dictionary<string, string> EnglishDemoVariables = DemoSeeder.DemoVariables.ToDictionary(v => v.Key, v => v.Value.En);
    private static readonly Dictionary<string, string> SpanishDemoVariables = DemoSeeder.DemoVariables.ToDictionary(v => v.Key, v => v.Value.Es);

    private static readonly string[] Names = ["Lucía", "Marco", "Aisha", "Tom", "Inés", "Kenji", "Sofia", "Pablo", "Emma", "Noah", "Carmen", "Liam"];
}
