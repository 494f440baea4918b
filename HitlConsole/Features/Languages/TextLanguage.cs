using Lingua;

namespace HitlConsole.Features.Languages;

/// <summary>
/// The language of a text among the product's languages (English, Spanish), by the Lingua detector with its models
/// preloaded. Very short texts ("ok", "hola", "👍") carry too little to decide: below a confidence that depends on
/// the text's length the caller's fallback wins (the conversation's earlier language, then the workspace default).
/// </summary>
public sealed class TextLanguage
{
    public static readonly IReadOnlyList<string> Supported = ["en", "es"];

    /// <summary>Stateless apart from the shared detector: for code that runs outside dependency injection.</summary>
    public static TextLanguage Shared { get; } = new();

    private static readonly Lazy<LanguageDetector> Detector = new(() =>
        LanguageDetectorBuilder.FromLanguages(Lingua.Language.English, Lingua.Language.Spanish).Build());

    /// <summary>Words that settle a short text on their own; Lingua gives "hola" 0.66 and "ok" to English.</summary>
    private static readonly Dictionary<string, string> ShortWords = new(StringComparer.Ordinal)
    {
        ["hola"] = "es", ["buenas"] = "es", ["gracias"] = "es", ["vale"] = "es", ["porfa"] = "es", ["buenos"] = "es", ["dias"] = "es",
        ["tardes"] = "es", ["noches"] = "es", ["si"] = "es", ["muchas"] = "es", ["perfecto"] = "es", ["genial"] = "es", ["listo"] = "es",
        ["eres"] = "es", ["sos"] = "es", ["ia"] = "es", ["humano"] = "es", ["persona"] = "es", ["quien"] = "es", ["dale"] = "es",
        ["nada"] = "es", ["genio"] = "es", ["jaja"] = "es", ["haha"] = "en", ["wey"] = "es", ["onda"] = "es", ["llega"] = "es",
        ["hi"] = "en", ["hello"] = "en", ["hey"] = "en", ["thanks"] = "en", ["thank"] = "en", ["thx"] = "en", ["yes"] = "en",
        ["great"] = "en", ["cheers"] = "en", ["morning"] = "en", ["please"] = "en", ["pls"] = "en",
        ["human"] = "en", ["who"] = "en",
        // The support words a customer writes on their own ("factura?", "reembolso", "refund pls"): Lingua is rarely sure of
        // one word, and the workspace default would answer a Spanish "factura?" in English.
        ["factura"] = "es", ["pedido"] = "es", ["orden"] = "es", ["envio"] = "es", ["reembolso"] = "es", ["devolucion"] = "es",
        ["cuenta"] = "es", ["contrasena"] = "es", ["ayuda"] = "es", ["cancelar"] = "es", ["pago"] = "es", ["tarjeta"] = "es",
        ["talla"] = "es", ["compra"] = "es", ["paquete"] = "es", ["entrega"] = "es", ["seguimiento"] = "es", ["queja"] = "es",
        ["reclamacion"] = "es", ["boletin"] = "es", ["direccion"] = "es", ["donde"] = "es", ["cuando"] = "es", ["mi"] = "es",
        ["invoice"] = "en", ["order"] = "en", ["refund"] = "en", ["delivery"] = "en", ["shipping"] = "en", ["account"] = "en",
        ["password"] = "en", ["help"] = "en", ["cancel"] = "en", ["payment"] = "en", ["tracking"] = "en", ["parcel"] = "en",
        ["package"] = "en", ["receipt"] = "en", ["where"] = "en", ["when"] = "en", ["my"] = "en", ["complaint"] = "en",
    };

    /// <summary>
    /// Loads the detector's models (≈ 1.7 s; preloading every model up front took 3.9 s) so the first customer message
    /// does not pay for it.
    /// </summary>
    public static void Preload() => Detector.Value.ComputeLanguageConfidenceValues("hola, quiero saber dónde está mi pedido; where is my order");

    /// <summary>"en" or "es" when the text says so clearly enough, otherwise <paramref name="fallback"/>.</summary>
    public string Detect(string? text, string fallback) => Guess(text)?.Language ?? Normalise(fallback);

    /// <summary>The detected language and how sure the detector is (0.5–1), or null when the text has too few letters to tell.</summary>
    public (string Language, double Confidence)? Guess(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = TextAnalysis.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var letters = words.Sum(w => w.Count(char.IsLetter));
        if (letters == 0) return null;
        if (words.Length >= 8 && ByFunctionWords(words) is { } quick) return (quick, 0.99);
        // Only Spanish opens a question or an exclamation with ¿ or ¡: Lingua read "¿Aceptan PayPal?" as English (for "PayPal"),
        // and the English answer went out. A longer text whose function words say English (a quote) was settled just above.
        if (words.Length < 8 && text.AsSpan().IndexOfAny('¿', '¡') >= 0) return ("es", 0.9);
        var values = Detector.Value.ComputeLanguageConfidenceValues(text);
        var (best, confidence) = values.Count == 0 ? (Lingua.Language.Unknown, 0) : values.MaxBy(v => v.Value) is var top ? (top.Key, top.Value) : default;
        var code = best == Lingua.Language.Spanish ? "es" : best == Lingua.Language.English ? "en" : null;

        if (words.Length <= 3)
        {
            // A greeting or thanks settles a short text; otherwise short texts need a clear detector verdict.
            var votes = words.Select(w => ShortWords.GetValueOrDefault(TextAnalysis.Laughter(w) ?? w)
                    ?? ShortWords.GetValueOrDefault(TextAnalysis.TrimStretchedEnd(TextAnalysis.CollapseRepeats(w))))
                .Where(l => l is not null).Distinct().ToList();
            if (votes.Count == 1) return (votes[0]!, Math.Max(confidence, 0.8));
            return code is not null && confidence >= (letters >= 10 ? 0.8 : 0.95) ? (code, confidence) : null;
        }
        // Four to seven words whose function words all point one way go that way: Lingua read "ya os mandé el ticket ayer"
        // as English (for "ticket"), and the guardrail then read a Spanish message with its English vocabulary.
        // Lingua agreeing but unsure ("envio express a Madrid hay?", 0.55) is settled the same way.
        if (words.Length < 8 && LeaningByFunctionWords(words) is { } lean) return (lean, lean == code ? Math.Max(confidence, 0.8) : 0.8);
        return code is not null && confidence >= 0.6 ? (code, confidence) : null;
    }

    /// <summary>
    /// Whether a text speaks both languages about equally ("i forgot mi contraseña help"): at least two function or support
    /// words of each, neither three times the other. Its reply's language is a guess a person should check.
    /// </summary>
    public static bool Mixes(string text)
    {
        var (es, en) = LanguageWords(TextAnalysis.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return es >= 2 && en >= 2 && es < 3 * en && en < 3 * es;
    }

    // A support word counts here too: "envio express a Madrid hay?" has one function word, and Lingua read it as English.
    private static string? LeaningByFunctionWords(string[] words)
    {
        var (es, en) = LanguageWords(words);
        // A word of the other language among them is a borrowed one: "wey mi refund no llega q onda" is Spanish.
        return es >= 2 && es >= 3 * en ? "es" : en >= 2 && en >= 3 * es ? "en" : null;
    }

    private static (int Spanish, int English) LanguageWords(string[] words)
    {
        var (es, en) = FunctionWords(words);
        foreach (var w in words)
        {
            if (SpanishFunctionWords.Contains(w) || EnglishFunctionWords.Contains(w)) continue;
            switch (ShortWords.GetValueOrDefault(w))
            {
                case "es": es++; break;
                case "en": en++; break;
            }
        }
        return (es, en);
    }

    // One pass without delegates: the import guesses 100,000 rows' languages with it.
    private static (int Spanish, int English) FunctionWords(string[] words)
    {
        int es = 0, en = 0;
        foreach (var w in words)
        {
            if (SpanishFunctionWords.Contains(w)) es++;
            if (EnglishFunctionWords.Contains(w)) en++;
        }
        return (es, en);
    }

    private static readonly HashSet<string> SpanishFunctionWords =
        ["el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "por", "para", "con", "no", "es", "se", "su", "al", "lo", "como", "mi", "tu", "pero", "mas", "si", "ya", "puedo", "quiero", "os", "nos", "les",
         "hay", "q", "tengo", "tienen", "esta", "estoy"];
    private static readonly HashSet<string> EnglishFunctionWords =
        ["the", "of", "and", "to", "in", "is", "it", "you", "that", "for", "on", "with", "as", "are", "this", "be", "at", "your", "my", "can", "i", "we", "will", "have", "not", "do"];

    /// <summary>
    /// Longer texts (knowledge answers, import rows) are settled by their function words in microseconds; Lingua takes
    /// ≈ 0.7 ms a text, which is 70 s over a 100,000-row import. Only a clear majority decides; the rest go to Lingua.
    /// </summary>
    /// <summary>The function-word verdict alone (microseconds, no detector model): for bulk passes over stored text.</summary>
    public static string? QuickGuess(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : ByFunctionWords(TextAnalysis.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string? ByFunctionWords(string[] words)
    {
        var (es, en) = FunctionWords(words);
        return es >= 3 && es >= 4 * en ? "es" : en >= 3 && en >= 4 * es ? "en" : null;
    }

    public static string Normalise(string? culture) =>
        culture is { Length: >= 2 } && culture[..2].ToLowerInvariant() is var two && Supported.Contains(two) ? two : "en";
}
