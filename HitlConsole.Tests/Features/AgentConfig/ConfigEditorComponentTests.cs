using Bunit;
using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.AgentConfig.Editors;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.AgentConfig;

/// <summary>The configuration editors show each validation message next to its field, in the user's language.</summary>
public sealed class ConfigEditorComponentTests : BunitHost
{
    private static AgentConfigDocument Doc() => AgentConfigDocument.Default("Acme");

    [Fact]
    public void Thresholds_in_the_wrong_order_are_explained_next_to_the_review_field_in_spanish()
    {
        UseCulture("es");
        var doc = Doc();
        doc.Thresholds.Review = 90;
        doc.Thresholds.AutoSend = 80;
        var cut = Render<ThresholdsEditor>(p => p.Add(x => x.Document, doc).Add(x => x.Errors, ConfigValidator.Validate(doc)));

        var review = cut.Find("[data-testid=config-review]");
        Assert.Contains("El umbral de revisión no puede superar al de envío automático.", review.Closest(".mud-input-control")!.TextContent);
        Assert.DoesNotContain("no puede superar", cut.Find("[data-testid=config-auto-send]").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void Typing_a_value_updates_the_document_and_tells_the_page()
    {
        var doc = Doc();
        var changed = 0;
        doc.Identity.Tone = "cheerful";
        var cut = Render<IdentityEditor>(p => p.Add(x => x.Document, doc).Add(x => x.Changed, () => changed++));

        cut.Find("input[data-testid=config-tone]").Input("playful");

        Assert.Equal("playful", doc.Identity.Tone);
        Assert.Equal(1, changed);
    }

    [Fact]
    public void In_spanish_the_shipped_identity_and_a_tone_preset_read_in_spanish_and_no_english_instruction_shows()
    {
        UseCulture("es");
        var doc = Doc(); // what a new workspace and the demo start from
        var cut = Render<IdentityEditor>(p => p.Add(x => x.Document, doc));

        Assert.Equal("Asistente", cut.Find("input[data-testid=config-assistant-name]").GetAttribute("value"));
        Assert.Equal("Eres un asistente de atención al cliente amable y preciso.", cut.Find("textarea[data-testid=config-persona]").TextContent.Trim());
        Assert.Contains("una tienda online", cut.Markup);
        Assert.Contains("Cálido y conciso", cut.Find("[data-testid=config-tone-preset]").Closest(".mud-input-control")!.OuterHtml);
        Assert.Empty(cut.FindAll("[data-testid=config-tone]")); // no raw "warm and concise" beside the preset
        foreach (var english in new[] { "Assistant", "an online shop", "You are a friendly", "warm and concise" })
            Assert.DoesNotContain(english, cut.Markup);
        Assert.Equal("warm and concise", doc.Identity.Tone); // the model still reads the instruction it was written as
    }

    [Fact]
    public void Editing_a_shipped_text_stores_what_was_typed_and_an_untouched_one_stays_as_shipped()
    {
        UseCulture("es");
        var doc = Doc();
        var shipped = doc.Identity.Persona;
        var cut = Render<IdentityEditor>(p => p.Add(x => x.Document, doc));

        cut.Find("input[data-testid=config-assistant-name]").Input("Ana");

        Assert.Equal("Ana", doc.Identity.AssistantName);
        Assert.Equal(shipped, doc.Identity.Persona);
        Assert.Equal(shipped, doc.ToSettings(1).Persona);
    }

    [Fact]
    public void The_comparison_shows_tone_presets_by_their_name_in_the_ui_language()
    {
        UseCulture("es");
        var a = Doc();
        var b = a.Clone();
        b.Identity.Tone = "formal and precise";
        var cut = Render<ConfigDiffTable>(p => p.Add(x => x.Fields, ConfigDiff.Compare(a, b)));

        var row = Assert.Single(cut.FindAll("[data-testid=diff-changed]"));
        Assert.Contains("Cálido y conciso", row.TextContent);
        Assert.Contains("Formal y preciso", row.TextContent);
        Assert.DoesNotContain("and", row.TextContent);
    }

    [Fact]
    public void A_neutral_reply_that_echoes_its_own_keyword_is_flagged_on_that_reply()
    {
        var doc = Doc();
        doc.Guardrails.NeutralReplies["Legal"]["en"] = "Please ask your lawyer.";
        var cut = Render<GuardrailsEditor>(p => p.Add(x => x.Document, doc).Add(x => x.Errors, ConfigValidator.Validate(doc)));

        Assert.Contains("echo", cut.Find("[data-testid=config-neutral-Legal-en]").Closest(".mud-input-control")!.TextContent);
        Assert.DoesNotContain("echo", cut.Find("[data-testid=config-neutral-Legal-es]").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void A_duplicate_intent_name_opens_its_panel_with_the_message()
    {
        var doc = Doc();
        doc.Intents[1].Name = doc.Intents[0].Name;
        var cut = Render<IntentsEditor>(p => p.Add(x => x.Document, doc).Add(x => x.Errors, ConfigValidator.Validate(doc)));

        Assert.Equal(doc.Intents.Count, cut.FindAll("[data-testid=config-intent]").Count);
        var open = Assert.Single(cut.FindAll(".mud-panel-expanded")); // only the panel with the error opens by itself
        Assert.Contains("Another intent already has this name.", open.TextContent);
        Assert.Contains(doc.Intents[1].Name, open.QuerySelector("input[data-testid=config-intent-name]")!.GetAttribute("value"));
    }

    [Fact]
    public void Intents_are_listed_by_their_name_in_the_ui_language_with_the_code_beside_it()
    {
        UseCulture("es");
        var doc = Doc();
        var cut = Render<IntentsEditor>(p => p.Add(x => x.Document, doc).Add(x => x.Errors, ConfigValidator.Validate(doc)));

        var payment = cut.FindAll("[data-testid=config-intent]").Single(i => i.QuerySelector("[data-testid=config-intent-code]")?.TextContent == "payment_issue");
        Assert.Equal("Problema con el pago", payment.QuerySelector("[data-testid=config-intent-title]")!.TextContent);
        Assert.DoesNotContain(cut.FindAll("[data-testid=config-intent-title]"), t => t.TextContent.Contains('_'));
        // In the order of their Spanish names, not of their codes.
        var titles = cut.FindAll("[data-testid=config-intent-title]").Select(t => t.TextContent).ToList();
        Assert.Equal(titles.Order(StringComparer.Create(new System.Globalization.CultureInfo("es"), true)), titles);
        Assert.NotEqual(doc.Intents.Select(i => i.Name), cut.FindAll("[data-testid=config-intent-code]").Select(c => c.TextContent));
    }

    [Fact]
    public void In_spanish_a_shipped_intent_description_reads_in_spanish_and_an_admins_own_is_shown_as_written()
    {
        UseCulture("es");
        var doc = Doc();
        doc.Intents.Single(i => i.Name == "complaint").Description = "Quejas de clientes VIP";
        var cut = Render<IntentsEditor>(p => p.Add(x => x.Document, doc).Add(x => x.Errors, ConfigValidator.Validate(doc)));

        // A word only the Spanish description holds finds its intent; the English one would not.
        cut.Find("input").Input("reembolso ya solicitado");
        cut.WaitForAssertion(() => Assert.Equal("track_refund", Assert.Single(cut.FindAll("[data-testid=config-intent-code]")).TextContent));
        cut.FindAll(".mud-expand-panel-header")[0].Click();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("input"), i => i.GetAttribute("value") == "El cliente pregunta cómo va un reembolso ya solicitado."));
        Assert.DoesNotContain(cut.FindAll("input"), i => i.GetAttribute("value")?.StartsWith("The customer", StringComparison.Ordinal) == true);
        Assert.Equal("The customer asks about the progress of a refund already requested.", doc.Intents.Single(i => i.Name == "track_refund").Description);

        cut.Find("input").Input("VIP");
        cut.WaitForAssertion(() => Assert.Equal("complaint", Assert.Single(cut.FindAll("[data-testid=config-intent-code]")).TextContent));

        // The comparison of two versions shows the shipped description in Spanish too, beside the Admin's own.
        var diff = Render<ConfigDiffTable>(p => p.Add(x => x.Fields, ConfigDiff.Compare(Doc(), doc)));
        Assert.Contains("El cliente no está contento y quiere quejarse", diff.Markup);
        Assert.Contains("Quejas de clientes VIP", diff.Markup);
        Assert.DoesNotContain("The customer is unhappy", diff.Markup);
    }

    [Fact]
    public void The_comparison_lists_changes_first_and_unchanged_fields_on_request()
    {
        var a = Doc();
        var b = a.Clone();
        b.Identity.Tone = "formal and precise";
        var cut = Render<ConfigDiffTable>(p => p.Add(x => x.Fields, ConfigDiff.Compare(a, b)).Add(x => x.LeftTitle, "v1").Add(x => x.RightTitle, "v2"));

        var row = Assert.Single(cut.FindAll("[data-testid=diff-changed]"));
        Assert.Contains("Identity › Tone", row.TextContent); // the field in words, the path only as its tooltip
        Assert.Equal("identity.tone", row.QuerySelector("td")!.GetAttribute("title"));
        Assert.Empty(cut.FindAll("[data-testid=diff-same]"));
        cut.Find("input[type=checkbox]").Change(true);
        Assert.True(cut.FindAll("[data-testid=diff-same]").Count > 50);
    }
}
