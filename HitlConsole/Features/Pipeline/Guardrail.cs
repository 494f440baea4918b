using System.Globalization;
using System.Text;

namespace HitlConsole.Features.Pipeline;

public enum GuardrailClass { None, Security, Legal, Medical, OutOfScope }

public sealed record GuardrailResult(GuardrailClass Class, IReadOnlyList<string> Triggered)
{
    public bool Blocked => Class != GuardrailClass.None;
    public static readonly GuardrailResult Pass = new(GuardrailClass.None, []);
}

/// <summary>
/// The pre-scan before any model call: whole-word, case- and accent-insensitive keyword and phrase
/// matching per class and language, plus the tenant's forbidden topics. "ilegal" does not match
/// "legal" and "alta demanda" does not match "demanda judicial": only listed words and phrases count.
/// </summary>
public sealed class Guardrail
{
    /// <summary>The starting keyword lists of every workspace, per class and language; the agent configuration edits its own copy.</summary>
    public static readonly IReadOnlyDictionary<GuardrailClass, IReadOnlyDictionary<string, string[]>> DefaultKeywordsByLanguage =
        new Dictionary<GuardrailClass, IReadOnlyDictionary<string, string[]>>
        {
            [GuardrailClass.Security] = new Dictionary<string, string[]>
            {
                ["en"] = ["hack into", "hacked", "hacking", "malware", "ransomware", "phishing", "exploit", "ddos", "sql injection",
                    "steal passwords", "stolen credit card", "carding", "bomb threat", "kill you"],
                ["es"] = ["hackear", "hackeo", "hackeado", "robar contraseñas", "tarjeta robada", "amenaza de bomba", "te voy a matar"],
            },
            [GuardrailClass.Legal] = new Dictionary<string, string[]>
            {
                ["en"] = ["legal", "lawsuit", "sue you", "i will sue", "attorney", "lawyer", "legal action", "take you to court", "court order",
                    "subpoena", "class action"],
                ["es"] = ["demanda judicial", "abogado", "abogada", "acción legal", "acciones legales", "tribunal", "juzgado", "denuncia", "demandar"],
            },
            [GuardrailClass.Medical] = new Dictionary<string, string[]>
            {
                ["en"] = ["diagnosis", "diagnose", "prescription", "overdose", "chest pain", "suicide", "medication dose", "allergic reaction"],
                ["es"] = ["diagnóstico", "receta médica", "sobredosis", "dolor en el pecho", "suicidio", "dosis de medicamento", "reacción alérgica"],
            },
        };

    /// <summary>The default lists with languages merged: a message is scanned against every language's words.</summary>
    public static readonly IReadOnlyDictionary<GuardrailClass, string[]> DefaultKeywords =
        DefaultKeywordsByLanguage.ToDictionary(c => c.Key, c => c.Value.Values.SelectMany(w => w).ToArray());

    private readonly List<(GuardrailClass Class, string Phrase, string[] Tokens)> _rules;

    public Guardrail(IReadOnlyDictionary<GuardrailClass, string[]>? keywords = null, IEnumerable<string>? forbiddenTopics = null)
    {
        _rules = [];
        foreach (var (cls, words) in keywords ?? DefaultKeywords)
            foreach (var w in words) Add(cls, w);
        foreach (var topic in forbiddenTopics ?? []) Add(GuardrailClass.OutOfScope, topic);
    }

    private void Add(GuardrailClass cls, string phrase)
    {
        var tokens = Tokenize(phrase);
        if (tokens.Length > 0) _rules.Add((cls, phrase, tokens));
    }

    public GuardrailResult Scan(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return GuardrailResult.Pass;
        var tokens = Tokenize(text);
        var hits = _rules.Where(r => ContainsSequence(tokens, r.Tokens)).ToList();
        if (hits.Count == 0) return GuardrailResult.Pass;
        // Security outranks legal outranks medical outranks out-of-scope.
        var cls = hits.Select(h => h.Class).Min();
        return new GuardrailResult(cls, hits.Select(h => h.Phrase).Distinct().ToList());
    }

    /// <summary>Lower case, accents removed, split on anything that is not a letter or digit.</summary>
    public static string[] Tokenize(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalized.Length);
        foreach (var ch in normalized)
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (cat == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : ' ');
        }
        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool ContainsSequence(string[] haystack, string[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
            if (match) return true;
        }
        return false;
    }
}

/// <summary>
/// Replies the system writes itself (blocked, fallback, failure). Zero-echo: such a reply may
/// contain neither the customer's text nor a triggered keyword; otherwise a generic sentence is used.
/// </summary>
public static class SystemReplies
{
    public static readonly IReadOnlyDictionary<(GuardrailClass, string), string> Defaults = new Dictionary<(GuardrailClass, string), string>
    {
        [(GuardrailClass.Security, "en")] = "Thanks for your message. For safety reasons we can't help with this here; a member of our team will review it.",
        [(GuardrailClass.Security, "es")] = "Gracias por tu mensaje. Por motivos de seguridad no podemos ayudarte con esto por aquí; una persona de nuestro equipo lo revisará.",
        [(GuardrailClass.Legal, "en")] = "Thanks for your message. A member of our team will get back to you about this personally.",
        [(GuardrailClass.Legal, "es")] = "Gracias por tu mensaje. Una persona de nuestro equipo te responderá personalmente sobre este asunto.",
        [(GuardrailClass.Medical, "en")] = "Thanks for your message. We can't give health advice; if it is urgent, please contact a medical professional or emergency services.",
        [(GuardrailClass.Medical, "es")] = "Gracias por tu mensaje. No podemos dar consejo sanitario; si es urgente, contacta con un profesional médico o con emergencias.",
        [(GuardrailClass.OutOfScope, "en")] = "Thanks for your message. This is outside what we can help with here, but a member of our team will take a look.",
        [(GuardrailClass.OutOfScope, "es")] = "Gracias por tu mensaje. Esto queda fuera de lo que podemos atender por aquí, pero alguien de nuestro equipo lo revisará.",
    };

    public static readonly IReadOnlyDictionary<string, string> Generic = new Dictionary<string, string>
    {
        ["en"] = "Thanks for your message. A member of our team will get back to you shortly.",
        ["es"] = "Gracias por tu mensaje. Una persona de nuestro equipo te responderá en breve.",
    };

    public static string For(GuardrailClass cls, string language, string customerText, IReadOnlyList<string> triggered,
        IReadOnlyDictionary<(GuardrailClass, string), string>? configured = null)
    {
        var lang = language == "es" ? "es" : "en";
        var reply = (configured ?? Defaults).GetValueOrDefault((cls, lang)) ?? Defaults.GetValueOrDefault((cls, lang)) ?? Generic[lang];
        return Safe(reply, customerText, triggered, lang);
    }

    /// <summary>Returns <paramref name="reply"/> unless it echoes the customer or a keyword; then the generic sentence.</summary>
    public static string Safe(string reply, string customerText, IReadOnlyList<string> triggered, string language)
    {
        var replyTokens = string.Join(' ', Guardrail.Tokenize(reply));
        var customer = string.Join(' ', Guardrail.Tokenize(customerText));
        var echoesCustomer = customer.Length >= 3 && (" " + replyTokens + " ").Contains(" " + customer + " ", StringComparison.Ordinal);
        var echoesKeyword = triggered.Any(k => (" " + replyTokens + " ").Contains(" " + string.Join(' ', Guardrail.Tokenize(k)) + " ", StringComparison.Ordinal));
        return echoesCustomer || echoesKeyword ? Generic[language == "es" ? "es" : "en"] : reply;
    }

    /// <summary>A cheap guess good enough to pick the language of a canned reply.</summary>
    public static string GuessLanguage(string? text, string fallback)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        string[] es = ["el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "por", "para", "mi", "es", "no", "hola", "quiero", "pedido", "gracias", "como", "donde", "cuando"];
        string[] en = ["the", "a", "an", "of", "and", "to", "in", "is", "my", "i", "you", "for", "it", "hi", "hello", "want", "order", "thanks", "how", "where", "when"];
        var tokens = Guardrail.Tokenize(text);
        var esScore = tokens.Count(es.Contains) + text.Count(c => "ñáéíóú¿¡".Contains(char.ToLowerInvariant(c))) * 2;
        var enScore = tokens.Count(en.Contains);
        return esScore > enScore ? "es" : enScore > esScore ? "en" : fallback;
    }
}
