using HitlConsole.Features.Pipeline;
using HitlConsole.Features.Ai;

namespace HitlConsole.Tests.Features.Pipeline;

public sealed class PlaceholdersTests
{
    [Fact]
    public void Placeholders_are_found_with_their_name_and_place_whatever_the_spacing()
    {
        const string text = "Call {{ Customer Support Phone Number }} or open {{Website URL}}.";
        var found = Placeholders.Find(text);
        Assert.Equal(["Customer Support Phone Number", "Website URL"], found.Select(p => p.Name));
        Assert.Equal("{{ Customer Support Phone Number }}", text.Substring(found[0].Index, found[0].Length));
        Assert.Equal("{{Website URL}}", text.Substring(found[1].Index, found[1].Length));
        Assert.Empty(Placeholders.Find("We are open 9:00 to 18:00 {weekdays}."));
    }

    [Fact]
    public void The_excerpt_shows_each_placeholder_with_its_neighbourhood_not_the_whole_reply()
    {
        var filler = string.Join(" ", Enumerable.Range(1, 40).Select(i => $"word{i}"));
        var longReply = filler + " your order {{Order Number}} ships today, " + filler + " or call {{Phone}}. " + filler;
        var pieces = Placeholders.Excerpt(longReply, words: 3);
        var shown = string.Concat(pieces.Select(p => p.Text));
        Assert.Equal(["{{Order Number}}", "{{Phone}}"], pieces.Where(p => p.Placeholder is not null).Select(p => p.Text));
        // Whole words either side, never a word cut in half, one "…" for each gap.
        Assert.Equal("… word40 your order {{Order Number}} ships today, word1 … word40 or call {{Phone}}. word1 word2 word3 …", shown);

        // The case a reviewer met: a placeholder near the start of a long sentence.
        var sentence = "Hola {{customer_name}}, tu pedido 1 salió ayer del almacén y llegará en dos o tres días laborables a tu dirección.";
        Assert.Equal("Hola {{customer_name}}, tu pedido 1 salió ayer del …",
            string.Concat(Placeholders.Excerpt(sentence, words: 6).Select(p => p.Text)));

        // Placeholders close together keep the text between them; a short reply is shown whole.
        Assert.Equal("Hi {{Name}}, order {{Order Number}} is late.", string.Concat(Placeholders.Excerpt("Hi {{Name}}, order {{Order Number}} is late.").Select(p => p.Text)));
        Assert.Empty(Placeholders.Excerpt("Nothing to fill."));
    }

    [Fact]
    public void A_template_label_in_brackets_is_a_placeholder_filled_or_held_like_one_in_braces()
    {
        // Imported answers carry labels such as "[Customer Support Phone Number]"; sent unfilled, the customer reads the label.
        const string text = "Call us on [Customer Support Phone Number] or write to [Refund Form Address], see note [1] [sic].";
        Assert.Equal(["Customer Support Phone Number", "Refund Form Address"], Placeholders.Find(text).Select(p => p.Name));
        var values = new Dictionary<string, string> { ["Customer Support Phone Number"] = "+1 555 0100" };
        Assert.Equal("Call us on +1 555 0100 or write to [Refund Form Address], see note [1] [sic].", Placeholders.Fill(text, values));
        Assert.Equal(["Refund Form Address"], Placeholders.Unresolved(text, values).Select(p => p.Name));
        Assert.Equal("Call us on {{Customer Support Phone Number}} or write to {{Refund Form Address}}, see note [1] [sic].",
            Placeholders.InBraces(text));

        // A person's own brackets are text: one word, lower case, digits, or a line break inside.
        Assert.False(Placeholders.Any("Your parcel [tracked] arrives [Monday], ref [A 12] or [see below]."));
        Assert.False(Placeholders.Any("[Order\nNumber]"));
    }

    [Fact]
    public void Names_match_ignoring_case_accents_and_spaces()
    {
        var values = new Dictionary<string, string> { ["Customer Support Phone Number"] = "+1 555 0100", ["Número de pedido"] = "A-12345" };
        Assert.Equal("Call +1 555 0100 about A-12345.",
            Placeholders.Fill("Call {{customer  support phone number}} about {{ NUMERO DE PEDIDO }}.", values));
    }

    [Fact]
    public void An_unknown_or_empty_placeholder_stays_for_the_reviewer()
    {
        var values = new Dictionary<string, string> { ["Website Name"] = "", ["Live Chat"] = "live chat" };
        Assert.Equal("Use {{Website Name}} or live chat, not {{Refund Form}}.",
            Placeholders.Fill("Use {{Website Name}} or {{Live Chat}}, not {{Refund Form}}.", values));
        Assert.True(Placeholders.Any(Placeholders.Fill("{{Refund Form}}", values)));
    }

    [Fact]
    public void Merging_keeps_the_first_source_for_a_name_both_know()
    {
        var merged = Placeholders.Merge(new Dictionary<string, string> { ["Order Number"] = "111111" },
            new Dictionary<string, string> { ["order number"] = "222222", ["Website Name"] = "Shop" });
        Assert.Equal("111111 Shop", Placeholders.Fill("{{Order Number}} {{Website Name}}", merged));
    }

    [Theory]
    [InlineData("my order number is 732201349959, where is it?", "732201349959")]
    [InlineData("Order #A-55821 never arrived", "A-55821")]
    [InlineData("mi número de pedido es 00123842", "00123842")]
    [InlineData("quiero la factura de la compra 45678", "45678")]
    [InlineData("invoice no. INV20931 is wrong", "INV20931")]
    [InlineData("my number is 600111222, call me", null)]
    [InlineData("I ordered 3 items on 12/05", null)]
    [InlineData("where is my order?", null)]
    [InlineData("Hi, order 5567 still hasn't shipped", "5567")]
    [InlineData("el pedido de 2024 nunca llegó", null)]
    [InlineData("order 12 is late", null)]
    // "Orden" is the Latin American word for an order.
    [InlineData("¿me pasan el seguimiento de la orden 48877?", "48877")]
    [InlineData("Es la orden #49002, gracias", "49002")]
    // A bare "número" before a short number names the order; before nine digits it is a phone.
    [InlineData("¿Se puede cancelar todavía? El número es 30977", "30977")]
    [InlineData("la compra es la 72365", "72365")]
    [InlineData("mi número es 600111222", null)]
    [InlineData("quiero cancelar mi pedido porfa, el 47309", "47309")]
    [InlineData("cancel my order please, 47750", "47750")]
    [InlineData("Hi, I returned my order #88231 two weeks ago and still have not received my refund.", "88231")]
    // The order named first, its number in a sentence of its own; without an order word, a number alone is nothing.
    [InlineData("Hice un pedido hace un rato por error, ¿lo pueden cancelar? Es el 80412", "80412")]
    [InlineData("I want to cancel my order. It's 55120", "55120")]
    [InlineData("¿Me llamáis? Es el 600111222", null)]
    [InlineData("mi pedido no llega. Es el 2024 y sigo esperando", null)]
    public void The_order_number_is_read_only_next_to_an_order_word(string text, string? expected) =>
        Assert.Equal(expected, ConversationFacts.Reference(text));

    [Theory]
    [InlineData("¡Vamos a localizarlo! Dinos el número de pedido y miramos en qué punto está.", true)]
    [InlineData("Sigue tu pedido en Mis pedidos. ¿Nos das el número de pedido para revisarlo contigo?", true)]
    [InlineData("Por supuesto. Indícanos el número de pedido y te enviaremos la factura.", true)]
    [InlineData("Could you please provide your order number so I can check it?", true)]
    [InlineData("Please share the order number and we will look into it.", true)]
    [InlineData("Revisamos ahora mismo el pedido {{Número de pedido}} con el transportista.", false)]
    [InlineData("Mándanos una foto del producto y del embalaje del pedido {{Número de pedido}}; no hace falta devolverlo.", false)]
    [InlineData("Could you please provide the {{Order Number}} so I can check it?", true)]
    [InlineData("Your order number is shown in the confirmation email.", false)]
    [InlineData("Log in, go to Order History and click the order number to see its status.", false)]
    [InlineData("El número de pedido aparece en el correo de confirmación.", false)]
    [InlineData("¿Me indicas el número de pedido para ver dónde está?", true)]
    [InlineData("Si quieres, también puedes escribirnos el número de pedido y lo revisamos.", true)]
    [InlineData("What's your order number? I'll look it up.", true)]
    [InlineData("To help, please provide me with the following details:\n1. Order or invoice number\n2. Reason for the refund", true)]
    [InlineData("please provide me with the following details:\n- Order number: {{Order Number}}\n- Date of purchase", true)]
    [InlineData("You will find the following details:\nthe order summary and the invoice number of each purchase.", false)]
    // A walk: "Hi, I returned my order #88231 … When will I get it?" was asked for it again in these words.
    [InlineData("To provide you with accurate information, could you please provide me with the order or reference number associated with your refund?", true)]
    [InlineData("¿Nos indicas el número de referencia de la devolución?", true)]
    [InlineData("Your reference number is in the refund email.", false)]
    [InlineData("Mándanos una foto del artículo que recibiste y de la etiqueta del paquete, junto con el número de pedido, y te enviamos la talla correcta.", true)]
    [InlineData("Send us a photo of the item you received and of the parcel's label, along with your order number.", true)]
    public void An_answer_that_asks_for_the_order_number_is_told_apart(string answer, bool asks) =>
        Assert.Equal(asks, ConversationFacts.AsksForReference(answer));

    [Theory]
    [InlineData("Me he mudado, cambiad la dirección de mi pedido 99812 a Calle Mayor 5, Madrid", true)]
    [InlineData("envíalo a c/ Sol 3, 2ºB, Sevilla porfa", true)]
    [InlineData("Cambiad mi dirección a Avenida de la Constitución 12, 3ºB", true)]
    [InlineData("mi nueva dirección es Rúa do Vilar 14, Santiago", true)]
    [InlineData("Please change the shipping address of order 55671 to 12 Baker Street, London", true)]
    [InlineData("I moved. My new address is 221B Baker Street, London NW1", true)]
    [InlineData("ship it to 4500 N Lincoln Ave, Chicago", true)]
    [InlineData("Quiero cambiar la dirección de envío de mi pedido 99812", false)]
    [InlineData("vivo en la calle de al lado y no me llega nada", false)]
    [InlineData("I need to change my shipping address for order 12345", false)]
    [InlineData("my number is 600 111 222", false)]
    [InlineData("I waited 3 days on this road trip of an order", false)]
    public void An_address_the_customer_wrote_is_told_apart(string text, bool gives) =>
        Assert.Equal(gives, ConversationFacts.GivesAddress(text));

    [Theory]
    [InlineData("Envíanos el número de pedido y la nueva dirección completa (calle, número, piso) y te confirmamos el cambio.", true)]
    [InlineData("Dinos el número de pedido y la nueva dirección completa, incluido el código postal.", true)]
    [InlineData("Indícanos el número de pedido y la dirección correcta: si todavía no ha salido, la cambiamos.", true)]
    [InlineData("Please provide the new shipping address and we will update it.", true)]
    [InlineData("Could you share your full address, including the ZIP code?", true)]
    [InlineData("¡Gracias por indicarnos la nueva dirección! Si el pedido aún no ha salido, la cambiamos ahora.", false)]
    [InlineData("Guarda la nueva dirección en el apartado Direcciones de tu cuenta.", false)]
    [InlineData("Please confirm your email address so we can send the receipt.", false)]
    [InlineData("Update your address book under Account Settings.", false)]
    [InlineData("Dinos la dirección de correo de tu cuenta.", false)]
    public void An_answer_that_asks_for_the_address_is_told_apart(string answer, bool asks) =>
        Assert.Equal(asks, ConversationFacts.AsksForAddress(answer));

    [Theory]
    [InlineData("¡Gracias por indicarnos la nueva dirección! Si el pedido aún no ha salido, la cambiamos.", true)]
    [InlineData("Gracias, ya tenemos la dirección nueva. Dinos el número de pedido.", true)]
    [InlineData("Thanks for sending your new address, we will update the order.", true)]
    [InlineData("Envíanos el número de pedido y la nueva dirección completa.", false)]
    [InlineData("Thank you for reaching out. Please provide the new shipping address.", false)]
    [InlineData("Thanks for your e-mail address, we'll check it is the one on your account.", false)] // an e-mail, not where to deliver
    public void An_answer_that_takes_an_address_for_given_is_told_apart(string answer, bool acknowledges) =>
        Assert.Equal(acknowledges, ConversationFacts.AcknowledgesAddress(answer));

    [Theory]
    // A walk: "Necesito la factura del pedido 77881 con mi NIF 12345678Z para la empresa" was asked for "la razón social y el número fiscal".
    [InlineData("Necesito la factura del pedido 77881 con mi NIF 12345678Z para la empresa, por favor", true)]
    [InlineData("invoice please, our VAT number is GB123456789", true)]
    [InlineData("mi CUIT es 20-12345678-9", true)]
    [InlineData("¿necesitáis mi NIF para la factura?", false)] // asks, does not give
    [InlineData("la factura a nombre de la empresa, ¿qué datos fiscales hacen falta?", false)]
    public void A_customer_who_gives_a_tax_number_is_told_apart(string text, bool gives) =>
        Assert.Equal(gives, ConversationFacts.GivesTaxId(text));

    [Theory]
    [InlineData("Si la necesitas a nombre de una empresa, dinos la razón social y el número fiscal.", true)]
    [InlineData("Please send us your VAT number and the company name.", true)]
    [InlineData("Indícanos tus datos fiscales y te la enviamos.", true)]
    [InlineData("La factura incluye tu NIF si lo guardaste en tu cuenta.", false)]
    public void An_answer_that_asks_for_a_tax_number_is_told_apart(string answer, bool asks)
    {
        Assert.Equal(asks, ConversationFacts.AsksForTaxId(answer));
        Assert.Equal(asks, ConversationFacts.GivenIn("con mi NIF 12345678Z", []).AskedAgainBy(answer));
    }

    [Theory]
    // Probe 10: "Olvidé poner el cupón … ¿me lo pueden aplicar igual? Es BIENVENIDA10" was answered "Dinos el código".
    [InlineData("Olvidé poner el cupón de descuento cuando compré ayer, ¿me lo pueden aplicar igual? Es BIENVENIDA10", true)]
    [InlineData("code summer20 isn't working, says invalid", true)]
    [InlineData("Hola! Tengo el código VERANO15 pero me dice que no es válido", true)]
    [InlineData("my discount code doesn't work at checkout", false)] // names no code
    [InlineData("the postcode on order ABC12345 is wrong", false)]
    [InlineData("el código postal de mi pedido 48213 está mal", false)]
    [InlineData("invoice please, our VAT number is GB123456789", false)]
    public void A_customer_who_gives_a_discount_code_is_told_apart(string text, bool gives) =>
        Assert.Equal(gives, ConversationFacts.GivesCode(text));

    [Theory]
    [InlineData("We're checking the conditions and validity of the code you sent us today.", true)]
    [InlineData("Revisamos hoy las condiciones y la validez del código que nos has escrito.", true)]
    [InlineData("Cada código tiene sus condiciones y fechas de validez.", false)]
    public void An_answer_that_takes_a_discount_code_for_given_is_told_apart(string answer, bool acknowledges) =>
        Assert.Equal(acknowledges, ConversationFacts.AcknowledgesCode(answer));

    [Theory]
    // Probes 10 and 11: "…no me llega ningún correo. Mi mail es lucia.fdez@hotmail.com" was asked for the e-mail it gave.
    [InlineData("Dinos el correo que estás escribiendo y comprobamos que es el registrado en tu cuenta.", true)]
    [InlineData("If it still doesn't arrive, tell us your e-mail address and we will send it ourselves.", true)]
    [InlineData("Te enviamos la factura por correo en unos minutos.", false)]
    [InlineData("We'll send you an e-mail with the tracking link once it ships.", false)]
    public void An_answer_that_asks_for_the_e_mail_address_is_told_apart(string answer, bool asks)
    {
        Assert.Equal(asks, ConversationFacts.AsksForEmail(answer));
        Assert.Equal(asks, ConversationFacts.GivenIn("Never got the reset email, tried 3 times. my email is j.harper88@gmail.com", []).AskedAgainBy(answer));
        Assert.False(ConversationFacts.GivenIn("Never got the reset email, tried 3 times", []).AskedAgainBy(answer));
    }

    [Theory]
    // Probe 10: "Can you send me an invoice for order 48876 please" was answered with the company invoice.
    [InlineData("Can you send me an invoice for order 48876 please", "We'll issue the invoice for order {{Order Number}} in your company's name.", true)]
    [InlineData("need an invoice for order 66789 for my expenses pls", "Emitimos la factura a nombre de tu empresa.", true)]
    [InlineData("I need a VAT invoice for my company, order 68112", "We'll issue the invoice for order {{Order Number}} in your company's name.", false)]
    [InlineData("factura a nombre de mi empresa para el pedido 66120", "Emitimos la factura a nombre de tu empresa.", false)]
    [InlineData("Can you send me an invoice for order 48876 please", "We're sending the invoice for order {{Order Number}} to your e-mail.", false)]
    public void An_invoice_in_a_company_s_name_fits_only_a_customer_who_buys_for_one(string text, string answer, bool misfit) =>
        Assert.Equal(misfit, !ConversationFacts.GivenIn(text, []).Company && ConversationFacts.ForACompany(answer));

    [Theory]
    [InlineData("We'll issue the invoice in your company's name with the tax number you gave us.", true)]
    [InlineData("Emitimos la factura a nombre de tu empresa con el número fiscal que nos has indicado.", true)]
    [InlineData("Dinos la razón social y el número fiscal.", false)]
    public void An_answer_that_takes_a_tax_number_for_given_is_told_apart(string answer, bool acknowledges) =>
        Assert.Equal(acknowledges, ConversationFacts.AcknowledgesTaxId(answer));

    [Theory]
    [InlineData("Perdona la confusión. Dinos el código y, si puedes, reenvíanos el correo donde lo recibiste.", true)]
    [InlineData("Tell us the code and the message you see at checkout, and we'll check it today.", true)]
    [InlineData("Envíanos el número de pedido y la nueva dirección completa, con el código postal.", false)]
    [InlineData("Escribe el código tal cual, sin espacios.", false)] // an instruction, not a question to us
    public void An_answer_that_asks_for_the_discount_code_is_told_apart(string answer, bool asks)
    {
        Assert.Equal(asks, ConversationFacts.AsksForCode(answer));
        Assert.Equal(asks, ConversationFacts.GivenIn("el cupón VERANO15 no funciona", []).AskedAgainBy(answer));
    }

    [Theory]
    [InlineData("ya os mandé fotos ayer, ¿cuándo me devolvéis el dinero?", true)]
    [InlineData("Os envié las fotos del paquete roto por WhatsApp", true)]
    [InlineData("te adjunto una foto de la caja", true)]
    [InlineData("en las fotos que os mandé se ve el golpe", true)]
    [InlineData("aquí tenéis las fotos", true)]
    [InlineData("I already sent pictures of the damage yesterday", true)]
    [InlineData("see attached photo of the broken lamp", true)]
    [InlineData("the photos I sent show the box was crushed", true)]
    [InlineData("no os mandé fotos porque no tengo cámara", false)]
    [InlineData("I haven't sent photos yet, where do I send them?", false)]
    [InlineData("¿puedo mandar una foto del daño?", false)]
    [InlineData("can I send a picture of the damage?", false)]
    [InlineData("the product photos on your site are misleading", false)]
    // Offering to send them is a question, not a photo sent.
    [InlineData("el jarrón venía roto 😢 les mando fotos? pedido 58302", false)]
    [InlineData("¿os paso las fotos por aquí?", false)]
    [InlineData("Les mando fotos del daño, ¿me devolvéis el dinero?", true)]
    public void A_customer_who_says_they_sent_photos_is_told_apart(string text, bool sent) =>
        Assert.Equal(sent, ConversationFacts.SentPhoto(text));

    [Theory]
    [InlineData("¡Vaya, lo sentimos mucho! Mándanos una foto del daño y te devolvemos el importe.", true)]
    [InlineData("Envíanos el número de pedido y unas fotos del producto y del embalaje.", true)]
    [InlineData("Please attach a picture of the damaged item to your reply.", true)]
    [InlineData("Could you send us a photo of the label?", true)]
    [InlineData("Gracias por las fotos: ya hemos abierto la reclamación.", false)]
    [InlineData("Thanks for the pictures, we have started your refund.", false)]
    public void An_answer_that_asks_for_a_photo_is_told_apart(string answer, bool asks) =>
        Assert.Equal(asks, ConversationFacts.AsksForPhoto(answer));

    [Theory]
    [InlineData("¿Cuál es vuestro teléfono de atención al cliente?", true)]
    [InlineData("what is your customer service phone number?", true)]
    [InlineData("¿os puedo llamar?", true)]
    [InlineData("can I call you tomorrow?", true)]
    [InlineData("mi teléfono no carga desde que lo compré", false)]
    [InlineData("my phone arrived with a broken screen", false)]
    [InlineData("¿dónde está mi pedido?", false)]
    public void A_customer_asking_for_a_number_to_call_is_told_apart(string text, bool wants) =>
        Assert.Equal(wants, ConversationFacts.GivenIn(text, []).WantsPhone);

    [Fact]
    public void An_answer_names_the_order_number_by_any_of_its_placeholder_names()
    {
        Assert.True(ConversationFacts.NamesReference("cancel order {{Order Number}} now"));
        Assert.True(ConversationFacts.NamesReference("el pedido {{Número de pedido}}"));
        Assert.False(ConversationFacts.NamesReference("call {{Customer Support Phone Number}}"));
        Assert.True(ConversationFacts.GivenIn("¿y cuándo llega?", ["hola", "es el pedido 55120"]).Reference);
        Assert.False(ConversationFacts.GivenIn("¿y cuándo llega?", ["hola"]).Reference);
    }

    [Fact]
    public void The_newest_reference_and_the_customers_name_answer_to_all_their_names()
    {
        var facts = ConversationFacts.Of("Rosa", ["order 11111 is late", "sorry, I meant order 22222"]);
        Assert.Equal("Rosa, 22222 / 22222 / 22222",
            Placeholders.Fill("{{Customer Name}}, {{Order Number}} / {{Purchase ID Anonymized}} / {{Número de pedido}}", facts));
        Assert.Empty(ConversationFacts.Of(null, ["hello"]));
    }

    [Fact]
    public void A_first_name_placeholder_gets_the_first_word_of_the_name_and_never_a_phone_number()
    {
        var facts = ConversationFacts.Of("María José López", []);
        Assert.Equal("Hola María, María José López", Placeholders.Fill("Hola {{first_name}}, {{Customer Name}}", facts));
        Assert.Equal("Hi María", Placeholders.Fill("Hi {{Customer First Name}}", facts));
        Assert.Equal("Hi {{first_name}}", Placeholders.Fill("Hi {{first_name}}", ConversationFacts.Of("+34 600 111 222", [])));
    }

    [Fact]
    public void A_value_missing_in_one_language_borrows_the_other_only_when_it_reads_the_same_in_both()
    {
        var variables = new WorkspaceVariables([
            ("Customer Support Phone Number", new Dictionary<string, string> { ["en"] = "+1 555 0100", ["es"] = "" }),
            ("Customer Support Email", new Dictionary<string, string> { ["en"] = "help@shop.example" }),
            ("Customer Support Availability", new Dictionary<string, string> { ["en"] = "Monday to Friday", ["es"] = "" }),
        ]);
        var es = variables.For("es");
        Assert.Equal("+1 555 0100", es["Customer Support Phone Number"]);
        Assert.Equal("help@shop.example", es["Customer Support Email"]);
        Assert.False(es.ContainsKey("Customer Support Availability"));
        Assert.Equal("Monday to Friday", variables.For("en")["Customer Support Availability"]);
    }
}
