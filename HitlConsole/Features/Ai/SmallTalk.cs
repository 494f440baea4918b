using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Greetings, thanks, acknowledgements and goodbyes ("hola", "mil gracias, muy amable", "ok 👍", "thanks, have a nice day")
/// are not support questions: classified as such, they get a short reply in the customer's language instead of a random
/// intent's answer. A message is small talk only when every word is a social word (or one name: "gracias Ana"); a message
/// that says anything more ("hola, ¿dónde está mi pedido?") is drafted as usual.
/// </summary>
public static class SmallTalk
{
    public const string Greeting = "greeting", Thanks = "thanks", Acknowledgement = "acknowledgement", Farewell = "farewell";

    /// <summary>Longer than this, a message says more than hello, thanks or goodbye.</summary>
    private const int MaxWords = 14;

    // Folded words (lower case, no accents, shorthand expanded: "thx" → "thanks", "q" → "que").
    private static readonly HashSet<string> GreetingMarkers =
        ["hola", "holi", "holis", "ola", "buenas", "buenos", "wenas", "saludos", "hey", "ey", "hi", "hello", "helo", "hiya", "howdy", "alo",
         "morning", "afternoon", "evening", "consulta", "pregunta", "duda", "question", "ayuda", "ayudar", "ayudarme", "help"];

    private static readonly HashSet<string> ThanksMarkers =
        ["gracias", "gracia", "grax", "thanks", "thank", "thanx", "thnx", "tks", "ty", "tysm", "cheers", "agradezco", "agradecido", "agradecida",
         "agradecidos", "appreciate", "appreciated", "amable", "amables", "kind"];

    private static readonly HashSet<string> FarewellMarkers =
        ["adios", "chao", "chau", "bye", "byebye", "goodbye", "hasta", "vemos", "later", "cuidate", "cuidese", "cuidense", "care", "tengas",
         "tenga", "tengan"];

    private static readonly HashSet<string> AcknowledgementWords =
        ["ok", "okay", "okey", "oki", "okis", "kk", "vale", "dale", "listo", "lista", "perfecto", "perfecta", "perfect", "genial", "bien",
         "entendido", "entiendo", "claro", "si", "sip", "de", "acuerdo", "buenisimo", "bueno", "buena", "got", "it", "great", "cool", "sure",
         "yes", "yep", "yeah", "yup", "alright", "fine", "noted", "understood", "nice", "super", "excelente", "todo", "all", "good", "ah", "oh",
         "ya", "va", "sale", "orale", "chevere", "barbaro", "joya", "recibido", "received", "copiado", "muy", "very", "that", "works",
         "sounds", "makes", "sense", "awesome", "thats"];

    /// <summary>Words that go with any of the kinds: politeness, address, time of day, fillers.</summary>
    private static readonly HashSet<string> SocialWords =
        ["buen", "dia", "dias", "tardes", "noches", "noche", "que", "tal", "como", "estas", "esta", "estan", "how", "are", "you", "doing", "is",
         "going", "good", "there", "everyone", "all", "todos", "todas", "amigo", "amiga", "amigos", "che", "tio", "tia", "senor", "senora",
         "senorita", "joven", "equipo", "team", "guys", "chicos", "chicas", "gente", "folks", "y", "and", "a", "an", "un", "una", "usted",
         "ustedes", "vos", "tu", "te", "le", "les", "se", "lo", "again", "de", "nuevo", "otra", "vez", "tengo", "i", "have", "need", "some",
         "necesito", "me", "pueden", "puede", "puedes", "podrian", "podria", "can", "could", "someone", "anyone", "alguien", "hay", "por",
         "favor", "please", "quick", "small", "muchas", "muchisimas", "mil", "so", "much", "lot", "lots", "many", "muy", "very", "really",
         "of", "for", "your", "the", "la", "el", "su", "sus", "tus", "atencion", "todo", "everything", "service", "servicio", "excelente",
         "great", "verdad", "en", "serio", "it", "bendiciones", "luego", "pronto", "manana", "see", "soon", "take", "nice", "day", "weekend",
         "fin", "semana", "finde", "feliz", "lindo", "linda", "bonito", "besos", "abrazo", "abrazos", "igualmente", "too", "also", "tambien",
         "to", "with", "con", "para", "ti", "bye", "dear"];

    /// <summary>The kind of small talk, or null when the message asks or says something of substance.</summary>
    public static string? Recognise(string? text) => Read(text) is { Kind: { } kind } ? kind : null;

    /// <summary>
    /// Small talk made of social words only, no name: the guardrail's model never blocks such a message on its own
    /// ("thanks a lot, very kind of you" is not abuse), while its vocabulary and the workspace's words still apply.
    /// </summary>
    public static bool IsOnlySocialWords(string? text) => Read(text) is { Kind: not null, Names: 0 };

    private static (string? Kind, int Names) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, 0);
        var words = TextAnalysis.Words(text);
        if (words.Count == 0) return (text.Any(char.IsLetterOrDigit) ? null : Acknowledgement, 0); // only emoji or punctuation: 👍
        if (words.Count > MaxWords) return (null, 0);

        var written = WrittenWords(text);
        var names = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (IsSocial(words[i])) continue;
            // One name after the first word ("gracias Ana", "hola Marta"): written with a capital, letters only.
            if (names == 0 && i > 0 && written.Count == words.Count && IsName(written[i])) names++;
            else return (null, 0);
        }

        string? kind =
            words.Any(FarewellMarkers.Contains) || HasNiceDay(words) ? Farewell
            : words.Any(ThanksMarkers.Contains) ? Thanks
            : words.Any(GreetingMarkers.Contains) || IsGreetingOfTheDay(words) ? Greeting
            : names == 0 && words.All(AcknowledgementWords.Contains) ? Acknowledgement
            : null;
        return (kind, names);
    }

    private static bool IsSocial(string w) =>
        GreetingMarkers.Contains(w) || ThanksMarkers.Contains(w) || FarewellMarkers.Contains(w) || AcknowledgementWords.Contains(w) || SocialWords.Contains(w);

    // "buen día", "good morning" greet; "how are you" / "¿cómo estás?" alone may ask about something said before.
    private static bool IsGreetingOfTheDay(List<string> words) =>
        words.Any(w => w is "dia" or "dias" or "tardes" or "noches") && words.Any(w => w is "buen" or "buenos" or "buenas")
        || words.Contains("good") && words.Any(w => w is "day" or "morning" or "afternoon" or "evening")
        || words.Contains("que") && words.Contains("tal");

    private static bool HasNiceDay(List<string> words) =>
        words.Any(w => w is "have" or "feliz" or "buen" or "nice" or "good" or "great" or "lindo" or "bonito")
        && words.Any(w => w is "weekend" or "semana" or "finde") // "have a nice weekend", "buen fin de semana"
        || words.Contains("have") && words.Any(w => w is "day" or "night" or "evening");

    /// <summary>The text's words as written, split like <see cref="TextAnalysis.Fold"/> splits them.</summary>
    private static List<string> WrittenWords(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || char.GetUnicodeCategory(text[i]) == System.Globalization.UnicodeCategory.NonSpacingMark);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
        }
        return words;
    }

    private static bool IsName(string word) =>
        word.Length is >= 2 and <= 14 && char.IsUpper(word[0]) && word.Skip(1).All(char.IsLower);

    private static readonly Dictionary<(string Kind, string Language), string> Replies = new()
    {
        [(Greeting, "en")] = "Hi! How can we help you today?",
        [(Greeting, "es")] = "¡Hola! ¿En qué podemos ayudarte?",
        [(Thanks, "en")] = "You're welcome! Is there anything else we can help you with?",
        [(Thanks, "es")] = "¡De nada! ¿Hay algo más en lo que podamos ayudarte?",
        [(Acknowledgement, "en")] = "Great. Let us know if there's anything else we can do for you.",
        [(Acknowledgement, "es")] = "Perfecto. Si necesitas algo más, aquí estamos.",
        [(Farewell, "en")] = "Goodbye for now! Have a great day, and write to us whenever you need anything.",
        [(Farewell, "es")] = "¡Hasta pronto! Que tengas un buen día; aquí estamos para lo que necesites.",
    };

    /// <summary>Stored on the draft; the console names it in the reader's language (Localization/ModelNames).</summary>
    public const string ModelName = "built-in (small talk)";

    /// <summary>A draft for small talk: no model call, no knowledge, and always for a person to approve (no intent policy allows it alone).</summary>
    public static DraftProposal Draft(string kind, string language) =>
        new(Replies[(kind, language == "es" ? "es" : "en")], [], null, kind, 90, [], false, $"Small talk: {kind}.", ModelName, 0, 0);
}
