using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Details a knowledge answer took from the question it was written for: the place, plan, name or amount that customer
/// gave ("We do offer shipping to Valencia", "a refund of $160"). Sent to another customer, they are made-up facts, so the
/// built-in model prefers an answer without them and lets a person check one that has them.
/// </summary>
public static partial class AnswerDetails
{
    /// <summary>What the answer states that the customer's message does not: proper names and numbers, as written in the answer.</summary>
    public static IReadOnlyList<string> NotGivenBy(string customerText, string question, string answer)
    {
        var answerText = Placeholder().Replace(answer, " ");
        var details = new List<string>();
        var said = TextAnalysis.Fold(customerText).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var saidDigits = Digits(customerText);

        // A name the asker wrote mid-sentence and the answer repeats: their city, plan, person.
        var answerWords = TextAnalysis.Fold(answerText).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var name in NamesMidSentence(question))
        {
            var folded = TextAnalysis.Fold(name);
            if (answerWords.Contains(folded) && !said.Contains(folded) && !details.Contains(name, StringComparer.OrdinalIgnoreCase)) details.Add(name);
        }

        // A person the answer names after "from", "with"… whom the customer never named: "the invoice from Anna Freeman", an
        // answer written for another customer's bill (or mixed up with one) and wrong for everyone else.
        foreach (Match m in PersonName().Matches(answerText))
        {
            var (first, last) = (m.Groups["first"].Value, m.Groups["last"].Value);
            if (NotPeople.Contains(last) || NotPeople.Contains(first)) continue;
            var name = first + " " + last;
            if (!said.Contains(TextAnalysis.Fold(last)) && !details.Contains(name, StringComparer.OrdinalIgnoreCase)
                && !details.Contains(last, StringComparer.OrdinalIgnoreCase)) details.Add(name);
        }

        // A product the answer was written about and the customer never named: "a photo of the mug" for a broken jacket zip.
        var questionWords = TextAnalysis.Fold(question).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var product in Products)
        {
            var named = product.FirstOrDefault(answerWords.Contains);
            if (named is null || !product.Any(questionWords.Contains) || product.Any(said.Contains)) continue;
            var written = Word().Matches(answerText).Select(m => m.Value).FirstOrDefault(w => TextAnalysis.Fold(w) == named) ?? named;
            if (!details.Contains(written, StringComparer.OrdinalIgnoreCase)) details.Add(written);
        }

        // An amount of money, or a number the asker gave (two digits or more) that the answer repeats.
        var questionDigits = Digits(question);
        foreach (Match m in Number().Matches(answerText))
        {
            var digits = DigitsOnly(m.Value);
            var shown = m.Index > 0 && answerText[m.Index - 1] is '$' or '€' or '£' ? answerText[m.Index - 1] + m.Value : m.Value;
            if (saidDigits.Contains(digits) || details.Contains(shown)) continue;
            var (from, to) = (Math.Max(0, m.Index - 2), Math.Min(answerText.Length, m.Index + m.Length + 9));
            if (Money().IsMatch(answerText.AsSpan(from, to - from)) || (digits.Length >= 2 && questionDigits.Contains(digits)))
                details.Add(shown);
        }
        return details;
    }

    /// <summary>
    /// Whether the entry's question is about another detail of the same kind than the customer's: "Me equivoqué con el
    /// apellido" beside "quiero cambiar mi teléfono", "change the colour" beside "change the size". Its answer walks through
    /// that other detail; one written for any detail, or for the customer's, fits better.
    /// </summary>
    public static bool AboutAnotherDetail(string customerText, string question) => AboutAnotherDetailThan(customerText)(question);

    /// <summary>The same test for many entries' questions, the customer's message read once.</summary>
    public static Func<string, bool> AboutAnotherDetailThan(string customerText)
    {
        var said = $" {TextAnalysis.Fold(customerText)} ";
        // In each family the customer named a detail of, the details they did not name.
        var others = new List<string[]>();
        foreach (var (family, evenUnnamed) in DetailFamilies)
        {
            var unsaid = family.Where(detail => !detail.Any(w => said.Contains(w, StringComparison.Ordinal))).ToList();
            if (unsaid.Count < family.Length || evenUnnamed) others.AddRange(unsaid);
        }
        if (others.Count == 0) return _ => false;
        return question =>
        {
            var asked = $" {TextAnalysis.Fold(question)} ";
            return others.Any(detail => detail.Any(w => asked.Contains(w, StringComparison.Ordinal)));
        };
    }

    /// <summary>
    /// Details a customer changes one at a time, each by its words (folded, a leading space so "name" is not found in
    /// "surname"): an account's fields, what changes in an order's item, and joining or leaving a mailing list. In a family
    /// marked <c>evenUnnamed</c>, an entry about one detail comes after the general ones even when the customer named none of
    /// the family: "¿se puede pagar en OXXO?" and "¿hacéis tarjetas regalo?" were answered with the instalments entry, whose
    /// "Por ahora no tenemos pago a plazos" reads as a wrong answer, where the list of accepted methods answers them.
    /// </summary>
    private static readonly (string[][] Details, bool EvenUnnamed)[] DetailFamilies =
    [
        ([
            [" apellido", " surname", " last name"], [" nombre", " name "], [" telefono", " movil", " celular", " phone", " mobile"],
            [" correo", " email", " e-mail", " e mail", " mail "], [" contrasena", " password", " clave"], [" direccion", " address"],
        ], false),
        ([[" talla", " size"], [" color", " colour"], [" cantidad", " quantity", " unidades"]], false),
        // Joining and leaving a list: "quiero suscribirme al boletín" was answered with how to unsubscribe (94).
        ([
            [" suscribirme", " suscribir ", " suscribo", " subscribe", " sign up", " signup", " darme de alta", " apuntarme"],
            [" baja", " unsubscribe", " desuscrib", " dejar de recibir", " dejad de", " stop ", " cancel"],
        ], false),
        // How fast: "¿cuánto tarda normalmente el envío?" and "Si pido hoy con envío estándar, ¿cuándo me llega?" were answered
        // with the entry on express delivery.
        ([
            [" expres", " express", " urgente", " next day", " next-day", " 24h", " 24 h", " rapido", " faster", " fastest", " sooner"],
            [" estandar", " standard", " normal "],
        ], true),
        // Ways to pay: "¿se puede pagar con Bizum o contra reembolso?" was answered with the instalments entry.
        ([
            [" plazos", " cuotas", " fraccionar", " financiar", " meses sin intereses", " instalment", " installment", " pay later", " klarna"],
            [" paypal"], [" bizum"], [" mercado pago", " mercadopago"], [" apple pay"], [" google pay"],
            [" contra reembolso", " contrareembolso", " contra entrega", " efectivo", " cash on delivery", " cash "],
            [" transferencia", " bank transfer", " wire transfer"],
        ], true),
    ];

    /// <summary>
    /// Things a shop sells, each with its forms in both languages (folded): an entry written about one of them ("My mug arrived
    /// in pieces") answers about it, and another customer's broken jacket is not a mug. A customer who names the thing in
    /// either language has said it.
    /// </summary>
    private static readonly string[][] Products =
    [
        ["mug", "mugs", "taza", "tazas"], ["cup", "cups"], ["vase", "vases", "jarron", "jarrones", "florero", "floreros"],
        ["lamp", "lamps", "lampshade", "lampshades", "lampara", "lamparas"],
        ["cushion", "cushions", "cojin", "cojines"], ["jacket", "jackets", "chaqueta", "chaquetas", "chamarra", "campera"],
        // "T-shirt" is folded to "t shirt": a shirt.
        ["coat", "coats", "abrigo", "abrigos"], ["shirt", "shirts", "tshirt", "camiseta", "camisetas", "camisa", "camisas", "remera", "playera"],
        ["dress", "dresses", "vestido", "vestidos"],
        ["trousers", "pants", "jeans", "pantalon", "pantalones", "vaqueros"], ["skirt", "skirts", "falda", "faldas", "pollera"],
        ["jumper", "sweater", "hoodie", "jersey", "sudadera", "sueter", "buzo"],
        ["shoes", "shoe", "trainers", "sneakers", "boots", "zapatos", "zapatillas", "botas", "tenis"],
        ["plate", "plates", "plato", "platos"], ["glass", "glasses", "vaso", "vasos", "copa", "copas"],
        ["towel", "towels", "toalla", "toallas"], ["blanket", "blankets", "manta", "mantas", "cobija"],
        ["rug", "rugs", "carpet", "alfombra", "alfombras", "tapete"], ["curtain", "curtains", "cortina", "cortinas"],
        ["sofa", "sofas", "couch", "sillon"], ["chair", "chairs", "silla", "sillas"], ["table", "tables", "mesa", "mesas"],
        ["headphones", "earbuds", "auriculares", "audifonos", "cascos"], ["speaker", "speakers", "altavoz", "bocina", "parlante"],
        ["charger", "chargers", "cargador", "cargadores"], ["wristwatch", "reloj", "relojes"],
        ["bag", "bags", "handbag", "backpack", "bolso", "bolsos", "mochila", "mochilas", "cartera"],
    ];

    /// <summary>Capitalised words after a sentence's first: the names of places, plans and people ("Valencia", "Platinum", "USA").</summary>
    internal static IEnumerable<string> NamesMidSentence(string text)
    {
        var words = Word().Matches(text);
        for (var i = 1; i < words.Count; i++)
        {
            var w = words[i].Value;
            // "Valencia", "Platinum", "USA"; not "iPhone"-like mixed case, which is a product's spelling, nor "I".
            var allCapitals = w.All(char.IsUpper);
            if (w.Length < (allCapitals ? 2 : 3) || !char.IsUpper(w[0]) || (!allCapitals && w.Skip(1).Any(char.IsUpper))) continue;
            // After a sentence's end a capital says nothing.
            var before = text.AsSpan(0, words[i].Index).TrimEnd();
            if (before.Length > 0 && before[^1] is '.' or '!' or '?' or '¿' or '¡' or ':' or '"' or '\n') continue;
            yield return w;
        }
    }

    // Capitalised pairs that name a thing, not a person ("the Cancel Order button", "a Gold Account", "our Customer Service").
    private static readonly HashSet<string> NotPeople = new(StringComparer.OrdinalIgnoreCase)
    {
        "Order", "Orders", "Account", "Accounts", "Service", "Services", "Quality", "Newsletter", "Address", "Settings", "Section",
        "Page", "Support", "Center", "Centre", "Team", "Department", "Policy", "Form", "Options", "Methods", "History", "Profile",
        "Details", "Information", "Our", "New", "Customer", "Cancel", "Product", "Gold", "Platinum", "Standard", "Premium", "Help",
        "Contact", "Billing", "Payment", "Payments", "Shipping", "Delivery", "Returns", "Refund", "Refunds", "Invoice", "Invoices",
        "Mis", "Mi", "Pedidos", "Pedido", "Cuenta", "Atención", "Cliente", "Ajustes", "Configuración", "Perfil", "Facturas", "Devoluciones",
    };

    private static HashSet<string> Digits(string text) =>
        Number().Matches(text).Select(m => DigitsOnly(m.Value)).ToHashSet(StringComparer.Ordinal);

    private static string DigitsOnly(string number) => new(number.Where(char.IsDigit).ToArray());

    [GeneratedRegex(@"\{\{[^}]*\}\}")] private static partial Regex Placeholder();
    [GeneratedRegex(@"(?<![\p{L}'""“‘])(?:from|with|to|for|by|of|named|called|de|con|para)\s+(?<first>\p{Lu}\p{Ll}+)\s+(?<last>\p{Lu}\p{Ll}+)\b(?![""”’'])")]
    private static partial Regex PersonName();
    [GeneratedRegex(@"\p{L}+")] private static partial Regex Word();
    [GeneratedRegex(@"\d(?:[\d.,]*\d)?")] private static partial Regex Number();
    [GeneratedRegex(@"[$€£]\s?\d|\d\s?(?:[$€£]|dollars?|euros?|usd|eur|pesos|dólares|dolares)\b", RegexOptions.IgnoreCase)] private static partial Regex Money();
}
