using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Customers often name a neighbouring topic only to set it aside: "Don't need the refund rules explained, I want order 30984
/// stopped", "The address is fine. It's the ink quantity I need changed", "No quiero cancelar, sino cambiar la talla". Read
/// whole, such a message leans towards the topic it rules out, because that topic's words are the clearest in it. What is
/// left once the set-aside clauses are gone is the request.
/// </summary>
public static partial class SetAside
{
    /// <summary>Fewer words than this left over say too little to classify on their own.</summary>
    private const int MinimumWordsLeft = 3;

    /// <summary>The message without the clauses that set a topic aside, or null when it has none (or too little is left).</summary>
    public static string? Request(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var clauses = ClauseBreak().Split(text).Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        if (clauses.Count < 2) return null;
        var kept = clauses.Where(c => !SetsAside(TextAnalysis.Fold(c))).ToList();
        if (kept.Count == clauses.Count || kept.Count == 0) return null;
        var request = string.Join(", ", kept);
        return TextAnalysis.Words(request).Count >= MinimumWordsLeft ? request : null;
    }

    /// <summary>Whether a folded clause rules its topic out rather than asks about it.</summary>
    internal static bool SetsAside(string folded) =>
        English().IsMatch(folded) || Spanish().IsMatch(folded)
        || folded.Split(' ').Length <= SettledMaximumWords && Settled().IsMatch(folded);

    /// <summary>"The address is fine" sets the address aside; "it keeps failing even though I'm sure it's right" does not.</summary>
    private const int SettledMaximumWords = 5;

    // Between clauses: a closing mark, a comma or semicolon, a dash between spaces; before "but", "pero", "sino".
    [GeneratedRegex(@"[,;:.!?…]+\s+|\s+[—–-]+\s+|\s+(?=(?:but|pero|sino)\s)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseBreak();

    // Folded text: lower case, no accents, apostrophes gone ("don't" → "don t" or "dont").
    [GeneratedRegex("""
        ^(?:rather\s+than|instead\s+of|apart\s+from|separate\s+from|besides|not\s+about|forget)\b
        |\baside$
        |^(?!(?:since|because|as|cause|cuz)\b)(?!.*\b(?:anymore|longer)$).*\b(?:don\s?t|do\s+not|doesn\s?t|does\s+not|won\s?t|will\s+not|not|no)\s+(?:really\s+|even\s+)?(?:need|want|asking|ask|bother|bothered|care|looking|interested|tracking|trying\s+to\s+(?:cancel|return|change|track))\s+(?!(?:it|them|this|that|one|anymore|any\s+more)\b)\w
        |\b(?:isn\s?t|is\s+not|aren\s?t|are\s+not|s\s+not|wasn\s?t|was\s+not)\s+(?:what|the\s+(?:problem|issue|point)|enough|an?\s+(?:review|complaint|refund|question))\b
        |^(?:nothing\s+s|nothing\s+is)\s+(?:going\s+)?wrong\b
        |^(?:i\s+)?haven\s?t\s+(?:requested|asked\s+for)\b
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex English();

    [GeneratedRegex("""
        ^(?:en\s+vez\s+de|en\s+lugar\s+de|aparte\s+de|olvida|olvidate)\b
        |^(?!(?:ya|porque|xq|pq|como)\b).*\bno\s+(?:te\s+|les\s+|le\s+)?(?:necesito|quiero(?!\s+que\b)|busco|pregunto|pido|estoy\s+(?:preguntando|pidiendo|buscando)|me\s+(?:importa|interesa|preocupa)|hace\s+falta|es\s+(?:eso|lo\s+que|para|un[ao]?\s+(?:queja|reclamo|resena|devolucion|pregunta)))\b
        |\bno\s+es\s+(?:el|la)\s+problema\b
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Spanish();

    // A short clause that calls a thing settled: "the address is fine", "refund's sorted", "la dirección está bien".
    [GeneratedRegex("""
        ^(?!(?:it|that|this|they|we|i|you|he|she|everything|all)\b)\w+(?:\s+\w+){0,2}\s+(?:is|are|s|re|was|were)\s+(?:fine|right|correct|ok|okay|sorted|good|not\s+the\s+(?:problem|issue))$
        |^(?!(?:esto|eso|todo)\b)\w+(?:\s+\w+){0,2}\s+(?:esta|estan|estaba)\s+(?:bien|correct[ao]s?|perfect[ao]s?)$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Settled();
}
