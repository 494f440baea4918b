using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// A message that only makes sense after the customer's previous one: "still nothing" after "where is my order?", "¿y el
/// reembolso?" after "devolví la chaqueta la semana pasada". On WhatsApp people write in fragments; read alone, "still nothing"
/// was drafted as a complaint about a wrong item. The built-in model reads such a fragment together with the message before it.
/// </summary>
public static partial class FollowUp
{
    /// <summary>Words at most of a fragment that reads with the previous message; one that opens with "and" may be longer.</summary>
    private const int FragmentWords = 4, OpenedFragmentWords = 7;

    /// <summary>
    /// The customer's previous message and this one, one after the other, when this one is a fragment and the previous one says
    /// something of its own (three words or more, not small talk); null otherwise.
    /// </summary>
    public static string? Joined(string text, IReadOnlyList<ConversationTurn> history)
    {
        var words = TextAnalysis.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Length > OpenedFragmentWords) return null;
        if (words.Length > FragmentWords && !Opening().IsMatch(string.Join(' ', words))) return null;
        var previous = history.LastOrDefault(t => t.FromCustomer && !string.IsNullOrWhiteSpace(t.Text))?.Text;
        if (previous is null || TextAnalysis.Fold(previous).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 3
            || SmallTalk.Recognise(previous) is not null) return null;
        return $"{previous.TrimEnd()}\n{text.Trim()}";
    }

    // Folded: "and the refund", "what about the invoice", "y la factura", "¿y lo del reembolso?", "entonces qué pasa con…".
    [GeneratedRegex(@"^(?:and|what about|how about|also|y|e|entonces|pero|que pasa con|y que pasa con|y lo de|tambien)\b")]
    private static partial Regex Opening();
}
