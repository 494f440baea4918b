using System.Text.RegularExpressions;
using HitlConsole.Features.Pipeline;
using HitlConsole.Features.Ai;

namespace HitlConsole.Features.AgentConfig;

/// <summary>
/// Field-level rules for a configuration document. Errors are keyed by the field's path (the same paths the diff
/// uses, e.g. <c>thresholds.review</c>, <c>intents[3].name</c>, <c>guardrails.neutralReplies.Legal.es</c>) and
/// carry a resource key, so the editors can show each message next to its field in the user's language.
/// </summary>
public static partial class ConfigValidator
{
    public static Dictionary<string, string> Validate(AgentConfigDocument doc)
    {
        var errors = new Dictionary<string, string>();
        void Check(bool ok, string path, string key) { if (!ok) errors.TryAdd(path, key); }
        static bool Text(string? s, int max, bool required = true) => (!required || !string.IsNullOrWhiteSpace(s)) && (s?.Length ?? 0) <= max;

        var id = doc.Identity;
        Check(Text(id.AssistantName, 60), "identity.assistantName", "ConfigErrorRequired60");
        Check(Text(id.BusinessName, 100, required: false), "identity.businessName", "ConfigErrorTooLong");
        Check(Text(id.BusinessDescription, 500, required: false), "identity.businessDescription", "ConfigErrorTooLong");
        Check(Text(id.Persona, 4000), "identity.persona", "ConfigErrorRequired4000");
        Check(Text(id.Tone, 200), "identity.tone", "ConfigErrorRequired200");
        Check(id.ReplyLanguage is "customer" or "en" or "es", "identity.replyLanguage", "ConfigErrorReplyLanguage");

        var g = doc.Grounding;
        Check(Text(g.Instructions, 4000, required: false), "grounding.instructions", "ConfigErrorTooLong");
        Check(Text(g.Boundaries, 4000, required: false), "grounding.boundaries", "ConfigErrorTooLong");
        foreach (var lang in AgentConfigDocument.Languages)
            Check(Text(g.FallbackMessages.GetValueOrDefault(lang), 1000), $"grounding.fallbackMessages.{lang}", "ConfigErrorRequired1000");
        foreach (var lang in g.FallbackMessages.Keys.Except(AgentConfigDocument.Languages))
            Check(false, $"grounding.fallbackMessages.{lang}", "ConfigErrorLanguage");
        Check(g.Sources is >= 1 and <= 10, "grounding.sources", "ConfigErrorSources");
        Check(g.HistoryTurns is >= 0 and <= 50, "grounding.historyTurns", "ConfigErrorHistoryTurns");

        var t = doc.Thresholds;
        Check(t.Review is >= 0 and <= 100, "thresholds.review", "ConfigErrorPercent");
        Check(t.AutoSend is >= 0 and <= 100, "thresholds.autoSend", "ConfigErrorPercent");
        Check(t.Review <= t.AutoSend, "thresholds.review", "ConfigErrorThresholdOrder");
        Check(t.AutoSendDelaySeconds is >= 0 and <= 3600, "thresholds.autoSendDelaySeconds", "ConfigErrorDelay");
        Check(t.DraftTtlHours is >= 1 and <= 168, "thresholds.draftTtlHours", "ConfigErrorTtl");

        Check(doc.Intents.Count is >= 1 and <= 200, "intents", "ConfigErrorIntentCount");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < doc.Intents.Count; i++)
        {
            var intent = doc.Intents[i];
            var name = intent.Name?.Trim() ?? "";
            Check(IntentName().IsMatch(name), $"intents[{i}].name", "ConfigErrorIntentName");
            Check(name.Length == 0 || seen.Add(name), $"intents[{i}].name", "ConfigErrorIntentDuplicate");
            Check(Text(intent.Description, 500, required: false), $"intents[{i}].description", "ConfigErrorTooLong");
            Check(Enum.IsDefined(intent.Policy), $"intents[{i}].policy", "ConfigErrorPolicy");
            Check(intent.Examples.Count <= 200 && intent.Examples.All(e => Text(e, 300)), $"intents[{i}].examples", "ConfigErrorList300");
            Check(intent.SuggestedReplies.Count <= 10 && intent.SuggestedReplies.All(r => Text(r, 1000)), $"intents[{i}].suggestedReplies", "ConfigErrorSuggested");
        }

        var gr = doc.Guardrails;
        Check(gr.ForbiddenTopics.Count <= 200 && gr.ForbiddenTopics.All(f => Text(f, 100) && Guardrail.Tokenize(f).Length > 0),
            "guardrails.forbiddenTopics", "ConfigErrorList100");
        var classes = AgentConfigDocument.KeywordClasses.Select(c => c.ToString()).ToHashSet();
        foreach (var (cls, byLanguage) in gr.Keywords)
        {
            Check(classes.Contains(cls), $"guardrails.keywords.{cls}", "ConfigErrorGuardrailClass");
            foreach (var (lang, words) in byLanguage)
            {
                Check(AgentConfigDocument.Languages.Contains(lang), $"guardrails.keywords.{cls}.{lang}", "ConfigErrorLanguage");
                Check(words.Count <= 500 && words.All(w => Text(w, 100) && Guardrail.Tokenize(w).Length > 0), $"guardrails.keywords.{cls}.{lang}", "ConfigErrorList100");
            }
        }
        foreach (var cls in AgentConfigDocument.ReplyClasses.Select(c => c.ToString()))
        {
            var replies = gr.NeutralReplies.GetValueOrDefault(cls) ?? [];
            var ownKeywords = (gr.Keywords.GetValueOrDefault(cls)?.Values.SelectMany(w => w) ?? [])
                .Concat(cls == nameof(GuardrailClass.OutOfScope) ? gr.ForbiddenTopics : []).ToList();
            foreach (var lang in AgentConfigDocument.Languages)
            {
                var path = $"guardrails.neutralReplies.{cls}.{lang}";
                var reply = replies.GetValueOrDefault(lang);
                Check(Text(reply, 1000), path, "ConfigErrorRequired1000");
                // Zero-echo: a neutral reply naming what triggered it would repeat the customer's words back.
                if (!string.IsNullOrWhiteSpace(reply))
                    Check(SystemReplies.Safe(reply, "", ownKeywords, lang) == reply
                        && !(Enum.TryParse<GuardrailClass>(cls, out var c) && SafetyClassifier.Default.HasDecisiveWord(reply, c)), path, "ConfigErrorNeutralEcho");
            }
        }
        foreach (var cls in gr.NeutralReplies.Keys.Except(AgentConfigDocument.ReplyClasses.Select(c => c.ToString())))
            Check(false, $"guardrails.neutralReplies.{cls}", "ConfigErrorGuardrailClass");
        ValidateVariables(doc.Variables, Check, Text);
        return errors;
    }

    public const int MaxVariables = 50, MaxVariableName = 60, MaxVariableValue = 500;

    /// <summary>Names are compared as placeholders are (<see cref="Placeholders.Key"/>), so "Website name" duplicates "Website Name".</summary>
    private static void ValidateVariables(List<AgentConfigDocument.VariableSection> variables, Action<bool, string, string> check,
        Func<string?, int, bool, bool> text)
    {
        check(variables.Count <= MaxVariables, "variables", "ConfigErrorVariableCount");
        var seen = new HashSet<string>();
        for (var i = 0; i < variables.Count; i++)
        {
            var name = variables[i].Name?.Trim() ?? "";
            check(text(name, MaxVariableName, true) && !name.Contains('{') && !name.Contains('}'), $"variables[{i}].name", "ConfigErrorVariableName");
            check(name.Length == 0 || seen.Add(Placeholders.Key(name)), $"variables[{i}].name", "ConfigErrorVariableDuplicate");
            foreach (var (lang, value) in variables[i].Values)
            {
                check(AgentConfigDocument.Languages.Contains(lang), $"variables[{i}].values.{lang}", "ConfigErrorLanguage");
                // A value holding a placeholder would leave one behind after filling.
                check(text(value, MaxVariableValue, false) && !Placeholders.Any(value), $"variables[{i}].values.{lang}", "ConfigErrorVariableValue");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,60}$")]
    private static partial Regex IntentName();
}
