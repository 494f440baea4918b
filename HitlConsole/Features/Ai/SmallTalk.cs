using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Greetings, thanks, acknowledgements and goodbyes ("hola", "mil gracias, muy amable", "ok 👍", "thanks, have a nice day")
/// are not support questions: classified as such, they get a short reply in the customer's language instead of a random
/// intent's answer. A message is small talk only when every word is a social word (or one name: "gracias Ana"); a message
/// that says anything more ("hola, ¿dónde está mi pedido?") is drafted as usual; one that says the matter is settled ("thanks,
/// got my package, all good!") is thanks or an acknowledgement too. A question about who is answering ("¿sos un
/// bot o una persona?", "am I talking to a human?") is small talk of its own: it is not a request for a person, and it is
/// not abuse although hostile messages address "the bot" too.
/// </summary>
public static class SmallTalk
{
    public const string Greeting = "greeting", Thanks = "thanks", Acknowledgement = "acknowledgement", Farewell = "farewell", Identity = "identity";

    /// <summary>Every kind: a draft's classification is one of these when it answers small talk.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Greeting, Thanks, Acknowledgement, Farewell, Identity];

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
         "to", "with", "con", "para", "ti", "bye", "dear", "mucho", "muchisimo", "monton",
         // Praise that goes with thanks ("mil gracias, sos un genio", "thanks, you're the best"): alone it thanks nobody.
         "sos", "eres", "re", "genio", "genia", "crack", "idolo", "idola", "capo", "capa", "grande", "best", "star", "legend", "lifesaver",
         "rock", "heroe", "hero", "needed", "necesitaba"];

    /// <summary>
    /// "That's all", "nada más", "eso es todo", "no thanks", "never mind": the customer closes the conversation. Folded word sequences,
    /// longest first; with them a message is a goodbye (thanks and all), not "out of knowledge" for a person to pick up.
    /// </summary>
    private static readonly string[][] Closings =
    [
        .. new[]
        {
            "that s all i needed", "that s all i need", "thats all i needed", "thats all i need", "that s all i wanted", "that is all",
            "that s all", "thats all", "that s it", "thats it", "nothing else", "no thank you", "no thanks", "for now", "all i needed",
            "eso es todo", "eso seria todo", "eso era todo", "seria todo", "es todo", "nada mas", "no gracias", "por ahora", "por el momento",
            // The customer sorted it out alone: "nvm found it", "ya lo encontré, gracias", "olvídalo, ya está".
            "never mind", "nevermind", "nvm", "forget it", "i found it", "found it", "figured it out", "i figured it out",
            "olvidalo", "olvidate", "no importa", "ya lo encontre", "lo encontre", "ya lo vi", "ya esta", "dejalo",
        }.Select(p => p.Split(' ')).OrderByDescending(p => p.Length),
    ];

    /// <summary>
    /// What a customer says when the matter is settled: "thanks, got my package, all good!", "genial, ya se solucionó". Past
    /// forms only, so "did my refund arrive" or "cuándo llega" are not among them; such a message counts as small talk only
    /// with thanks or a word of approval and without a question mark (<see cref="Read"/>), so "¿ya llegó el paquete?" and
    /// "my package arrived damaged" are drafted as usual.
    /// </summary>
    private static readonly HashSet<string> SettledWords =
        ["received", "got", "gotten", "arrived", "came", "delivered", "worked", "working", "solved", "sorted", "fixed", "resolved",
         "package", "parcel", "order", "refund", "money", "item", "items", "now", "today", "yesterday", "already", "finally", "my", "its",
         "safely", "well", "llego", "llegaron", "recibi", "recibimos", "funciono", "funciona", "soluciono", "solucionado",
         "solucionada", "resuelto", "resuelta", "arreglado", "arreglada", "arreglo", "paquete", "pedido", "reembolso", "dinero", "producto",
         "hoy", "ayer", "mi", "correctamente", "perfectamente", "finalmente", "llegado", "ha", "helped", "sirvio", "sirvieron", "ayudo",
         "ayudaste", "ayudaron", "ayudado"];

    /// <summary>
    /// The other words a settled message may hold: not every social word, or "thanks, I need my refund" would be one.
    /// </summary>
    private static readonly HashSet<string> SettledFillers =
        ["se", "me", "lo", "la", "el", "te", "it", "that", "the", "a", "de", "y", "and", "todo", "everything", "all", "so", "much", "muchas",
         "mil", "you", "very", "muy", "for", "por", "your", "su", "tu", "help", "ayuda", "just", "is", "i", "have", "here", "aqui", "un", "monton",
         "mucho", "muchisimo", "bastante", "lot", "tons", "really", "has"];

    /// <summary>Thanks or approval, which a settled message needs beside its <see cref="SettledWords"/>.</summary>
    private static readonly HashSet<string> ApprovalWords =
        ["great", "perfect", "perfecto", "perfecta", "genial", "excelente", "awesome", "good", "bien", "ok", "okay", "vale", "listo", "super",
         "cool", "nice", "buenisimo", "fine", "joya", "chevere", "barbaro", "brilliant", "lovely", "amazing"];

    /// <summary>What a question about who answers is about: a machine or a person ("¿eres una ia?", "is this a real person?").</summary>
    private static readonly HashSet<string> WhoAnswersMarkers =
        ["bot", "bots", "robot", "robots", "chatbot", "ia", "ai", "maquina", "machine", "computadora", "ordenador", "computer", "programa",
         "program", "automatico", "automatica", "automatizado", "automatizada", "automated", "automatic", "contestador", "grabacion",
         "recording", "asistente", "assistant", "virtual", "humano", "humana", "human", "persona", "person", "gpt", "chatgpt"];

    /// <summary>The verbs of such a question: "are you …", "¿hablo con …?", "¿quién me atiende?".</summary>
    private static readonly HashSet<string> WhoAnswersVerbs =
        ["eres", "sos", "es", "son", "are", "r", "is", "am", "hablo", "hablando", "estoy", "escribo", "escribiendo", "chateando", "chateo",
         "atiende", "atienden", "contesta", "contestan", "responde", "responden", "talking", "speaking", "chatting", "writing", "texting",
         "answering", "replying", "quien", "who"];

    /// <summary>Every other word such a question may hold; anything else ("inútil", "quiero", "talk to") makes it something else.</summary>
    private static readonly HashSet<string> WhoAnswersWords =
        ["u", "you", "i", "im", "me", "mi", "this", "that", "it", "a", "an", "the", "or", "to", "with", "real", "actual", "actually",
         "really", "just", "only", "other", "side", "end", "on", "at", "all", "there", "someone", "not", "no", "reply", "message", "answer",
         "de", "del", "un", "una", "o", "ni", "con", "el", "la", "lo", "esto", "este", "esta", "eso", "otro", "lado", "verdadera",
         "verdadero", "verdad", "en", "serio", "solo", "respuesta", "mensaje", "que", "tu", "usted", "vos", "ustedes", "se", "ahi", "alla",
         "alguien", "hay"];

    /// <summary>The kind of small talk, or null when the message asks or says something of substance.</summary>
    public static string? Recognise(string? text) => Read(text) is { Kind: { } kind } ? kind : null;

    /// <summary>
    /// Small talk made of social words only, no name: the guardrail's model never blocks such a message on its own
    /// ("thanks a lot, very kind of you" is not abuse), while its vocabulary and the workspace's words still apply.
    /// </summary>
    public static bool IsOnlySocialWords(string? text) => Read(text) is { Kind: not null, Names: 0 };

    private static bool IsUpsetOrAsking(string text) => text.EnumerateRunes().Any(r => UpsetOrAsking.Contains(r.Value));

    /// <summary>Question marks and the emoji of anger, disappointment or distress.</summary>
    private static readonly HashSet<int> UpsetOrAsking =
    [
        '?', '¿', 0x2753, 0x2754, 0x2757, 0x203C, 0x2049, 0x274C, 0x1F6AB, // ❓ ❔ ❗ ‼ ⁉ ❌ 🚫
        0x1F621, 0x1F620, 0x1F92C, 0x1F624, 0x1F47F, 0x1F595, 0x1F44E, 0x1F4A9, // 😡 😠 🤬 😤 👿 🖕 👎 💩
        0x1F622, 0x1F62D, 0x1F61E, 0x1F61F, 0x1F641, 0x2639, 0x1F612, 0x1F644, 0x1F629, 0x1F62B, 0x1F623, 0x1F616, // 😢 😭 😞 😟 🙁 ☹ 😒 🙄 😩 😫 😣 😖
        0x1F625, 0x1F630, 0x1F631, 0x1F628, 0x1F627, 0x1F626, 0x1F615, 0x1F611, 0x1F610, 0x1F92F, 0x1F494, 0x1F480, // 😥 😰 😱 😨 😧 😦 😕 😑 😐 🤯 💔 💀
    ];

    private static (string? Kind, int Names) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, 0);
        var all = TextAnalysis.Words(text).Select(w => IsSocial(w) || SettledWords.Contains(w) ? w : TextAnalysis.TrimStretchedEnd(w)).ToList();
        // Laughter goes with anything ("jajaja ok dale"); on its own it acknowledges.
        var words = all.Where(w => TextAnalysis.Laughter(w) is null).ToList();
        var laughs = words.Count < all.Count;
        var closes = RemoveClosings(words) && !IsUpsetOrAsking(text);
        // Only emoji or punctuation: 👍 acknowledges; "😡😡😡", "👎" or "📦❓" says something is wrong, for a person to read.
        if (words.Count == 0)
            return (closes ? Farewell : IsUpsetOrAsking(text) || (text.Any(char.IsLetterOrDigit) && !laughs) ? null : Acknowledgement, 0);
        if (words.Count > MaxWords) return (null, 0);

        if (AsksWhoAnswers(words)) return (Identity, 0);

        var written = WrittenWords(text);
        var (names, settled) = (0, 0);
        for (var i = 0; i < words.Count; i++)
        {
            if (IsSocial(words[i])) continue;
            if (SettledWords.Contains(words[i]))
            {
                settled++;
                continue;
            }
            // One name after the first word ("gracias Ana", "hola Marta"): written with a capital, letters only.
            if (names == 0 && i > 0 && written.Count == words.Count && IsName(written[i])) names++;
            else return (null, 0);
        }

        if (settled > 0 && (IsUpsetOrAsking(text) || !words.Any(w => ThanksMarkers.Contains(w) || ApprovalWords.Contains(w))
                            || !words.All(IsSettledMessageWord))) return (null, 0);

        string? kind =
            closes || words.Any(FarewellMarkers.Contains) || HasNiceDay(words) ? Farewell
            : words.Any(ThanksMarkers.Contains) ? Thanks
            : words.Any(GreetingMarkers.Contains) || IsGreetingOfTheDay(words) ? Greeting
            : names == 0 && words.All(w => AcknowledgementWords.Contains(w) || settled > 0 && IsSettledMessageWord(w)) ? Acknowledgement
            : null;
        return (kind, names);
    }

    /// <summary>Takes the closing phrases out of <paramref name="words"/>; true when there was one.</summary>
    private static bool RemoveClosings(List<string> words)
    {
        var found = false;
        foreach (var phrase in Closings)
            for (var at = FindPhrase(words, phrase); at >= 0; at = FindPhrase(words, phrase))
            {
                words.RemoveRange(at, phrase.Length);
                found = true;
            }
        return found;
    }

    private static int FindPhrase(List<string> words, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= words.Count; i++)
        {
            var j = 0;
            while (j < phrase.Length && words[i + j] == phrase[j]) j++;
            if (j == phrase.Length) return i;
        }
        return -1;
    }

    // "¿Sos un bot o una persona?", "hola, ¿eres una ia?", "who am I talking to?"; "quiero hablar con una persona" asks for one.
    private static bool AsksWhoAnswers(List<string> words) =>
        words.Any(WhoAnswersVerbs.Contains)
        && (words.Any(WhoAnswersMarkers.Contains) || words.Any(w => w is "quien" or "who"))
        && words.All(w => WhoAnswersMarkers.Contains(w) || WhoAnswersVerbs.Contains(w) || WhoAnswersWords.Contains(w)
                          || IsGreetingOrThanks(w) || w is "buen" or "dia" or "dias" or "tardes" or "noches" or "por" or "favor" or "please");

    // "help me talking with a person" asks for one.
    private static bool IsGreetingOrThanks(string w) =>
        (GreetingMarkers.Contains(w) || ThanksMarkers.Contains(w)) && w is not ("help" or "ayuda" or "ayudar" or "ayudarme" or "consulta" or "pregunta" or "duda" or "question");

    private static bool IsSettledMessageWord(string w) =>
        SettledWords.Contains(w) || SettledFillers.Contains(w) || AcknowledgementWords.Contains(w) || ThanksMarkers.Contains(w) || FarewellMarkers.Contains(w);

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
        [(Identity, "en")] = "You're chatting with our support team. An AI assistant helps us write replies, and a person from the team is here whenever you'd rather talk to one. How can we help?",
        [(Identity, "es")] = "Estás hablando con nuestro equipo de atención. Un asistente de IA nos ayuda a redactar las respuestas y, si lo prefieres, una persona del equipo te atiende. ¿En qué podemos ayudarte?",
    };

    /// <summary>Stored on the draft; the console names it in the reader's language (Localization/ModelNames).</summary>
    public const string ModelName = "built-in (small talk)";

    /// <summary>A draft for small talk: no model call, no knowledge, and always for a person to approve (no intent policy allows it alone).</summary>
    public static DraftProposal Draft(string kind, string language) =>
        new(Replies[(kind, language == "es" ? "es" : "en")], [], null, kind, 90, [], false, $"Small talk: {kind}.", ModelName, 0, 0);
}
