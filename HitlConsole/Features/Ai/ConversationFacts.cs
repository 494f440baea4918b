using System.Text.RegularExpressions;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// What a conversation itself tells about placeholders: the customer's name and the order (purchase, invoice, tracking)
/// number the customer wrote. Knowledge names these many ways, so each fact answers to all of its usual names; a
/// reference is only taken from the customer's own messages, never from knowledge, so no other customer's data leaks in.
/// </summary>
public static partial class ConversationFacts
{
    public static readonly string[] CustomerNameNames =
        ["Customer Name", "Client Name", "Name", "Customer First Name", "Nombre del cliente", "Nombre"];

    public static readonly string[] ReferenceNames =
    [
        "Order Number", "Order Number Anonymized", "Order ID", "Order ID Anonymized", "Purchase ID", "Purchase ID Anonymized",
        "Purchase Number", "Purchase Number Anonymized", "Invoice Number", "Invoice Number Anonymized", "Bill Number",
        "Bill Number Anonymized", "Tracking Number", "Número de pedido", "Número de compra", "Número de factura", "Número de seguimiento",
    ];

    private static readonly HashSet<string> FactKeys = [.. CustomerNameNames.Concat(ReferenceNames).Select(Placeholders.Key)];

    /// <summary>Whether a placeholder names something a conversation can tell (the customer's name, an order number).</summary>
    public static bool IsFactName(string placeholder) => FactKeys.Contains(Placeholders.Key(placeholder));

    /// <param name="customerName">The contact's display name, if the channel gave one.</param>
    /// <param name="inboundTexts">The customer's messages, oldest first: the newest reference wins.</param>
    public static IReadOnlyDictionary<string, string> Of(string? customerName, IEnumerable<string> inboundTexts)
    {
        var facts = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(customerName))
            foreach (var name in CustomerNameNames) facts[name] = customerName.Trim();
        if (inboundTexts.Select(Reference).LastOrDefault(r => r is not null) is { } reference)
            foreach (var name in ReferenceNames) facts[name] = reference;
        return facts;
    }

    /// <summary>
    /// The last run of 4+ letters and digits (at least one digit) written just after "order", "pedido", "invoice", "#"…
    /// A bare "number" does not count: "my number is 600111222" is a phone number, not an order. Four digits that read as a
    /// year ("el pedido de 2024") do not count either; "order 5567" does.
    /// </summary>
    public static string? Reference(string text) => ReferencePattern().Matches(text).Select(m => m.Groups["ref"].Value)
        .LastOrDefault(r => !(r.Length == 4 && int.TryParse(r, out var year) && year is >= 1900 and <= 2099));

    [GeneratedRegex(@"(?ix)(?:\b(?:order|purchase|invoice|bill|tracking|ref(?:erence)?|pedido|compra|factura|seguimiento)|\#)
        [^\p{L}\p{N}]{0,3}(?:(?:is|es|number|n[uú]mero|n[º°o]|id|de|del|con|el)\b[^\p{L}\p{N}]{0,3}){0,3}
        (?<ref>(?=[A-Z0-9-]*[0-9])[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9])\b")]
    private static partial Regex ReferencePattern();
}
