using System.Globalization;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Localization;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Tests.Features.Localization;

public sealed class UiFormatTests
{
    private static readonly CultureInfo Es = new("es"), En = new("en");

    [Theory]
    [InlineData("es", 1, "1 entrada")]
    [InlineData("es", 0, "0 entradas")]
    [InlineData("es", 3580, "3.580 entradas")]
    [InlineData("en", 1, "1 entry")]
    [InlineData("en", 3580, "3,580 entries")]
    public void A_count_takes_the_plural_form_and_the_group_separator_of_the_ui_language(string culture, int n, string expected)
    {
        var pattern = culture == "es" ? "{0, plural, one {# entrada} other {# entradas}}" : "{0, plural, one {# entry} other {# entries}}";
        Assert.Equal(expected, UiFormat.Format(pattern, new CultureInfo(culture), n));
    }

    [Theory]
    [InlineData("es", 45, "45 s")]
    [InlineData("es", 60, "1 min")]
    [InlineData("es", 90, "1 min 30 s")]
    [InlineData("en", 3900, "1 h 5 min")]
    [InlineData("en", 3629, "1 h")]
    [InlineData("en", 0, "0 s")]
    public void A_duration_reads_with_its_units_in_both_languages(string culture, double seconds, string expected)
    {
        var l = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources")
            .BuildServiceProvider().GetRequiredService<IStringLocalizer<SharedResource>>();
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { Assert.Equal(expected, l.Duration(seconds)); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi); }
    }

    [Fact]
    public void Plural_blocks_mix_with_ordinary_placeholders_and_exact_matches()
    {
        Assert.Equal("¿Eliminar 1 entrada de Demo?", UiFormat.Format("¿Eliminar {0, plural, one {# entrada} other {# entradas}} de {1}?", Es, 1, "Demo"));
        Assert.Equal("ninguna", UiFormat.Format("{0, plural, =0 {ninguna} one {una} other {#}}", Es, 0));
        Assert.Equal("Faltan {{nombre}}", UiFormat.Format("Faltan {{nombre}}", Es));
    }

    [Fact]
    public void A_confidence_is_a_percentage_in_the_ui_language()
    {
        Assert.Equal("Confianza 80 %", string.Format(Es, "Confianza {0:P0}", 0.8).Replace('\u00A0', ' '));
        Assert.Equal("Confidence 80%", string.Format(En, "Confidence {0:P0}", 0.8));
    }

    [Fact]
    public async Task The_app_s_own_texts_are_written_again_in_spanish()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var l = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Es;
            Assert.Equal("Configuración inicial", ConfigTexts.Comment(ConfigTexts.InitialComment, l));
            Assert.Equal("Restaurada desde la versión 1", ConfigTexts.Comment(ConfigTexts.RestoredComment(1), l));
            Assert.Equal("Importada desde a.json (versión 3)", ConfigTexts.Comment(ConfigTexts.ImportedComment("a.json", 3), l));
            Assert.Equal("Tono más cálido", ConfigTexts.Comment("Tono más cálido", l)); // an Admin's own words stay
            Assert.Equal("la confianza no llega al umbral de envío automático", ConfigTexts.PolicyReason("below-auto-send-threshold", l));
            Assert.Equal("la política de la intención pide revisión", ConfigTexts.PolicyReason("intent-policy", l));
            Assert.Equal("el mensaje no trata de ninguna intención; lo revisa una persona", ConfigTexts.PolicyReason("no-intent", l));
            Assert.Equal("la respuesta tiene marcadores por rellenar", ConfigTexts.PolicyReason("placeholders", l));
            Assert.Equal("Identidad › Nombre del asistente", ConfigTexts.FieldLabel("identity.assistantName", l));
            Assert.Equal("Un saludo", IntentNames.OfDraft(null, "greeting", l));
            Assert.Equal("Sin intención", IntentNames.OfDraft(null, "out_of_knowledge", l));
            // The comparison names a field as its form does.
            Assert.Equal("Identidad › Persona e instrucciones de identidad", ConfigTexts.FieldLabel("identity.persona", l));
            Assert.Equal("Intenciones › cancel_order › Política", ConfigTexts.FieldLabel("intents.cancel_order.policy", l));
            Assert.Equal("La intención «Cancelar un pedido» obtuvo 0,812 frente a 0,400 de la segunda; similitud de la coincidencia más cercana 0,77; 1 entrada coincidente recuperada.",
                DraftReasoning.Text("Intent cancel_order scored 0.812 against 0.400 for the runner-up; closest match similarity 0.77; 1 matching entries retrieved.", l));
            Assert.Equal("Nada de la base de conocimiento se parece al mensaje (mejor similitud 0,31).",
                DraftReasoning.Text("Nothing in the knowledge base is close to the message (best similarity 0.31).", l));
            Assert.Equal("Una entrada de la base de conocimiento hace la misma pregunta (similitud 0,97); su respuesta es la del borrador.",
                DraftReasoning.Text("A knowledge entry asks the same question (similarity 0.97).", l));
            Assert.Equal("La intención «Opciones de entrega» obtuvo 0,600 frente a 0,300 de la segunda; similitud de la coincidencia más cercana 0,80; 2 entradas coincidentes recuperadas. " +
                "La respuesta menciona datos que el cliente no dio (Valencia, $160): revísala antes de enviarla.",
                DraftReasoning.Text("Intent delivery_options scored 0.600 against 0.300 for the runner-up; closest match similarity 0.80; 2 matching entries retrieved. " +
                    "(the answer names what the customer did not say: Valencia, $160)", l));
            // The question an answer leaves out has its own notice above the draft; the reasoning line says the rest.
            const string leftOut = "Intent check_payment_methods scored 0.765 against 0.427 for the runner-up; closest match similarity 0.79; " +
                "3 matching entries retrieved. (the answer names what the customer did not say: PayPal) (the message also asks: ¿y a meses sin intereses?)";
            Assert.Equal("¿y a meses sin intereses?", DraftReasoning.AlsoAsked(leftOut));
            Assert.EndsWith("La respuesta menciona datos que el cliente no dio (PayPal): revísala antes de enviarla.", DraftReasoning.Text(leftOut, l));
            Assert.Null(DraftReasoning.AlsoAsked("Small talk: greeting."));
            Assert.Equal("¿y a meses sin intereses?", DraftReasoning.AlsoAsked(leftOut + " (after fallback: gpt: timeout)"));
            Assert.EndsWith("El mensaje mezcla inglés y español: comprueba que la respuesta esté en el idioma del cliente antes de enviarla.",
                DraftReasoning.Text("Intent recover_password scored 0.700 against 0.300 for the runner-up; closest match similarity 0.80; " +
                    "2 matching entries retrieved. (the message mixes English and Spanish)", l));
            Assert.Equal("Conversación social: un saludo. Se responde sin la base de conocimiento.", DraftReasoning.Text("Small talk: greeting.", l));
            Assert.Equal("Conversación social: una pregunta sobre quién responde. Se responde sin la base de conocimiento.", DraftReasoning.Text("Small talk: identity.", l));
            Assert.Equal("integrado (conversación social)", ModelNames.Display(SmallTalk.ModelName, l));
            Assert.Equal("integrado (MiniLM-L6 y la base de conocimiento)", ModelNames.Display(BuiltInModel.ModelName, l));
            Assert.Equal("gpt-4o-mini", ModelNames.Display("gpt-4o-mini", l)); // an external model's own name
            Assert.Equal("Because the customer asked.", DraftReasoning.Text("Because the customer asked.", l)); // an external model's words
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }
}
