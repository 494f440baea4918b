using Bunit;
using HitlConsole.Features.Analytics;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Analytics;

public sealed class AnalyticsComponentTests : BunitHost
{
    [Fact]
    public void A_kpi_shows_its_value_in_the_ui_culture_and_the_change_against_the_previous_period()
    {
        UseCulture("es");
        var up = Render<KpiCard>(p => p.Add(x => x.Label, "Borradores").Add(x => x.Value, 1500).Add(x => x.Previous, 1200));
        Assert.Equal("1.500", up.Find("[data-testid=kpi-value]").TextContent.Trim());
        // The previous figure beside the change, so a rise from almost nothing reads as one.
        Assert.Equal("▲ 25 % (antes 1.200)", up.Find("[data-testid=kpi-change]").TextContent.Trim().Replace('\u00A0', ' '));

        var down = Render<KpiCard>(p => p.Add(x => x.Label, "Mediana").Add(x => x.Value, 90).Add(x => x.Previous, 120).Add(x => x.Seconds, true));
        Assert.Equal("1 min 30 s", down.Find("[data-testid=kpi-value]").TextContent.Trim());
        Assert.Contains("▼ 25 % (antes 2 min)", down.Find("[data-testid=kpi-change]").TextContent.Replace('\u00A0', ' '));

        // No change is neither good nor bad: no arrow, not green.
        var flat = Render<KpiCard>(p => p.Add(x => x.Label, "Entrantes").Add(x => x.Value, 1000).Add(x => x.Previous, 999));
        var change = flat.Find("[data-testid=kpi-change]");
        Assert.StartsWith("0 % (antes 999)", change.TextContent.Trim().Replace('\u00A0', ' '));
        Assert.Equal("flat", change.GetAttribute("data-trend"));
        Assert.DoesNotContain("mud-success-text", change.ClassName);

        // The colour follows whether the change is good news, not which way the arrow points.
        var moreExpired = Render<KpiCard>(p => p.Add(x => x.Label, "Caducados").Add(x => x.Value, 150).Add(x => x.Previous, 100).Add(x => x.Better, -1));
        Assert.Equal("bad", moreExpired.Find("[data-testid=kpi-change]").GetAttribute("data-verdict"));
        Assert.Contains("mud-error-text", moreExpired.Find("[data-testid=kpi-change]").ClassName);
        var fewerRejected = Render<KpiCard>(p => p.Add(x => x.Label, "Rechazados").Add(x => x.Value, 80).Add(x => x.Previous, 100).Add(x => x.Better, -1));
        Assert.Equal("good", fewerRejected.Find("[data-testid=kpi-change]").GetAttribute("data-verdict"));
        Assert.Contains("mud-success-text", fewerRejected.Find("[data-testid=kpi-change]").ClassName);
        Assert.Equal("neutral", up.Find("[data-testid=kpi-change]").GetAttribute("data-verdict")); // more drafts is neither
        Assert.DoesNotContain("mud-error-text", down.Find("[data-testid=kpi-change]").ClassName);

        var fresh = Render<KpiCard>(p => p.Add(x => x.Label, "Rechazados").Add(x => x.Value, 3).Add(x => x.Previous, 0));
        Assert.Empty(fresh.FindAll("[data-testid=kpi-change]")); // no previous data: no made-up percentage
        Assert.Equal("sin datos del periodo anterior", fresh.Find("[data-testid=kpi-no-previous]").TextContent.Trim()); // and said in words
    }

    [Fact]
    public void The_heatmap_darkens_with_volume_and_names_days_in_the_ui_culture()
    {
        UseCulture("es");
        var grid = new int[7, 24];
        grid[0, 9] = 10;
        grid[6, 23] = 5;
        var cut = Render<Heatmap>(p => p.Add(x => x.Grid, grid));
        var cells = cut.FindAll("td");
        Assert.Equal(7 * 24, cells.Count);
        Assert.Contains("rgba(89, 74, 226, 1.00)", cells[9].GetAttribute("style"));
        Assert.Contains("rgba(89, 74, 226, 0.54)", cells[6 * 24 + 23].GetAttribute("style"));
        Assert.Contains("0.08", cells[1].GetAttribute("style"));
        Assert.StartsWith("lun", cut.FindAll("tbody th")[0].TextContent);
    }

    [Fact]
    public void A_chart_with_nothing_in_the_range_shows_a_note_in_the_ui_language_instead_of_empty_axes()
    {
        UseCulture("es");
        var empty = Render<ChartCard>(p => p.Add(x => x.Title, "Confianza").Add(x => x.Export, "/x.csv").Add(x => x.TestId, "chart-confidence")
            .Add(x => x.Empty, true).AddChildContent("<svg data-testid='drawn'></svg>"));
        Assert.Contains("Todavía no hay nada que mostrar", empty.Find("[data-testid=chart-empty]").TextContent);
        Assert.Empty(empty.FindAll("[data-testid=drawn]"));
        Assert.Equal("/x.csv", empty.Find("[data-testid=chart-export]").GetAttribute("href")); // the CSV (headers only) stays available

        var drawn = Render<ChartCard>(p => p.Add(x => x.Title, "Confianza").Add(x => x.Export, "/x.csv").Add(x => x.TestId, "chart-confidence")
            .AddChildContent("<svg data-testid='drawn'></svg>"));
        Assert.Single(drawn.FindAll("[data-testid=drawn]"));
        Assert.Empty(drawn.FindAll("[data-testid=chart-empty]"));
    }
}
