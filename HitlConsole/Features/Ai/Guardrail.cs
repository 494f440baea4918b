using System.Globalization;
using System.Text;

namespace HitlConsole.Features.Ai;

/// <summary>Values are stored by name (configuration, drafts); new classes are appended.</summary>
public enum GuardrailClass { None, Security, Legal, Medical, OutOfScope, Abuse, Politics, Emergency, SelfHarm }

public static class GuardrailClasses
{
    /// <summary>The contract's lower-case name (SPEC §8); a workspace topic is reported by its own text.</summary>
    public static string WireName(this GuardrailClass cls) => cls switch
    {
        GuardrailClass.SelfHarm => "self_harm",
        GuardrailClass.OutOfScope => "out_of_scope",
        _ => cls.ToString().ToLowerInvariant(),
    };

    /// <summary>A person may be in danger: a distinct, high-priority alert in the console, and never an automatic reply.</summary>
    public static bool IsUrgent(this GuardrailClass cls) => cls is GuardrailClass.SelfHarm or GuardrailClass.Emergency;

    /// <summary>Which class wins when several trip: danger to a person first, the workspace's own topics last.</summary>
    public static int Rank(this GuardrailClass cls) => cls == GuardrailClass.OutOfScope ? 100 : Array.IndexOf(SafetyClassifier.Priority, cls) is var i and >= 0 ? i : 50;
}

public sealed record GuardrailResult(GuardrailClass Class, IReadOnlyList<string> Triggered)
{
    public bool Blocked => Class != GuardrailClass.None;
    public static readonly GuardrailResult Pass = new(GuardrailClass.None, []);

    /// <summary>
    /// The vocabulary's class when the model overruled its words and the message passed: the draft is written, and a person
    /// sends it (an account reported hacked is answered, never automatically).
    /// </summary>
    public GuardrailClass? Overruled { get; init; }

    /// <summary>
    /// The triggered words a reviewer is shown: those the customer actually wrote, as they wrote them and in the order of the
    /// message. The vocabulary also matches its other language's words through spelling slack ("idiota" trips "idiot" too),
    /// which is right for zero-echo but would show a Spanish agent an English word the customer never wrote. When none is
    /// written as such (letter substitutions, "1d10t4"), every word is shown: the reviewer still needs a reason.
    /// Words that touch in the message are one phrase ("admin" in "admin password", "eres un" before "idiota"), and a phrase
    /// that leads into the customer's next words ("eres un", "vote for", "report you to") takes up to two of them, so it
    /// does not read cut short. <see cref="Triggered"/> keeps every word, which zero-echo reads.
    /// </summary>
    public IReadOnlyList<string> WrittenIn(string text)
    {
        var words = Words(text);
        var folded = words.Select(w => w.Folded).ToArray();
        var spans = new List<(int First, int Last)>();
        foreach (var trigger in Triggered)
        {
            var phrase = Guardrail.Tokenize(trigger);
            var first = phrase.Length == 0 ? -1 : IndexOf(folded, phrase, stem: false);
            // The vocabulary holds stems ("abogad", "denunci"): shown as they are, they read as typos. The word the customer
            // wrote from the stem ("abogados", "denunciaros") is shown instead.
            if (first < 0 && phrase.Length > 0 && phrase[^1].Length >= MinimumStem) first = IndexOf(folded, phrase, stem: true);
            if (first < 0) continue;
            var last = first + phrase.Length - 1;
            for (var more = 0; phrase.Length > 1 && more < LeadInWords && last + 1 < folded.Length && folded[last].Length <= LeadInLetters; more++) last++;
            spans.Add((first, last));
        }
        if (spans.Count == 0) return WithoutWordsOfLongerPhrases(Triggered);
        var merged = new List<(int First, int Last)>();
        foreach (var span in spans.OrderBy(s => s.First))
            if (merged.Count > 0 && span.First <= merged[^1].Last + 1) merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, span.Last));
            else merged.Add(span);
        return merged.Select(s => text[words[s.First].Start..words[s.Last].End]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>A phrase ending in a word this short ("un", "for", "to") leads into what follows: it takes up to this many more words.</summary>
    private const int LeadInLetters = 3, LeadInWords = 2;

    /// <summary>The message's words where they stand in it (<c>Start</c> to <c>End</c>), each as <see cref="Guardrail.Tokenize"/> reads it.</summary>
    private static List<(int Start, int End, string Folded)> Words(string text)
    {
        var words = new List<(int Start, int End, string Folded)>();
        for (var i = 0; i < text.Length;)
        {
            if (!InWord(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && InWord(text[i])) i++;
            if (string.Concat(Guardrail.Tokenize(text[start..i])) is { Length: > 0 } folded) words.Add((start, i, folded));
        }
        return words;
    }

    private static bool InWord(char ch) => char.IsLetterOrDigit(ch) || CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark;

    /// <summary>Where <paramref name="phrase"/> stands in <paramref name="words"/>; with <paramref name="stem"/>, its last word may begin a longer one.</summary>
    private static int IndexOf(string[] words, string[] phrase, bool stem)
    {
        for (var i = 0; i + phrase.Length <= words.Length; i++)
        {
            var last = i + phrase.Length - 1;
            if (words.AsSpan(i, phrase.Length - 1).SequenceEqual(phrase.AsSpan(0, phrase.Length - 1))
                && (stem ? words[last].StartsWith(phrase[^1], StringComparison.Ordinal) : words[last] == phrase[^1])) return i;
        }
        return -1;
    }

    /// <summary>A stem shorter than this ("ass") would begin too many harmless words to point at one.</summary>
    private const int MinimumStem = 4;

    private static IReadOnlyList<string> WithoutWordsOfLongerPhrases(IReadOnlyList<string> phrases)
    {
        var tokens = phrases.Select(p => Phrase(Guardrail.Tokenize(p))).ToList();
        return phrases.Where((_, i) => tokens[i].Length > 2
            && !tokens.Where((other, j) => j != i && other.Length > tokens[i].Length).Any(other => other.Contains(tokens[i], StringComparison.Ordinal))
            && tokens.IndexOf(tokens[i]) == i).ToList();
    }

    /// <summary>Words between spaces, so one phrase is found in another only as whole words.</summary>
    private static string Phrase(string[] words) => " " + string.Join(' ', words) + " ";
}

/// <summary>
/// The pre-scan before any model call: the built-in <see cref="SafetyClassifier"/>, then the workspace's own keyword
/// lists per class and language (Admin overrides: whole-word, case- and accent-insensitive phrases) and its forbidden
/// topics. The classifier carries the defaults, so new workspaces start with empty keyword lists.
/// </summary>
public sealed class Guardrail
{
    /// <summary>The starting keyword lists of every workspace, per class and language: empty, the classifier covers the classes.</summary>
    public static readonly IReadOnlyDictionary<GuardrailClass, IReadOnlyDictionary<string, string[]>> DefaultKeywordsByLanguage =
        new Dictionary<GuardrailClass, IReadOnlyDictionary<string, string[]>>();

    /// <summary>The default lists with languages merged: a message is scanned against every language's words.</summary>
    public static readonly IReadOnlyDictionary<GuardrailClass, string[]> DefaultKeywords =
        DefaultKeywordsByLanguage.ToDictionary(c => c.Key, c => c.Value.Values.SelectMany(w => w).ToArray());

    private readonly List<(GuardrailClass Class, string Phrase, string[] Tokens)> _rules;

    private readonly SafetyClassifier? _classifier;
    private readonly SafetyModel? _model;
    private readonly bool _useModel;

    public Guardrail(IReadOnlyDictionary<GuardrailClass, string[]>? keywords = null, IEnumerable<string>? forbiddenTopics = null,
        SafetyClassifier? classifier = null, bool useClassifier = true, SafetyModel? model = null)
    {
        _classifier = useClassifier ? classifier ?? SafetyClassifier.Default : null;
        _model = model;
        _useModel = useClassifier;
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

    /// <summary>Words a message needs before the model may overrule the vocabulary ("necesito un diagnóstico" stays medical).</summary>
    private const int MinimumContext = 4;

    /// <summary>
    /// The text whose sentence vector <see cref="Scan"/> reads for a message in <paramref name="language"/>, or null when the
    /// model reads none (no model, or a language it reads by its words only).
    /// </summary>
    public string? MeaningText(string text, string language) => _useModel ? (_model ?? SafetyModel.Default).MeaningText(text, language) : null;

    /// <param name="meaning">
    /// The sentence vector of the message's <see cref="SafetyModel.MeaningText"/> when the caller has it (the draft computes it
    /// once for the guardrail and the intent classification); without it the scan computes it for the detected language.
    /// </param>
    /// <param name="language">
    /// The message's language when the caller knows it (the draft: the conversation's earlier language settles a short "ok");
    /// detected from the text otherwise. It must be the language <paramref name="meaning"/> was read for.
    /// </param>
    public GuardrailResult Scan(string? text, float[]? meaning = null, string? language = null)
    {
        if (string.IsNullOrWhiteSpace(text)) return GuardrailResult.Pass;
        var tokens = Tokenize(text);
        var hits = _rules.Where(r => ContainsSequence(tokens, r.Tokens)).Select(r => (r.Class, r.Phrase)).ToList();
        var verdict = _classifier?.Classify(text);
        var classes = hits.Select(h => h.Class).ToList();
        GuardrailClass? overruled = null;
        if (_useModel)
        {
            // The trained model reads the words, their context and the vocabulary's scores: it blocks on its own above its
            // threshold (a paraphrase no rule knows), and when it is sure a text is harmless it overrules a lone word
            // ("the Suicide Squad t-shirt"). The shipped model is trained on first use (once per process).
            // A workspace rule that matched is more specific than the model's own guess; a security word is never overruled
            // (SafetyModel.NeverOverruled: an injection dressed as a support request is still an injection) unless the lexicon
            // lets it be (a customer whose own account was hacked asks for help), nor a message too short to give the word a context.
            var model = _model ?? SafetyModel.Default;
            language ??= Languages.TextLanguage.Shared.Detect(text, "en");
            if (meaning is null && model.ReadsMeaning && model.MeaningText(text, language) is { } meaningText)
                meaning = SafetyModel.Embed(meaningText);
            var (best, probability, harmless) = model.Read(text, meaning, language);
            // Hello, thanks and goodbye in social words only are never a risk, however the model reads "very kind of you".
            if (probability >= model.ThresholdFor(language) && classes.Count == 0 && !SmallTalk.IsOnlySocialWords(text)) classes.Add(best);
            if (verdict is { Class: not GuardrailClass.None }
                && (harmless < model.OverruleFor(language) || (model.NeverOverruled.Contains(verdict.Class) && !verdict.Overrulable)
                    || tokens.Length < MinimumContext))
                classes.Add(verdict.Class);
            else if (verdict is { Class: not GuardrailClass.None }) overruled = verdict.Class;
        }
        else if (verdict is { Class: not GuardrailClass.None }) classes.Add(verdict.Class);
        if (classes.Count == 0) return overruled is { } word ? GuardrailResult.Pass with { Overruled = word } : GuardrailResult.Pass;
        var cls = classes.MinBy(c => c.Rank());
        // The winner's words first (a workspace topic is reported by its own text), then every other word that matched, even
        // the vocabulary's when the model overruled it: a neutral reply must echo none of them.
        var triggered = hits.Where(h => h.Class == cls).Select(h => h.Phrase)
            .Concat(verdict?.Matched ?? []).Concat(hits.Where(h => h.Class != cls).Select(h => h.Phrase)).Distinct().ToList();
        return new GuardrailResult(cls, triggered);
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
        [(GuardrailClass.Abuse, "en")] = "Thanks for your message. We want to help, and we'll do it best if we keep the conversation respectful; a member of our team will review it.",
        [(GuardrailClass.Abuse, "es")] = "Gracias por tu mensaje. Queremos ayudarte y lo haremos mejor si mantenemos una conversación respetuosa; una persona de nuestro equipo lo revisará.",
        [(GuardrailClass.Politics, "en")] = "Thanks for your message. That's a subject we don't give opinions on here, but we're happy to help with anything about your orders or account.",
        [(GuardrailClass.Politics, "es")] = "Gracias por tu mensaje. Es un tema sobre el que no opinamos por aquí, pero te ayudamos encantados con tus pedidos o tu cuenta.",
        [(GuardrailClass.Emergency, "en")] = "If someone is in danger or needs urgent medical help, please call your local emergency number (112 in Europe, 911 in the Americas) right away. A member of our team has been alerted.",
        [(GuardrailClass.Emergency, "es")] = "Si alguien está en peligro o necesita ayuda médica urgente, llama ahora mismo al número de emergencias de tu país (112 en Europa, 911 en gran parte de América). Ya hemos avisado a una persona de nuestro equipo.",
        [(GuardrailClass.SelfHarm, "en")] = "We're really sorry you're feeling this way. You don't have to go through it alone: please reach out now to someone you trust or to a crisis line in your country, or call your local emergency number if you are in danger. A member of our team has been alerted and will be with you.",
        [(GuardrailClass.SelfHarm, "es")] = "Sentimos mucho que te sientas así. No tienes que pasar por esto en soledad: habla ahora con alguien de confianza o con una línea de ayuda en crisis de tu país, o llama al número de emergencias si estás en peligro. Ya hemos avisado a una persona de nuestro equipo.",
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

    /// <summary>The language of a text (<see cref="Languages.TextLanguage"/>), or <paramref name="fallback"/> when it is too short to tell.</summary>
    public static string GuessLanguage(string? text, string fallback) => Languages.TextLanguage.Shared.Detect(text, fallback);
}
