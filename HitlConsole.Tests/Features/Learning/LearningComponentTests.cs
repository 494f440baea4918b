using Bunit;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Learning;
using HitlConsole.Infrastructure.Tenancy;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Learning;

/// <summary>The learning screens name intents in the UI language; the code stays in the title (for an Admin) and in what is saved.</summary>
public sealed class LearningComponentTests : BunitHost
{
    private sealed class TheseIntents(params string[] names) : IWorkspaceIntents
    {
        public Task<IReadOnlySet<string>> NamesAsync(Guid tenantId, CancellationToken ct) => Task.FromResult<IReadOnlySet<string>>(names.ToHashSet());
    }

    public LearningComponentTests()
    {
        var tenant = new TenantContext();
        tenant.Set(Guid.NewGuid());
        Ctx.Services.AddSingleton(tenant);
        Ctx.Services.AddSingleton<IWorkspaceIntents>(new TheseIntents("payment_issue", "track_order"));
    }

    private static SuggestedKnowledge.Cluster Cluster(string? intent) => new([Guid.NewGuid()], "¿Por qué falla mi pago?", "Prueba con otra tarjeta.", intent, "es", 2,
        [], ["Ana"], [], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow, null);

    [Fact]
    public void A_suggested_lesson_shows_its_intent_by_name_and_the_form_offers_the_name_but_keeps_the_code()
    {
        UseCulture("es");
        var cut = Render<SuggestionCard>(p => p.Add(x => x.Cluster, Cluster("payment_issue"))
            .Add(x => x.Decide, _ => Task.FromResult<SuggestedKnowledge.Result?>(null)));

        var chip = cut.FindAll(".mud-chip").Single(c => c.GetAttribute("title") == "payment_issue");
        Assert.Contains("Problema con el pago", chip.TextContent);
        Assert.DoesNotContain("payment_issue", cut.Find("[data-testid=suggested-knowledge-row]").TextContent);

        cut.Find("[data-testid=suggested-knowledge-review]").Click();
        Assert.Equal("Problema con el pago", cut.Find("input[data-testid=lesson-intent]").GetAttribute("value"));
    }

    [Fact]
    public void An_intent_typed_by_its_name_is_stored_by_its_code_and_an_unknown_one_as_typed()
    {
        UseCulture("es");
        var field = Render<IntentField>(p => p.Add(x => x.Label, "Intención")).Instance;
        Assert.Equal("payment_issue", field.CodeOf("problema con el PAGO"));
        Assert.Equal("track_order", field.CodeOf("TRACK_ORDER"));
        Assert.Equal("gift_cards", field.CodeOf("gift_cards"));
    }

    [Fact]
    public void A_workspace_intent_is_found_by_its_code_in_any_case_its_name_in_either_language_or_its_readable_code()
    {
        string[] intents = ["payment_issue", "gift_cards"];
        Assert.Equal("payment_issue", HitlConsole.Features.Localization.IntentNames.IntentCodeOf("Problema con el pago", intents));
        Assert.Equal("payment_issue", HitlConsole.Features.Localization.IntentNames.IntentCodeOf("payment issue", intents));
        Assert.Equal("payment_issue", HitlConsole.Features.Localization.IntentNames.IntentCodeOf("PAYMENT_ISSUE", intents));
        Assert.Equal("gift_cards", HitlConsole.Features.Localization.IntentNames.IntentCodeOf("Gift cards", intents)); // the workspace's own
        // A known intent this workspace does not have, and any other text, stay as written.
        Assert.Equal("Track an order", HitlConsole.Features.Localization.IntentNames.IntentCodeOf("Track an order", intents));
        Assert.Equal("something else", HitlConsole.Features.Localization.IntentNames.IntentCodeOf("something else", intents));
    }
    [Fact]
    public void A_gap_labels_its_weeks_with_their_counts_and_dates()
    {
        UseCulture("es");
        var weeks = new KnowledgeGaps.Week[] { new(new DateOnly(2026, 11, 2), 0), new(new DateOnly(2026, 11, 9), 6), new(new DateOnly(2026, 11, 16), 3) };
        var gap = new KnowledgeGaps.Gap([Guid.NewGuid()], "¿Hacéis envoltorio para regalo?", "es", null, 9, 9, [], weeks, DateTime.UtcNow.AddDays(-20), DateTime.UtcNow);
        var cut = Render<GapCard>(p => p.Add(x => x.Gap, gap).Add(x => x.Close, (_, _) => Task.FromResult<KnowledgeGaps.Result?>(null)));

        var chart = cut.Find("[data-testid=knowledge-gap-weeks]");
        Assert.Equal("Preguntas por semana: 0, 6, 3", chart.GetAttribute("aria-label"));
        Assert.Equal(["0", "6", "3"], chart.QuerySelectorAll(".hitl-gap-week-count").Select(c => c.TextContent));
        Assert.Contains("2 nov", chart.QuerySelector("figcaption")!.TextContent);
        Assert.Contains("16 nov", chart.QuerySelector("figcaption")!.TextContent);
    }

    [Theory]
    [InlineData(9, 9, "sin respuesta en la base de conocimiento")]
    [InlineData(0, 1, "respondidas con poca confianza")] // a walk read "0 de 1 sin respuesta" as no gap at all
    [InlineData(2, 5, "2 de 5 sin respuesta en la base de conocimiento")]
    public void A_gap_says_why_its_questions_are_one(int outOfKnowledge, int count, string why)
    {
        UseCulture("es");
        var weeks = new KnowledgeGaps.Week[] { new(new DateOnly(2026, 11, 9), count) };
        var gap = new KnowledgeGaps.Gap([Guid.NewGuid()], "¿Hacéis envoltorio para regalo?", "es", null, count, outOfKnowledge, [], weeks, DateTime.UtcNow.AddDays(-20), DateTime.UtcNow);
        var cut = Render<GapCard>(p => p.Add(x => x.Gap, gap).Add(x => x.Close, (_, _) => Task.FromResult<KnowledgeGaps.Result?>(null)));

        Assert.Equal(why, cut.Find("[data-testid=knowledge-gap-why]").TextContent.Trim());
    }
}
