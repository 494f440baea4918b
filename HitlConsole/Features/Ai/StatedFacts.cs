using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Whether the customer and an entry's question state opposite facts about the same event: "it has not shipped yet"
/// beside "Order 19382 has already shipped", "todavía no me ha llegado" beside "ya me llegó pero está roto". Both ask to
/// cancel, yet the second's answer ("it can no longer be cancelled, return it when it arrives") is wrong for the first.
/// Only a fact stated both ways counts: one side negated ("not", "n't", "never", "before", "no", "aún no", "sin", "antes
/// de"), the other affirmed outright ("already", "ya"). A question ("has it shipped?") states nothing. An entry that states a
/// fact the customer did not mention comes after one written for any case, too.
/// </summary>
public static class StatedFacts
{
    private enum Polarity { None, Affirmed, Negated }

    /// <summary>
    /// How badly each entry's question fits the facts the customer stated, the message read once: 2 when it states one the
    /// other way, 1 when it states as done one the customer did not mention ("has already shipped" for "I need to cancel order
    /// 48213": an answer for any case fits better), 0 otherwise.
    /// </summary>
    public static Func<string, int> MismatchWith(string customerText)
    {
        var said = Read(customerText);
        return question =>
        {
            var asked = Read(question);
            var mismatch = 0;
            for (var e = 0; e < Events.Length; e++)
            {
                if (asked[e] == Polarity.None || asked[e] == said[e]) continue;
                // Only a done fact is presumed: "my order hasn't arrived" is how most ask where it is, whether or not they say so.
                if (said[e] == Polarity.None && asked[e] == Polarity.Negated) continue;
                mismatch = Math.Max(mismatch, said[e] == Polarity.None ? 1 : 2);
            }
            return mismatch;
        };
    }

    public static bool Contradicts(string customerText, string question) => MismatchWith(customerText)(question) == 2;

    /// <summary>Whether the question states as done what the customer did not mention, or states a fact the other way.</summary>
    public static bool Presumes(string customerText, string question) => MismatchWith(customerText)(question) > 0;

    /// <summary>How the text states each event: affirmed, negated, or not at all (or both ways, which says nothing either).</summary>
    private static Polarity[] Read(string text)
    {
        var words = TextAnalysis.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new Polarity[Events.Length];
        for (var i = 0; i < words.Length; i++)
        {
            var e = Array.FindIndex(Events, ev => ev.Contains(words[i]));
            if (e < 0) continue;
            var polarity = PolarityAt(words, i);
            if (polarity == Polarity.None) continue;
            result[e] = result[e] == Polarity.None || result[e] == polarity ? polarity : Polarity.None;
        }
        return result;
    }

    private static Polarity PolarityAt(string[] words, int at)
    {
        // The nearest marker among the three words before the verb decides ("has not yet shipped", "no, ya me llegó").
        for (var i = at - 1; i >= Math.Max(0, at - 3); i--)
        {
            if (Negators.Contains(words[i])) return Polarity.Negated;
            if (words[i] is "already" or "ya" or "double" or "twice" or "doble") return Polarity.Affirmed;
        }
        // "already" just after it ("it shipped already"), or how often it happened ("charged twice", "me cobraron dos veces").
        var after = $" {string.Join(' ', words.AsSpan(at + 1, Math.Min(3, words.Length - at - 1)).ToArray())} ";
        if (after.StartsWith(" already ", StringComparison.Ordinal) || Repeated.Any(r => after.Contains(r, StringComparison.Ordinal)))
            return Polarity.Affirmed;
        // A past tense with its day ("salió hace 8 días", "shipped yesterday", "llegó el lunes"): it happened. Not a present
        // tense ("¿llega hoy?" asks).
        return PastTenses.Contains(words[at]) && When.Any(w => after.Contains(w, StringComparison.Ordinal)) ? Polarity.Affirmed : Polarity.None;
    }

    private static readonly HashSet<string> PastTenses = new(StringComparer.Ordinal)
    {
        "shipped", "dispatched", "arrived", "delivered", "received", "charged", "billed", "refunded",
        "enviaron", "salio", "despacharon", "mandaron", "llego", "entregaron", "recibi", "cobraron", "cobro", "reembolsaron", "devolvieron",
    };

    private static readonly string[] When =
    [
        " hace ", " ayer ", " anteayer ", " hoy ", " el lunes ", " el martes ", " el miercoles ", " el jueves ", " el viernes ", " la semana pasada ",
        " ago ", " yesterday ", " today ", " last ", " on monday ", " on tuesday ", " on wednesday ", " on thursday ", " on friday ", " this morning ",
        " esta manana ",
    ];

    private static readonly string[] Repeated =
        [" twice ", " double ", " two times ", " 2 times ", " doble ", " dos veces ", " 2 veces ", " de mas ", " duplicado "];

    // Folded: "hasn't" reads as "hasn t", so the lone "t" is the n't.
    private static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "never", "t", "hasnt", "havent", "didnt", "isnt", "wasnt", "arent", "werent", "before", "until",
        "no", "nunca", "sin", "antes", "hasta", "tampoco",
    };

    /// <summary>The events customers state as done or not done, each by the verb forms that state it (folded).</summary>
    private static readonly HashSet<string>[] Events =
    [
        new(StringComparer.Ordinal) { "shipped", "ship", "ships", "dispatched", "enviado", "enviaron", "enviarse", "salido", "salio", "despachado", "despacharon", "mandado", "mandaron" },
        new(StringComparer.Ordinal) { "arrived", "arrive", "arrives", "delivered", "received", "llegado", "llego", "llega", "recibido", "recibi", "entregado", "entregaron" },
        new(StringComparer.Ordinal) { "charged", "billed", "cobrado", "cobraron", "cobro", "cobrasteis", "cobraste" },
        new(StringComparer.Ordinal) { "refunded", "reembolsado", "reembolsaron", "devolvieron" },
    ];
}
