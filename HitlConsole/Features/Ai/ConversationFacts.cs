using HitlConsole.Features.Languages;
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
        ["Customer Name", "Client Name", "Name", "Nombre del cliente", "Nombre cliente", "Nombre"];

    /// <summary>The first word of the customer's name: "Hi {{first_name}}" reads as people write, the full name like a form letter.</summary>
    public static readonly string[] FirstNameNames = ["Customer First Name", "First Name", "Nombre de pila"];

    public static readonly string[] ReferenceNames =
    [
        "Order Number", "Order Number Anonymized", "Order ID", "Order ID Anonymized", "Purchase ID", "Purchase ID Anonymized",
        "Purchase Number", "Purchase Number Anonymized", "Invoice Number", "Invoice Number Anonymized", "Bill Number",
        "Bill Number Anonymized", "Tracking Number", "Número de pedido", "Número de compra", "Número de factura", "Número de seguimiento",
    ];

    private static readonly HashSet<string> FactKeys = [.. CustomerNameNames.Concat(FirstNameNames).Concat(ReferenceNames).Select(Placeholders.Key)];

    /// <summary>Whether a placeholder names something a conversation can tell (the customer's name, an order number).</summary>
    public static bool IsFactName(string placeholder) => FactKeys.Contains(Placeholders.Key(placeholder));

    /// <param name="customerName">The contact's display name, if the channel gave one.</param>
    /// <param name="inboundTexts">The customer's messages, oldest first: the newest reference wins.</param>
    public static IReadOnlyDictionary<string, string> Of(string? customerName, IEnumerable<string> inboundTexts)
    {
        var facts = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(customerName))
            foreach (var name in CustomerNameNames) facts[name] = customerName.Trim();
        if (FirstName(customerName) is { } first)
            foreach (var name in FirstNameNames) facts[name] = first;
        if (inboundTexts.Select(Reference).LastOrDefault(r => r is not null) is { } reference)
            foreach (var name in ReferenceNames) facts[name] = reference;
        return facts;
    }

    /// <summary>The first word of a display name, unless it holds a digit (a phone number shown as the name).</summary>
    internal static string? FirstName(string? displayName) =>
        displayName?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } first && !first.Any(char.IsDigit) ? first : null;

    /// <summary>What the customer already wrote in this conversation that an answer must not ask for again.</summary>
    /// <param name="Reference">An order (purchase, invoice, tracking) number.</param>
    /// <param name="Address">A postal address ("Calle Mayor 5, Madrid", "12 Baker Street").</param>
    /// <param name="WantsPhone">The message asks for a number to call: an answer that gives only the opening hours does not answer it.</param>
    /// <param name="Photo">The customer says they sent photos ("ya os mandé fotos", "I attached a picture").</param>
    /// <param name="TaxId">The customer wrote a tax number for an invoice ("con mi NIF 12345678Z", "our VAT number is GB123456789").</param>
    /// <param name="Code">The customer wrote a discount code ("el código VERANO15 no funciona", "code SUMMER20 isn't working").</param>
    /// <param name="Company">The customer buys for a company ("para mi empresa", "our VAT number"): an invoice in a company's name fits.</param>
    /// <param name="Email">The customer wrote an e-mail address ("mi mail es lucia.fdez@hotmail.com").</param>
    public readonly record struct Given(bool Reference, bool Address, bool WantsPhone = false, bool Photo = false, bool TaxId = false, bool Code = false,
        bool Company = false, bool Email = false)
    {
        /// <summary>Whether <paramref name="answer"/> asks for something the customer already wrote: it reads as if nobody read the message.</summary>
        public bool AskedAgainBy(string answer) =>
            (Reference && AsksForReference(answer)) || (Address && AsksForAddress(answer)) || (Photo && AsksForPhoto(answer))
            || (TaxId && AsksForTaxId(answer)) || (Code && AsksForCode(answer)) || (Email && AsksForEmail(answer));

        /// <summary>
        /// Whether <paramref name="answer"/> takes for given something the customer did not write: an order number filled in,
        /// an address, a discount code, a tax number, a company or an e-mail address thanked for.
        /// </summary>
        public bool AssumedBy(string answer) =>
            (!Reference && NamesReference(answer)) || (!Address && AcknowledgesAddress(answer)) || (!Code && AcknowledgesCode(answer))
            || (!TaxId && AcknowledgesTaxId(answer)) || (!Company && ForACompany(answer)) || (!Email && AcknowledgesEmail(answer));
    }

    /// <summary>What the customer wrote in this message or an earlier one.</summary>
    public static Given GivenIn(string customerText, IEnumerable<string> earlierCustomerTexts)
    {
        string[] texts = [customerText, .. earlierCustomerTexts];
        return new Given(texts.Any(t => Reference(t) is not null), texts.Any(GivesAddress), WantsPhonePattern().IsMatch(customerText),
            texts.Any(SentPhoto), texts.Any(GivesTaxId), texts.Any(GivesCode), texts.Any(t => CompanyPattern().IsMatch(t)),
            texts.Any(t => EmailAddresses.Pattern().IsMatch(t)));
    }

    /// <summary>Whether an answer asks for the customer's e-mail address ("dinos tu correo", "tell us the e-mail address you used").</summary>
    public static bool AsksForEmail(string answer) => AsksForEmailPattern().IsMatch(answer);

    /// <summary>Whether an answer takes the customer's e-mail address for given ("Thanks, we have your e-mail", "Gracias por indicarnos el correo").</summary>
    public static bool AcknowledgesEmail(string answer) => AcknowledgesEmailPattern().IsMatch(answer);

    // A narrower set of verbs than AskingVerb: "we'll send you an e-mail" and "te lo enviamos por correo" do not ask.
    [GeneratedRegex(@"(?ix)\b(?:tell\s+us|let\s+us\s+know|give\s+us|share|provide|confirm|what(?:'s|\s+is)\s+your|d[ií]nos|ind[ií]ca(?:nos|me)|escr[ií]be(?:nos|me)
        |p[aá]sa(?:nos|me)|facil[ií]ta(?:nos|me)|conf[ií]rma(?:nos|me))\b[^.?!\n]{0,40}?\b(?:e-?mail|correo)\b")]
    private static partial Regex AsksForEmailPattern();

    [GeneratedRegex(@"(?ix)\b(?:thanks\s+for\s+(?:the|your)\s+e-?mail|we\s+have\s+your\s+e-?mail|gracias\s+por\s+(?:indicarnos|darnos|pasarnos|escribirnos)\s+(?:el|tu)\s+correo)\b")]
    private static partial Regex AcknowledgesEmailPattern();

    /// <summary>Whether an answer is about an invoice in a company's name ("in your company's name", "a nombre de tu empresa").</summary>
    public static bool ForACompany(string answer) => ForACompanyPattern().IsMatch(answer);

    [GeneratedRegex(@"(?ix)\b(?:compan(?:y|ies)|business|firm|ltd|llc|inc|VAT|empresa|negocio|sociedad|aut[oó]nomo|CIF|NIF|RFC|CUIT|RUT|RUC|raz[oó]n\s+social|datos\s+fiscales)\b")]
    private static partial Regex CompanyPattern();

    [GeneratedRegex(@"(?ix)\b(?:(?:in|under)\s+(?:your|the)\s+company(?:'s)?\s+name|a\s+nombre\s+de\s+(?:tu|su|la)\s+empresa)\b")]
    private static partial Regex ForACompanyPattern();

    /// <summary>
    /// Whether a text gives a discount code: a message about a code (código, cupón, voucher, promo) that holds one in capitals
    /// with a digit ("Es BIENVENIDA10"), or a code word followed by letters and digits ("code summer20"). An order number has
    /// no letters and a tax number fewer than three, so neither counts.
    /// </summary>
    public static bool GivesCode(string text) =>
        CodeWordPattern().IsMatch(text) && (CodeInCapitalsPattern().IsMatch(text) || CodeAfterWordPattern().IsMatch(text));

    /// <summary>Whether an answer takes a discount code for given ("the code you sent us", "el código que nos has escrito").</summary>
    public static bool AcknowledgesCode(string answer) => AcknowledgesCodePattern().IsMatch(answer);

    /// <summary>Whether an answer takes a tax number for given ("with the tax number you gave us", "el número fiscal que nos has indicado").</summary>
    public static bool AcknowledgesTaxId(string answer) => AcknowledgesTaxIdPattern().IsMatch(answer);

    [GeneratedRegex(@"(?ix)\b(?:the\s+code\s+you\s+(?:sent|gave|wrote|shared)|c[oó]digo\s+que\s+nos\s+(?:has|ha|han)\s+(?:escrito|dado|indicado|enviado|pasado))\b")]
    private static partial Regex AcknowledgesCodePattern();

    [GeneratedRegex(@"(?ix)\b(?:(?:tax|VAT)\s+(?:number|id)\s+you\s+(?:sent|gave|wrote|shared)|n[uú]mero\s+fiscal\s+que\s+nos\s+(?:has|ha|han)\s+(?:escrito|dado|indicado|enviado|pasado))\b")]
    private static partial Regex AcknowledgesTaxIdPattern();

    /// <summary>Whether an answer asks for the discount code ("dinos el código", "tell us the code"); not a postal or bank code.</summary>
    public static bool AsksForCode(string answer) => AsksForCodePattern().IsMatch(answer);

    private const string CodeWord = @"(?:c[oó]digo|codigo|cup[oó]n(?:es)?|vouchers?|coupons?|promo(?:\s+code)?|discount\s+code|code)";

    [GeneratedRegex(@"(?ix)\b" + CodeWord + @"\b(?!\s+(?:postal|zip|de\s+verificaci|del\s+banco|sms))")]
    private static partial Regex CodeWordPattern();

    [GeneratedRegex(@"\b(?=(?:[A-Z0-9]*[A-Z]){3})(?=[A-Z0-9]*[0-9])[A-Z0-9]{5,20}\b")]
    private static partial Regex CodeInCapitalsPattern();

    [GeneratedRegex(@"(?ix)\b" + CodeWord + @"\s+(?:(?:es|is|de\s+descuento|promocional)\s+){0,2}[a-z]{3,}[0-9]{1,4}\b")]
    private static partial Regex CodeAfterWordPattern();

    [GeneratedRegex(@"(?ix)" + AskingVerb + @"[^.?!\n]{0,60}?\b(?:el|the|your|tu|su)\s+(?:discount\s+|promo\s+)?(?:c[oó]digo|cup[oó]n|voucher|coupon|code)\b
        (?!\s+(?:postal|de\s+verificaci|del\s+banco))")]
    private static partial Regex AsksForCodePattern();

    /// <summary>Whether a text gives a tax number: the number's name followed by a code with a digit ("NIF 12345678Z", "CUIT 20-12345678-9").</summary>
    public static bool GivesTaxId(string text) => GivesTaxIdPattern().IsMatch(text);

    /// <summary>Whether an answer asks for the tax number ("dinos la razón social y el número fiscal", "please send your VAT number").</summary>
    public static bool AsksForTaxId(string answer) => AsksForTaxIdPattern().IsMatch(answer);

    private const string TaxIdWord = @"(?:NIF|CIF|NIE|RFC|CUIT|CUIL|RUT|RUC|VAT(?:\s+(?:number|no\.?|id))?|GST(?:\s+(?:number|no\.?))?|EIN|tax\s+(?:id|number)
        |n[uú]mero\s+(?:de\s+identificaci[oó]n\s+)?fiscal|identificaci[oó]n\s+fiscal|datos\s+fiscales)";

    // The name, a few linking words at most ("es", "is", ":"), then a code of six or more letters and digits with a digit in it.
    [GeneratedRegex(@"(?ix)\b" + TaxIdWord + @"\b[^.?!\n\d]{0,12}?(?=[A-Z0-9.\-]*\d)[A-Z0-9][A-Z0-9.\-]{5,}")]
    private static partial Regex GivesTaxIdPattern();

    [GeneratedRegex(@"(?ix)" + AskingVerb + @"[^.?!\n]{0,60}?\b" + TaxIdWord + @"\b")]
    private static partial Regex AsksForTaxIdPattern();

    /// <summary>Whether the customer says they sent (or attach) photos: "ya os mandé fotos ayer", "I already sent pictures".</summary>
    public static bool SentPhoto(string text) => SentPhotoPattern().IsMatch(text);

    /// <summary>Whether an answer asks the customer for a photo ("mándanos una foto del daño", "please attach a picture").</summary>
    public static bool AsksForPhoto(string answer) => AsksForPhotoPattern().IsMatch(answer);

    private const string PhotoWord = @"(?:fotos?|fotograf[ií]as?|im[aá]gen(?:es)?|capturas?|photos?|pictures?|pics?|images?|screenshots?)";

    // A verb of sending in the past, or the present of one attaching while writing ("te adjunto", "os paso"), near a photo
    // word, either order; "no os mandé", "I haven't sent", "can I send", "¿puedo mandar?" and "¿les mando fotos?" are not a
    // photo sent.
    [GeneratedRegex(@"(?ix)(?<!\b(?:no|not|never|haven't|didn't|hasn't)\s+(?:\w+\s+)?)
        \b(?:mand[eé]|envi[eé]|pas[eé]|adjunt[eé]|sub[ií]|compart[ií]|mandamos|enviamos|adjunto|adjuntamos|(?:os|te|les|le)\s+(?:paso|mando|env[ií]o)
           |sent|attached|attaching|uploaded|shared|emailed|texted)\b[^.?!\n]{0,30}?\b" + PhotoWord + @"\b(?![^.!?,\n]*\?)
        |\b" + PhotoWord + @"\s+(?:que\s+(?:ya\s+)?(?:os|te|les|le)\s+(?:mand[eé]|envi[eé]|pas[eé])|(?:I|we)\s+(?:already\s+)?(?:sent|attached|uploaded))\b
        |\b(?:here\s+(?:is|are|'s)|see\s+(?:the\s+)?attached|aqu[ií]\s+(?:ten[eé]is|tienes|tienen|van|va))\b[^.?!\n]{0,15}?\b" + PhotoWord + @"\b")]
    private static partial Regex SentPhotoPattern();

    [GeneratedRegex(@"(?ix)(?:" + AskingVerb + @"|\badj[uú]nta(?:nos|me)?\b|\badjuntar(?:nos|me)?\b|\battach\b|\bupload\b)[^.?!\n]{0,60}?\b" + PhotoWord + @"\b")]
    private static partial Regex AsksForPhotoPattern();

    /// <summary>Whether an answer gives the workspace's support phone number (by its placeholder).</summary>
    public static bool NamesPhone(string answer) =>
        Placeholders.Find(answer).Any(p => Placeholders.Key(p.Name) == PhoneKey);

    private static readonly string PhoneKey = Placeholders.Key("Customer Support Phone Number");

    // "¿Cuál es vuestro teléfono?", "a number to call", "can I call you"; not "mi teléfono no carga" (a phone as a product
    // is asked about with "mi"/"my").
    [GeneratedRegex(@"(?ix)(?<!\b(?:mi|my|el\s+m[ií]o)\s)\b(?:tel[eé]fono|phone\s+number|telephone)\b(?!\s+(?:m[oó]vil|nuevo|roto))
        |\b(?:llamar(?:os|les|te)?|call\s+(?:you|u|your|support|customer)|n[uú]mero\s+para\s+llamar|number\s+to\s+call)\b")]
    private static partial Regex WantsPhonePattern();

    /// <summary>
    /// Whether a text holds a postal address: a street word with a number near it ("Calle Mayor 5", "C/ Sol 3, 2ºB",
    /// "12 Baker Street"), or "mi nueva dirección es" / "my new address is" followed by one with a number.
    /// </summary>
    public static bool GivesAddress(string text) => AddressPattern().IsMatch(text);

    /// <summary>
    /// The postal addresses a text holds, each as every cut from its street word to the end of its clause, longest first
    /// ("Calle Alcalá 45, 3ºB, 28014 Madrid porfa", "Calle Alcalá 45, 3ºB, 28014 Madrid", … "Calle Alcalá 45"), so a reply that
    /// repeats the address, whole or in part, can be found.
    /// </summary>
    public static IEnumerable<string> Addresses(string text)
    {
        foreach (Match m in AddressPattern().Matches(text))
        {
            var rest = text[m.Index..];
            var end = AddressEnd().Match(rest) is { Success: true } stop ? stop.Index : rest.Length;
            var words = rest[..Math.Min(end, MaxAddressLength)].Split(' ');
            var core = m.Value.TrimEnd(' ', ',', ';');
            for (var n = words.Length; n > 0; n--)
            {
                var prefix = string.Join(' ', words[..n]).TrimEnd(' ', ',', ';');
                if (prefix.Length <= core.Length) break;
                yield return prefix;
            }
            yield return core;
        }
    }

    private const int MaxAddressLength = 80;

    // Where an address's clause ends: a sentence's end, a line, or "y" / "and" starting a new one.
    [GeneratedRegex(@"[.?!\n]|\s(?:y|and|pero|but)\s")]
    private static partial Regex AddressEnd();

    /// <summary>Whether an answer asks the customer for their (new, full) address.</summary>
    public static bool AsksForAddress(string answer) => AsksForAddressPattern().IsMatch(answer);

    /// <summary>Whether an answer thanks for an address as if the customer had written one ("Gracias, ya tenemos la dirección nueva").</summary>
    public static bool AcknowledgesAddress(string answer) => AcknowledgesAddressPattern().IsMatch(answer);

    /// <summary>Whether an answer names the order number by a placeholder ("your order {{Order Number}}").</summary>
    public static bool NamesReference(string answer) =>
        Placeholders.Find(answer).Any(p => ReferenceKeys.Contains(Placeholders.Key(p.Name)));

    /// <summary>
    /// Whether an answer asks the customer for their order number ("Dinos el número de pedido", "please share your order
    /// number"): sent to a customer who already wrote it, it reads as if nobody read the message.
    /// </summary>
    public static bool AsksForReference(string answer)
    {
        // A placeholder right after the word for an order fills the number in ("una foto del pedido {{Número de pedido}}"):
        // it names the number; "provide the {{Order Number}}" still asks for it.
        var text = answer.Contains("{{", StringComparison.Ordinal) ? NamedReferencePattern().Replace(answer, "$1 X") : answer;
        return AsksForReferencePattern().IsMatch(text) || AsksForReferenceInListPattern().IsMatch(text);
    }

    [GeneratedRegex(@"(?i)\b(pedido|orden|compra|order|purchase|\#)\s*\{\{[^}]*\}\}")]
    private static partial Regex NamedReferencePattern();

    private static readonly HashSet<string> ReferenceKeys = [.. ReferenceNames.Select(Placeholders.Key)];

    /// <summary>
    /// The last run of 4+ letters and digits (at least one digit) written just after "order", "pedido", "orden", "invoice", "#"…
    /// A "please" may come between ("cancelar mi pedido porfa, el 47309").
    /// A bare "number" counts only before four to eight digits ("el número es 30977"): "my number is 600111222" is a phone
    /// number, not an order. Four digits that read as a
    /// year ("el pedido de 2024") do not count either; "order 5567" does.
    /// </summary>
    public static string? Reference(string text) => ReferencePattern().Matches(text).Select(m => m.Groups["ref"].Value)
        .LastOrDefault(r => !IsYear(r))
        // The order named first and its number in a sentence of its own: "¿lo pueden cancelar? Es el 80412", "it's 55120".
        ?? (OrderWordPattern().IsMatch(text) ? NumberOnItsOwnPattern().Matches(text).Select(m => m.Groups["ref"].Value).LastOrDefault(r => !IsYear(r)) : null);

    private static bool IsYear(string r) => r.Length == 4 && int.TryParse(r, out var year) && year is >= 1900 and <= 2099;

    [GeneratedRegex(@"(?i)\b(?:order|purchase|pedido|orden|compra)")]
    private static partial Regex OrderWordPattern();

    [GeneratedRegex(@"(?i)(?:^|[.?!,;:]\s*|\by\s+|\band\s+)(?:es\s+el|son\s+el|it'?s|it\s+is|the\s+number\s+is|el\s+n[uú]mero\s+es)\s*[:#]?\s*(?<ref>\d{4,12})\b")]
    private static partial Regex NumberOnItsOwnPattern();

    [GeneratedRegex(@"(?ix)(?:\b(?:order|purchase|invoice|bill|tracking|ref(?:erence)?|pedido|orden|compra|factura|seguimiento)|\#
        |\b(?:n[uú]mero|number)(?=[^\p{L}\p{N}]{0,3}(?:(?:is|es)\b[^\p{L}\p{N}]{0,3})?\d{4,8}\b))
        [^\p{L}\p{N}]{0,3}(?:(?:is|es|number|n[uú]mero|n[º°o]|id|de|del|con|el|la|porfa|porfis|por\s+favor|please|pls|plz)\b[^\p{L}\p{N}]{0,3}){0,3}
        (?<ref>(?=[A-Z0-9-]*[0-9])[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9])\b")]
    private static partial Regex ReferencePattern();

    // A verb that asks the customer for something, in either language. "Gracias por indicarnos…" and "thanks for sending…"
    // thank for what was given: the verb right after "por" / "for" does not ask.
    private const string AskingVerb = @"(?<!\b(?:por|for)\s)\b(?:share|provide|send|give|tell|let\s+(?:me|us)\s+know|confirm|include|have\s+your|need\s+your|need\s+the
        |d[ií]nos|dime|ind[ií]ca(?:nos|me)|env[ií]a(?:nos|me)|p[aá]sa(?:nos|me)|comp[aá]rte(?:nos|me)|escr[ií]be(?:nos|me)|fac[ií]l[ií]ta(?:nos|me)
        |conf[ií]rma(?:nos|me)|danos|m[aá]nda(?:nos|me)|(?:nos|me)\s+(?:das|dices|pasas|env[ií]as|mandas|indicas|facilitas|escribes|compartes|confirmas)
        |(?:escribir|indicar|enviar|mandar|pasar|facilitar|dar|decir|compartir|confirmar)(?:nos|me)|necesitamos|necesito|ind[ií]quenos|env[ií]enos
        |what(?:'s|\s+is)\s+your)\b";

    // An asking verb and the reference within one sentence, either order: "provide your order number", "¿Nos das el número
    // de pedido?", "the order or reference number associated with your refund"; "the order number, please send it" is rare
    // enough in knowledge to leave out.
    [GeneratedRegex(@"(?ix)" + AskingVerb + @"
        [^.?!\n]{0,60}?\b(?:(?:order|purchase|invoice|tracking|reference)\s+(?:or\s+(?:order|purchase|invoice|tracking|reference)\s+)?(?:number|id|no\.?)
           |n[uú]mero\s+de\s+(?:pedido|compra|factura|seguimiento|orden|referencia))
        # The last of several things to send, however far from the verb: Mándanos una foto … y de la etiqueta, junto con el número de pedido.
        |\b(?:junto\s+con|along\s+with|together\s+with)\s+(?:el|tu|su|your|the)\s+(?:n[uú]mero\s+de\s+(?:pedido|compra|orden)|order\s+(?:number|id))\b")]
    private static partial Regex AsksForReferencePattern();

    // "please provide me with the following details:\n1. Order or invoice number\n2. …": the request and the list are
    // sentences apart, which the pattern above does not cross.
    [GeneratedRegex(@"(?ix)\b(?:following|these|some|the\s+below)\s+(?:details|information|info)\b[^\n]{0,40}:\s*
        (?:[-*•]|\d+[.)])\s*\**\s*(?:your\s+|the\s+)?(?:order|purchase|invoice)\s+(?:or\s+\w+\s+)?(?:number|id|no\.?)")]
    private static partial Regex AsksForReferenceInListPattern();

    // "…y la nueva dirección completa", "provide your new shipping address"; "your address book" and "email address" are not.
    [GeneratedRegex(@"(?ix)" + AskingVerb + @"
        [^.?!\n]{0,60}?(?:\b(?:new|full|complete|correct|updated|shipping|delivery|postal)\s+(?:shipping\s+|delivery\s+)?address\b(?!\s+book)
        |\b(?:la|tu|su)\s+(?:nueva\s+|correcta\s+)?direcci[oó]n\b(?!\s+de\s+(?:correo|e-?mail))(?!\s+(?:de\s+)?facturaci[oó]n))")]
    private static partial Regex AsksForAddressPattern();

    [GeneratedRegex(@"(?ix)\b(?:gracias|thanks?|thank\s+you)\b[^.?!\n]{0,50}?\b(?<!(?:e-?mail|correo)\s)(?:direcci[oó]n|address)\b(?!\s+de\s+(?:correo|e-?mail))
        |\bya\s+tenemos\s+(?:la|tu|su)\s+(?:nueva\s+)?direcci[oó]n")]
    private static partial Regex AcknowledgesAddressPattern();

    // A street word and, within a few words, a house number: Spanish street types (also abbreviated) before the name,
    // English ones after it, with no function word between ("3 days on this road" is not one). A number alone
    // ("600111222") or a street word alone ("la calle") is not an address.
    [GeneratedRegex(@"(?ix)
        \b(?:calle|c/|avda\.?|avenida|av\.|plaza|pza\.?|paseo|p[º°]|camino|carretera|ctra\.?|ronda|traves[ií]a|glorieta|rambla|carrer|passeig|r[uú]a|urbanizaci[oó]n|urb\.)
            \s*[\p{L}\p{N}][^.?!\n]{0,40}?\b\d{1,4}\b
        |\b\d{1,5}[a-z]?,?\s+(?:(?!(?:on|this|that|the|a|an|of|my|your|for|in|to|at|and|or|days?|weeks?|hours?|times?|items?)\b)[\p{L}'’.-]+\s+){1,4}(?:street|st\.?|avenue|ave\.?|road|rd\.?|lane|ln\.?|drive|dr\.?|boulevard|blvd\.?|way|court|ct\.?|place|pl\.?|square|sq\.?|terrace|crescent|close|parkway|highway)\b
        |\b(?:(?:mi\s+)?nueva\s+direcci[oó]n|new\s+address)\s*(?:es|is|será|:)\s*[^.?!\n]{0,40}?\d")]
    private static partial Regex AddressPattern();
}
