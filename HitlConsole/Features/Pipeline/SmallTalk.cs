using HitlConsole.Features.Ai;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Greetings, thanks and acknowledgements ("hola", "gracias!!", "ok 👍") are not support questions: classified as
/// such, they get a short reply in the customer's language instead of a random intent's answer. A message that says
/// anything more ("hola, ¿dónde está mi pedido?") is drafted as usual.
/// </summary>
public static class SmallTalk
{
    public const string Greeting = "greeting", Thanks = "thanks", Acknowledgement = "acknowledgement";

    private static readonly HashSet<string> GreetingWords =
        ["hola", "holi", "holis", "buenas", "buenos", "buen", "dia", "dias", "tardes", "noches", "saludos", "que", "tal", "hey", "ey", "hi", "hello",
         "hiya", "good", "morning", "afternoon", "evening", "there", "alo", "alo", "wenas", "como", "estas", "esta", "how", "are", "you", "doing"];

    private static readonly HashSet<string> ThanksWords =
        ["gracias", "muchas", "mil", "muchisimas", "grax", "thanks", "thank", "you", "thx", "ty", "tysm", "cheers", "so", "much", "a", "lot",
         "many", "agradezco", "se", "lo", "te", "les"];

    private static readonly HashSet<string> AcknowledgementWords =
        ["ok", "okay", "okey", "oki", "vale", "dale", "listo", "perfecto", "genial", "bien", "entendido", "entiendo", "claro", "si", "sip", "de",
         "acuerdo", "buenisimo", "got", "it", "great", "cool", "sure", "yes", "yep", "yeah", "alright", "fine", "noted", "understood", "k",
         "perfect", "nice", "super", "excelente", "gracias", "thanks", "todo", "all", "good"];

    /// <summary>The kind of small talk, or null when the message asks or says something of substance.</summary>
    public static string? Recognise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = TextAnalysis.Words(text);
        if (words.Count == 0) return text.Any(char.IsLetterOrDigit) ? null : Acknowledgement; // only emoji or punctuation: 👍
        if (words.Count > 7) return null;
        if (words.Any(w => w is "gracias" or "thanks" or "thank" or "thx" or "ty" or "grax" or "cheers" or "agradezco")
            && words.All(w => ThanksWords.Contains(w) || GreetingWords.Contains(w) || AcknowledgementWords.Contains(w))) return Thanks;
        if (words.All(GreetingWords.Contains) && !words.All(w => w is "you" or "how" or "are" or "como" or "esta" or "estas")) return Greeting;
        if (words.All(AcknowledgementWords.Contains)) return Acknowledgement;
        return null;
    }

    private static readonly Dictionary<(string Kind, string Language), string> Replies = new()
    {
        [(Greeting, "en")] = "Hi! How can we help you today?",
        [(Greeting, "es")] = "¡Hola! ¿En qué podemos ayudarte?",
        [(Thanks, "en")] = "You're welcome! Is there anything else we can help you with?",
        [(Thanks, "es")] = "¡De nada! ¿Hay algo más en lo que podamos ayudarte?",
        [(Acknowledgement, "en")] = "Great. Let us know if there's anything else we can do for you.",
        [(Acknowledgement, "es")] = "Perfecto. Si necesitas algo más, aquí estamos.",
    };

    /// <summary>A draft for small talk: no model call, no knowledge, and always for a person to approve (no intent policy allows it alone).</summary>
    public static DraftProposal Draft(string kind, string language) =>
        new(Replies[(kind, language == "es" ? "es" : "en")], [], null, kind, 90, [], false, $"Small talk: {kind}.", "built-in (small talk)", 0, 0);
}
