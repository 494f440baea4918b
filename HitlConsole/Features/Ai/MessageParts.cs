using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// The questions one WhatsApp message asks ("can I change the address and when will it arrive?", "aceptan paypal? y se
/// puede pagar a meses sin intereses?"), and which of them an answer leaves out. A knowledge entry answers one question;
/// sent alone to a customer who asked two, it reads as not having listened. The built-in model still drafts it, but a draft
/// that leaves a question out waits for a person, who is told which one.
/// </summary>
public static partial class MessageParts
{
    /// <summary>The customer's message read once, for the answers weighed for it.</summary>
    public sealed class Reading
    {
        private readonly List<(string Text, string[] Stems, string[] Names)> _questions;
        private readonly string _language;

        internal Reading(string customerText, string language)
        {
            _language = language;
            // A question of everyday words alone ("cómo me hago una cuenta") counts, though no answer can leave it out.
            _questions = [.. Questions(customerText, language).Select(q => (q, ContentStems(q, language).ToArray(),
                AnswerDetails.NamesMidSentence(q).Select(TextAnalysis.Fold).ToArray()))];
        }

        /// <summary>
        /// The questions of a message that asks two or more that neither the entry's question nor its answer speaks of (no
        /// content word in common, stems compared), or whose place or name they leave out ("do you ship to Ireland" answered
        /// about express shipping); empty for a message that asks one thing.
        /// </summary>
        public IReadOnlyList<string> LeftOutBy(string question, string answer)
        {
            if (_questions.Count < 2) return [];
            var spoken = ContentStems(question + " " + answer, _language).ToHashSet(StringComparer.Ordinal);
            foreach (var w in TextAnalysis.Words(question + " " + answer)) spoken.Add(w);
            return [.. _questions.Where(q => (q.Stems.Length > 0 && !q.Stems.Any(spoken.Contains)) || q.Names.Any(n => !spoken.Contains(n)))
                .Select(q => q.Text)];
        }
    }

    public static Reading Read(string customerText, string language) => new(customerText, language);

    /// <summary>
    /// The clauses that ask something: those ending in a question mark, and those that open as a question does ("is next day
    /// possible", "cuánto cuesta"). A clause is cut at sentence marks and at "and", "y", "also" before a question's opening
    /// word ("do you ship to Ireland and how much is express").
    /// </summary>
    public static IReadOnlyList<string> Questions(string text, string language)
    {
        var questions = new List<string>();
        foreach (Match sentence in Sentence().Matches(text))
        {
            var asked = sentence.Groups["end"].Value.Contains('?');
            foreach (var clause in Joined().Split(sentence.Groups["body"].Value))
            {
                var folded = TextAnalysis.Fold(clause);
                if (folded.Length == 0) continue;
                if (asked || (language == "es" ? SpanishOpening() : EnglishOpening()).IsMatch(folded)) questions.Add(clause.Trim());
            }
        }
        return questions;
    }

    /// <summary>The clause's words that say what it is about: stop words, greetings and the words of every support question out.</summary>
    private static IEnumerable<string> ContentStems(string text, string language) =>
        TextAnalysis.Words(text).Where(w => w.Length > 1 && !w.Any(char.IsDigit) && !TextAnalysis.IsStopWord(w, language) && !Everyday.Contains(w))
            .Select(w => TextAnalysis.Stem(w, language));

    /// <summary>
    /// Words nearly every support question holds, which say nothing of what this one is about ("pay" in "can I pay in
    /// installments", "pedido" in "cómo hago un pedido"); folded.
    /// </summary>
    private static readonly HashSet<string> Everyday = new(StringComparer.Ordinal)
    {
        "pay", "order", "orders", "account", "item", "items", "thing", "make", "there", "possible", "also", "too", "still", "just",
        "will", "when", "where", "why", "is", "any", "much", "many", "know", "tell", "let", "like", "ok", "okay", "thanks", "thank",
        "pago", "pagar", "pedido", "pedidos", "cuenta", "cosa", "hacer", "hago", "dan", "dais", "tienen", "teneis", "hacen", "haceis",
        "como", "cuando", "cuanto", "cuanta", "cual", "cuales", "donde", "tambien", "mas", "otra", "otro", "hay", "se", "sale", "ya",
    };

    [GeneratedRegex(@"(?<body>[^?.!;\n]+)(?<end>[?.!;\n]*)")] private static partial Regex Sentence();

    [GeneratedRegex(@"\b(?:and|also|plus|y|e|ademas|además)\s+(?=(?:can|could|do|does|is|are|will|would|how|what|when|where|which|should|did|has|have|puedo|puedes|pueden|podes|podés|podeis|podéis|se|hay|cuanto|cuánto|cuanta|cuánta|cuando|cuándo|donde|dónde|como|cómo|que|qué|dan|dais|tienen|tenéis|teneis|hacen|hacéis|haceis|aceptan|aceptáis|me)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Joined();

    // On folded text. English asks by its word order; Spanish without a question mark only by words that ask: "se muda la
    // semana que viene" and "me lié" are statements.
    [GeneratedRegex(@"^(?:can|could|do|does|is|are|will|would|how|what|whats|when|where|which|should|did|has|have)\b")]
    private static partial Regex EnglishOpening();
    [GeneratedRegex(@"^(?:puedo|puedes|pueden|podes|podeis|podrian|cuanto|cuanta|cuantos|cuantas|donde|aceptan|aceptais|teneis|tienen|hacen|haceis)\b")]
    private static partial Regex SpanishOpening();
}
