using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Domain;

namespace HitlConsole.Features.AgentConfig;

/// <summary>
/// Everything an Admin configures about the assistant, as one document: what a version stores, what the editors
/// bind to, what export writes and import reads. It holds no secrets (model keys and channel tokens live encrypted
/// on their own rows), so a version can be exported and shared as it is.
/// </summary>
public sealed class AgentConfigDocument
{
    public IdentitySection Identity { get; set; } = new();
    public GroundingSection Grounding { get; set; } = new();
    public ThresholdSection Thresholds { get; set; } = new();
    public List<IntentSection> Intents { get; set; } = [];
    public GuardrailSection Guardrails { get; set; } = new();
    /// <summary>
    /// What <c>{{placeholders}}</c> in drafts are filled with. A version saved before this section existed reads the
    /// default names with empty values (the initialiser), so an Admin finds them ready to fill in.
    /// </summary>
    public List<VariableSection> Variables { get; set; } = DefaultVariables();

    public sealed class IdentitySection
    {
        public string AssistantName { get; set; } = "Assistant";
        public string BusinessName { get; set; } = "";
        public string BusinessDescription { get; set; } = "an online shop";
        public string Persona { get; set; } = "You are a friendly, precise customer-support assistant.";
        public string Tone { get; set; } = "warm and concise";
        /// <summary>"customer" answers in the customer's language; "en" or "es" always in that language.</summary>
        public string ReplyLanguage { get; set; } = "customer";
    }

    public sealed class GroundingSection
    {
        public bool Strict { get; set; } = true;
        public string Instructions { get; set; } =
            "Answer only with facts from the knowledge entries below. Keep placeholders such as {{Order Number}} as they are. " +
            "If the entries do not answer the question, say so and set out_of_knowledge to true.";
        public string Boundaries { get; set; } =
            "Never promise refunds, discounts or delivery dates that the knowledge does not state. Never give legal, medical or financial advice.";
        /// <summary>What the assistant says when nothing in the knowledge base answers, per language.</summary>
        public Dictionary<string, string> FallbackMessages { get; set; } = new(SystemReplies.Generic);
        public int Sources { get; set; } = 3;
        public int HistoryTurns { get; set; } = 10;
    }

    public sealed class ThresholdSection
    {
        public int AutoSend { get; set; } = 85;
        public int Review { get; set; } = 60;
        public int AutoSendDelaySeconds { get; set; } = 30;
        public int DraftTtlHours { get; set; } = 24;
    }

    public sealed class IntentSection
    {
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public IntentPolicy Policy { get; set; } = IntentPolicy.AlwaysReview;
        public List<string> Examples { get; set; } = [];
        public List<string> SuggestedReplies { get; set; } = [];
    }

    public sealed class GuardrailSection
    {
        public List<string> ForbiddenTopics { get; set; } = [];
        /// <summary>Class (see <see cref="KeywordClasses"/>) → language (en, es) → words and phrases an Admin adds to the built-in classifier.</summary>
        public Dictionary<string, Dictionary<string, List<string>>> Keywords { get; set; } = [];
        /// <summary>Class (<see cref="ReplyClasses"/>) → language → the neutral reply sent instead of a draft.</summary>
        public Dictionary<string, Dictionary<string, string>> NeutralReplies { get; set; } = [];
    }

    public sealed class VariableSection
    {
        /// <summary>The placeholder's name as knowledge writes it, e.g. "Customer Support Phone Number".</summary>
        public string Name { get; set; } = "";
        /// <summary>Language (en, es) → value; empty means "not set" and the placeholder stays for the reviewer.</summary>
        public Dictionary<string, string> Values { get; set; } = [];
    }

    /// <summary>The value placeholders most support knowledge uses (the Bitext answers among them).</summary>
    public static readonly string[] DefaultVariableNames =
    [
        "Company Name", "Website Name", "Website URL", "Customer Support Phone Number", "Customer Support Email",
        "Customer Support Availability", "Live Chat",
    ];

    public static List<VariableSection> DefaultVariables() =>
        DefaultVariableNames.Select(n => new VariableSection { Name = n, Values = Languages.ToDictionary(l => l, _ => "") }).ToList();

    public static readonly string[] Languages = ["en", "es"];
    public static readonly GuardrailClass[] KeywordClasses =
        [GuardrailClass.Abuse, GuardrailClass.Politics, GuardrailClass.Medical, GuardrailClass.Emergency, GuardrailClass.Legal, GuardrailClass.SelfHarm, GuardrailClass.Security];
    public static readonly GuardrailClass[] ReplyClasses = [.. KeywordClasses, GuardrailClass.OutOfScope];
    public static readonly string[] TonePresets = ["warm and concise", "formal and precise", "friendly and casual", "neutral and brief"];

    /// <summary>Web casing, enums as names, and unknown members refused: an import with a typo fails loudly.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        // Exported versions are read by people: "¿Hacéis envíos?" as written, not "\u00BFHac\u00E9is".
        Encoder = HitlConsole.Infrastructure.Exports.ExportFiles.JsonEncoder,
    };

    /// <summary>What a workspace starts from: the built-in intent catalogue, guardrail lists and replies, the pipeline defaults.</summary>
    public static AgentConfigDocument Default(string businessName, PipelineOptions? pipeline = null, int draftTtlHours = 24)
    {
        var o = pipeline ?? new PipelineOptions();
        return new AgentConfigDocument
        {
            Identity = new IdentitySection { BusinessName = businessName },
            Grounding = new GroundingSection { HistoryTurns = o.HistoryTurns },
            Thresholds = new ThresholdSection
            {
                AutoSend = o.AutoSendThreshold, Review = o.ReviewThreshold,
                AutoSendDelaySeconds = (int)o.AutoSendDelay.TotalSeconds, DraftTtlHours = draftTtlHours,
            },
            Intents = IntentCatalogue.Default.Intents.Select(i => new IntentSection
            {
                Name = i.Name, Description = i.Description, Policy = i.Policy, Examples = [.. i.Examples], SuggestedReplies = [.. i.SuggestedReplies ?? []],
            }).ToList(),
            Guardrails = new GuardrailSection
            {
                Keywords = Guardrail.DefaultKeywordsByLanguage.ToDictionary(c => c.Key.ToString(), c => c.Value.ToDictionary(l => l.Key, l => l.Value.ToList())),
                NeutralReplies = ReplyClasses.ToDictionary(c => c.ToString(),
                    c => Languages.ToDictionary(l => l, l => SystemReplies.Defaults[(c, l)])),
            },
        };
    }

    /// <summary>Stored versions are read leniently: a field a later release drops must not make old versions unreadable.</summary>
    private static readonly JsonSerializerOptions Stored = new(Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AgentConfigDocument FromJson(string json, bool strict = true) =>
        (JsonSerializer.Deserialize<AgentConfigDocument>(json, strict ? Json : Stored) ?? throw new JsonException("The configuration is empty."))
        .WithNewGuardrailClasses();

    /// <summary>
    /// Versions saved before a guardrail class existed have no neutral reply for it: the default sentences are filled
    /// in, so such a version stays valid and an Admin sees (and may change) what a new class answers.
    /// </summary>
    private AgentConfigDocument WithNewGuardrailClasses()
    {
        foreach (var cls in ReplyClasses)
        {
            var key = cls.ToString();
            if (!Guardrails.NeutralReplies.TryGetValue(key, out var byLanguage)) Guardrails.NeutralReplies[key] = byLanguage = [];
            foreach (var lang in Languages)
                if (!byLanguage.ContainsKey(lang)) byLanguage[lang] = SystemReplies.Defaults[(cls, lang)];
        }
        return this;
    }

    public AgentConfigDocument Clone() => FromJson(ToJson());

    /// <summary>SHA-256 of the canonical JSON: equal documents, equal hashes (caches and "nothing changed" checks use it).</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json))));

    /// <summary>The drafting view of this document.</summary>
    public AgentSettings ToSettings(int? version) => new()
    {
        AssistantName = Identity.AssistantName, BusinessName = Identity.BusinessName, BusinessDescription = Identity.BusinessDescription,
        Persona = Identity.Persona, Tone = Identity.Tone, ReplyLanguage = Identity.ReplyLanguage,
        StrictGrounding = Grounding.Strict, GroundingInstructions = Grounding.Instructions, BusinessBoundaries = Grounding.Boundaries,
        FallbackMessages = new Dictionary<string, string>(Grounding.FallbackMessages),
        Sources = Grounding.Sources, HistoryTurns = Grounding.HistoryTurns,
        AutoSendThreshold = Thresholds.AutoSend, ReviewThreshold = Thresholds.Review,
        AutoSendDelay = TimeSpan.FromSeconds(Thresholds.AutoSendDelaySeconds),
        ConfigVersion = version,
        Intents = new IntentCatalogue(Intents.Select(i => new IntentDefinition(
            i.Name.Trim(), i.Description, i.Policy, i.Examples.ToList(), i.SuggestedReplies.ToList())).ToList()),
        Guardrail = new Guardrail(
            Guardrails.Keywords.Where(k => Enum.TryParse<GuardrailClass>(k.Key, out _))
                .ToDictionary(k => Enum.Parse<GuardrailClass>(k.Key), k => k.Value.Values.SelectMany(w => w).ToArray()),
            Guardrails.ForbiddenTopics),
        NeutralReplies = Guardrails.NeutralReplies
            .Where(c => Enum.TryParse<GuardrailClass>(c.Key, out _))
            .SelectMany(c => c.Value.Select(l => (Key: (Enum.Parse<GuardrailClass>(c.Key), l.Key), l.Value)))
            .ToDictionary(x => x.Key, x => x.Value),
        Variables = new WorkspaceVariables(Variables.Select(v => (v.Name, (IReadOnlyDictionary<string, string>)v.Values)).ToList()),
    };
}
