using System.Text.RegularExpressions;

namespace HitlConsole.Features.Ai;

/// <summary>
/// What a conversation itself tells about placeholders: the customer's name and the order (purchase, invoice, tracking)
/// number the customer wrote. Knowledge names these many ways, so each fact answers to all of its usual names; a
/// reference is only taken from the customer's own messages, never from knowledge, so no other customer's data leaks in.
/// It lives beside the built-in model, which orders its answers by these facts, and the pipeline reads it from here
/// (slices depend on Ai, never Ai on them: ArchitectureTests).
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

    /// <summary>Whether the customer wrote an order (purchase, invoice, tracking) number in this message or an earlier one.</summary>
    public static bool KnowsReference(string customerText, IEnumerable<string> earlierCustomerTexts) =>
        Reference(customerText) is not null || earlierCustomerTexts.Any(t => Reference(t) is not null);

    /// <summary>Whether an answer names the order number by a placeholder ("your order {{Order Number}}").</summary>
    public static bool NamesReference(string answer) =>
        Placeholders.Find(answer).Any(p => ReferenceKeys.Contains(Placeholders.Key(p.Name)));

    /// <summary>
    /// Whether an answer asks the customer for their order number ("Dinos el número de pedido", "please share your order
    /// number"): sent to a customer who already wrote it, it reads as if nobody read the message.
    /// </summary>
    public static bool AsksForReference(string answer) => AsksForReferencePattern().IsMatch(answer);

    /// <summary>Whether a reply would ask again for the order number a customer already gave (<paramref name="knowsReference"/>).</summary>
    public static bool AsksAgain(bool knowsReference, string reply) => knowsReference && AsksForReference(reply);

    private static readonly HashSet<string> ReferenceKeys = [.. ReferenceNames.Select(Placeholders.Key)];

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

    // An asking verb and the reference within one sentence, either order: "provide your order number", "¿Nos das el número
    // de pedido?", "the order number, please send it" is rare enough in knowledge to leave out.
    [GeneratedRegex(@"(?ix)\b(?:share|provide|send|give|tell|let\s+(?:me|us)\s+know|confirm|include|have\s+your|need\s+your|need\s+the
        |d[ií]nos|dime|ind[ií]ca(?:nos|me)|env[ií]a(?:nos|me)|p[aá]sa(?:nos|me)|comp[aá]rte(?:nos|me)|escr[ií]be(?:nos|me)|fac[ií]l[ií]ta(?:nos|me)
        |conf[ií]rma(?:nos|me)|danos|m[aá]nda(?:nos|me)|(?:nos|me)\s+(?:das|dices|pasas|env[ií]as|mandas|indicas|facilitas|escribes|compartes|confirmas)
        |(?:escribir|indicar|enviar|mandar|pasar|facilitar|dar|decir|compartir|confirmar)(?:nos|me)|necesitamos|necesito|ind[ií]quenos|env[ií]enos
        |what(?:'s|\s+is)\s+your)\b
        [^.?!\n]{0,60}?\b(?:(?:order|purchase|invoice|tracking)\s+(?:number|id|no\.?)|n[uú]mero\s+de\s+(?:pedido|compra|factura|seguimiento|orden))")]
    private static partial Regex AsksForReferencePattern();
}
