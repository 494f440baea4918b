using HitlConsole.Features.Languages;
using HitlConsole.Features.Ai;
using System.Text.RegularExpressions;
using HitlConsole.Features.Pipeline;

namespace HitlConsole.Features.Learning;

/// <summary>
/// Turns a reply written for one customer back into an answer for everyone: the customer's name and order reference become
/// the placeholders drafting fills from the conversation, the workspace's own values (phone, e-mail, links) become their
/// variables, and any other e-mail address or phone number (someone's personal data) is removed.
/// </summary>
public static partial class AnswerGeneraliser
{
    public sealed record Context(string? CustomerName, IReadOnlyList<string> InboundTexts, IReadOnlyDictionary<string, string> WorkspaceValues, string Language);

    public static string Answer(string text, Context context)
    {
        var result = text.Trim();
        var spanish = context.Language == "es";
        // The workspace's own values first (they may be an e-mail address or a phone number), longest first, so
        // "+34 900 100 200" is taken before a shorter value inside it; then the order reference; then other personal data.
        foreach (var (variable, value) in context.WorkspaceValues.Where(v => v.Value.Trim().Length >= 4).OrderByDescending(v => v.Value.Length))
            result = Replace(result, value.Trim(), "{{" + variable + "}}");
        if (context.InboundTexts.Select(ConversationFacts.Reference).LastOrDefault(r => r is not null) is { } reference)
            result = Replace(result, reference, spanish ? "{{Número de pedido}}" : "{{Order Number}}");
        // The customer's street address is theirs alone: a placeholder the next agent fills, never another customer's home.
        result = WithoutAddresses(result, context.InboundTexts, spanish ? "{{Dirección del cliente}}" : "{{Customer Address}}");
        result = EmailAddresses.Pattern().Replace(result, "");
        result = Phone().Replace(result, "");
        foreach (var name in NameParts(context.CustomerName))
            result = Replace(result, name, spanish ? "{{Nombre del cliente}}" : "{{Customer Name}}");
        return Tidy(result);
    }

    /// <summary>The customer's message as a question for everyone: the order reference and personal data go.</summary>
    public static string Question(string text, Context context)
    {
        var result = text.Trim();
        if (ConversationFacts.Reference(result) is { } reference) result = Replace(result, reference, "");
        result = WithoutAddresses(result, [result], "");
        result = EmailAddresses.Pattern().Replace(result, "");
        result = Phone().Replace(result, "");
        foreach (var name in NameParts(context.CustomerName)) result = Replace(result, name, "");
        return Tidy(result);
    }

    /// <summary><paramref name="text"/> with <paramref name="with"/> wherever it repeats an address the customer wrote, whole or in part.</summary>
    private static string WithoutAddresses(string text, IEnumerable<string> inboundTexts, string with)
    {
        foreach (var address in inboundTexts.SelectMany(ConversationFacts.Addresses).Distinct().OrderByDescending(a => a.Length))
            text = Replace(text, address, with);
        return text;
    }

    /// <summary>The full name, then each part of three letters or more ("Ana María López" → itself, "Ana", "María", "López").</summary>
    private static IEnumerable<string> NameParts(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) yield break;
        var full = name.Trim();
        yield return full;
        foreach (var part in full.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length >= 3 && p != full)) yield return part;
    }

    private static string Replace(string text, string value, string with) =>
        Regex.Replace(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(value)}(?![\p{{L}}\p{{N}}])", with.Replace("$", "$$"),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));

    private static string Tidy(string text)
    {
        var result = Spaces().Replace(text, " ");
        result = SpaceBeforePunctuation().Replace(result, "$1");
        return result.Trim();
    }

    /// <summary>Seven or more digits, spaces, dots or dashes between them allowed, an optional leading +: a phone number.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}{])\+?\d(?:[ .-]?\d){6,}(?![\p{L}\p{N}}])")]
    private static partial Regex Phone();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[ \t]+([,.;:!?])")]
    private static partial Regex SpaceBeforePunctuation();
}
