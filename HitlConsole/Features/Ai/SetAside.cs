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
        // "Refund me now or I'll leave a one-star review": the threat's words are the review intent's, the request is the rest.
        var unthreatened = ReviewThreat().Replace(text, "");
        var threatened = unthreatened.Length < text.Length;
        var clauses = ClauseBreak().Split(unthreatened).Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        if (clauses.Count < 2 && !threatened) return null;
        var kept = clauses.Where(c => !SetsAside(TextAnalysis.Fold(c)) && !IsRemark(c)).ToList();
        if ((kept.Count == clauses.Count && !threatened) || kept.Count == 0) return null;
        var request = string.Join(", ", kept);
        return TextAnalysis.Words(request).Count >= MinimumWordsLeft ? request : null;
    }

    /// <summary>
    /// A side remark wrapped around the request: praise, thanks for something past, a greeting for the season, news that an item
    /// is back ("the refund last month was super smooth, thanks", "loving the new packaging btw", "la entrega fue rapidísima").
    /// Its words often belong to another intent (delivery, refund, invoice). A clause with a question, a request or a negation
    /// is never a remark: "the refund never came", "thanks, but can you…", "no me llegó bien".
    /// </summary>
    internal static bool IsRemark(string clause)
    {
        if (clause.Contains('?') || clause.Contains('¿')) return false;
        var folded = TextAnalysis.Fold(clause);
        var plain = NoComplaints().Replace(folded, " ");
        return (Pleased().IsMatch(folded) || Complimenting().IsMatch(folded)) && !Asking().IsMatch(plain) && !Objecting().IsMatch(plain);
    }

    /// <summary>Whether a folded clause rules its topic out rather than asks about it.</summary>
    internal static bool SetsAside(string folded) =>
        English().IsMatch(folded) || Spanish().IsMatch(folded)
        || folded.Split(' ').Length <= SettledMaximumWords && Settled().IsMatch(folded);

    /// <summary>"The address is fine" sets the address aside; "it keeps failing even though I'm sure it's right" does not.</summary>
    private const int SettledMaximumWords = 5;

    // "…or I'll leave a 1-star review", "…o pongo una reseña de una estrella", "si no, os dejo una estrella en Google": the last
    // "or" / "o" before a verb of posting and, within a few words, a review, a rating or stars, to the end of the sentence.
    [GeneratedRegex(@"(?ix)[,;]?\s*\b(?:or(?:\s+else)?|otherwise|o|si\s+no|sino)\b,?\s+(?:(?!(?:or|o)\b)[\p{L}'’]+\s+){0,4}?
        (?:leave|leaving|post|posting|write|writing|give|giving|put|putting|drop|dropping|pongo|dejo|escribo|publico|poner|dejar|escribir|publicar
          |pondr[eé]|dejar[eé]|escribir[eé]|publicar[eé])\b
        [^.?!\n]{0,50}?\b(?:reviews?|ratings?|stars?|estrellas?|rese[nñ]as?|opini[oó]n|valoraci[oó]n|calificaci[oó]n)\b[^.?!\n]*")]
    private static partial Regex ReviewThreat();

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

    // Folded text, as above. Praise, thanks and good wishes (English and Spanish).
    [GeneratedRegex("""
        \b(?:lov(?:e|es|ed|ing)|lovely|glad|happy|great|perfect|perfectly|smooth|smoothly|super\s+(?:fast|quick)|
        impressive|impressed|amazing|awesome|brilliant|excellent|fantastic|wonderful|superb|appreciate[ds]?|thanks|thank\s+you|thx|ty|cheers|kudos|
        yay|back\s+in\s+stock|recommended|nice|hope\s+(?:you|all|everyone|your)|no\s+complaints)\b
        |\b(?:me\s+encant(?:a|an|o|aron)|encantad[oa]s?|genial(?:es)?|perfect[oa]s?|rapid[oa]s?|rapidisim[oa]s?|gracias|agradezco|agradecid[oa]s?|
        felicidades|felices|feliz|excelente|buenisim[oa]s?|impecable|volvieron|de\s+vuelta|emocion|lind[oa]s?|espero\s+que\s+(?:esten|estes|este)|
        llego\s+antes|me\s+(?:lo|la)s?\s+recomend(?:o|aron)|sigue[n]?\s+(?:perfect|impecable|como\s+nuev)|ningun\s+problema|sin\s+problemas?)\b
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Pleased();

    // "The jacket from last winter is still perfect", "el pedido anterior llegó bien": a past order that went well.
    [GeneratedRegex("""
        \b(?:was|were|is|are|s|came|went|arrived|showed\s+up|worked|works|fit|fits)\s+(?:\w+\s+){0,2}(?:fine|great|perfect(?:ly)?|smooth(?:ly)?|quick(?:ly)?|fast|early|well|on\s+time|through\s+fine)\b
        |\b(?:fue|llego|llegaron|salio|quedo|funciona|funciono|me\s+queda[n]?)\s+(?:\w+\s+){0,1}(?:bien|perfect[oa]s?|rapid[oa]|rapidisim[oa]|a\s+tiempo|impecable)\b
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Complimenting();

    // A question, a request or a wish in a clause: it is the request, whatever else it says.
    [GeneratedRegex("""
        \b(?:can|could|would|will|how|what|whats|where|when|why|which|who|need|needs|want|wanted|wanna|please|pls|plz|like\s+to|love\s+to|d\s+like|d\s+love|
        help|is\s+there|do\s+you|does|did\s+you|are\s+you|should|may|might|tell\s+me|let\s+me\s+know|trying|tried|wondering|question|status|anyway|if)\b
        |\b(?:puedo|puede|pueden|podes|podeis|podrian?|podrias|quiero|quisiera|queria|necesito|necesitaria|como|cuando|donde|cual|cuanto|cuanta|cuantos|por\s+favor|porfa|
        porfis|ayuda|ayudame|ayudenme|me\s+dicen|me\s+pueden|hay\s+forma|se\s+puede|tienen|pregunta|estado|intente|intento|si|agradeceria)\b
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Asking();

    // A negation or a "but" turns praise into the complaint: "was fine until it broke", "llegó rápido pero roto".
    [GeneratedRegex("""
        \b(?:not|no|never|nt|don\s?t|doesn\s?t|didn\s?t|isn\s?t|wasn\s?t|weren\s?t|won\s?t|can\s?t|cannot|haven\s?t|hasn\s?t|but|though|although|except|however|until|
        wrong|broken|broke|missing|late|damaged|still\s+(?:waiting|haven\s?t|hasn\s?t)|yet|apart|problem|issue|refund\s+me|
        nunca|pero|aunque|sin\s+embargo|salvo|mal|roto|rota|tarde|falta|faltan|todavia|aun|hasta\s+que|problema)\b
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Objecting();

    // "No complaints there", "sin problemas", "ningún problema" praise: their negation is not an objection.
    [GeneratedRegex(@"\b(?:no\s+complaints|no\s+problems?|ningun\s+problema|sin\s+problemas?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex NoComplaints();
}
