using System.Globalization;
using HitlConsole.Features.Analytics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Tests.Features.Analytics;

/// <summary>The charts shaped from one overview, in English and Spanish, without a browser or a database.</summary>
public sealed class AnalyticsChartsTests
{
    private static readonly IStringLocalizer L = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources")
        .BuildServiceProvider().GetRequiredService<IStringLocalizer<SharedResource>>();

    private static Overview Sample(int days = 3)
    {
        var buckets = Enumerable.Range(0, days).Select(d => new DateTime(2026, 11, 5).AddDays(d)).ToList();
        var heatmap = new int[7, 24];
        heatmap[3, 10] = 4;
        return new Overview(
            new Kpis(40, 30, 5, 12, 8, 4, 1, 2, 95, Handled: 3, Waiting: 1), new Kpis(20, 15, 2, 6, 4, 2, 1, 0, null),
            new IntentSeries(false, buckets, [("order_status", Enumerable.Repeat(3, days).ToArray()), (AnalyticsBuckets.OtherIntents, Enumerable.Repeat(1, days).ToArray())]),
            [new IntentRate("order_status", 8, 4, 2, 1, 1)],
            [("order_status", [1, 2, 0, 0, 0])],
            [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5],
            Enumerable.Range(0, 24).Select(h => new ResponseByHour(h, h == 9 ? 3 : 0, h == 9 ? 90 : null, h == 9 ? 300 : null)).ToList(),
            heatmap);
    }

    private static double[] Values(MudBlazor.ChartSeries<double> series) => Enumerable.ToArray<double>(series.Data);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.6, 1)]
    [InlineData(1.6, 2)]  // eight at most: 0, 2, 4, 6, 8 rather than an axis to 20
    [InlineData(7, 10)]
    [InlineData(27.4, 50)]
    [InlineData(100, 100)]
    [InlineData(2_000, 2_000)]
    public void The_value_axis_steps_are_round_and_about_five_to_the_top(double rough, int step) =>
        Assert.Equal(step, ChartData.RoundStep(rough));

    [Fact]
    public void A_percentile_is_read_inside_its_bucket_so_one_response_more_moves_it_a_little()
    {
        // Ten responses between 10 and 30 min, then one of over 30 min besides: the bucket's upper bound alone read 30 min
        // both times, then jumped to 1 h with a second slow one.
        Assert.Equal(600 + 1200 * 0.9, AnalyticsFolds.Percentile([(6, 10)], 0.9)!.Value, 1);
        Assert.Equal(600 + 1200 * 0.99, AnalyticsFolds.Percentile([(6, 10), (7, 1)], 0.9)!.Value, 1);
        Assert.Equal(1800 + 1800 * 0.8 / 2, AnalyticsFolds.Percentile([(6, 10), (7, 2)], 0.9)!.Value, 1);
        Assert.Equal(5, AnalyticsFolds.Percentile([(0, 2)], 0.5)); // half of the 0–10 s bucket
        Assert.Equal(86400 * 2, AnalyticsFolds.Percentile([(12, 3)], 0.5)); // past the last bound: "more than a day"
        Assert.Null(AnalyticsFolds.Percentile([], 0.5));
    }

    [Fact]
    public void A_stacked_chart_steps_by_its_tallest_stack()
    {
        var edits = new ChartData(["a", "b"], [new() { Name = "x", Data = new double[] { 6, 1 } }, new() { Name = "y", Data = new double[] { 5, 1 } }]);
        Assert.Equal(2, edits.ValueStep());               // 6 alone: 1.2 → 2
        Assert.Equal(5, edits.ValueStep(stacked: true));  // 6 + 5: 2.2 → 5
    }

    private static T InCulture<T>(string culture, Func<T> shape)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return shape(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi); }
    }

    [Theory]
    [InlineData("en", "5 Nov", "Inbound messages", "Approved unchanged", "1–10 characters", "Median")]
    [InlineData("es", "5 nov", "Mensajes recibidos", "Aprobados sin cambios", "1–10 caracteres", "Mediana")]
    public void Labels_and_series_names_follow_the_ui_language(string culture, string firstDay, string inbound, string approved, string edits, string median)
    {
        var charts = InCulture(culture, () => AnalyticsCharts.From(Sample(), L));

        Assert.Equal(firstDay, charts.Intents.Labels[0]);
        Assert.Equal(inbound, charts.Outcomes.Labels[0]);
        Assert.Equal(approved, charts.Rates.Series[0].Name);
        Assert.Equal(edits, charts.Edits.Series[1].Name);
        Assert.Equal(median, charts.Response.Series[0].Name);
    }

    [Theory]
    [InlineData("en", "Today")]
    [InlineData("es", "Hoy")]
    public void A_range_that_ends_today_labels_its_last_day_as_counted_until_now(string culture, string label)
    {
        var (today, ended) = InCulture(culture, () => (AnalyticsCharts.From(Sample(30), L, todaySoFar: true), AnalyticsCharts.From(Sample(30), L)));

        Assert.Equal(label, today.Intents.Labels[^1]);
        Assert.Equal(ended.Intents.Labels[..^4], today.Intents.Labels[..^4]);
        Assert.All(today.Intents.Labels[^4..^1], l => Assert.Equal("", l)); // the sparse date label before it would overlap it
        Assert.NotEqual(label, ended.Intents.Labels[^1]);
    }

    [Theory]
    [InlineData("en", "No intent", "Other intents", "Other")]
    [InlineData("es", "Sin intención", "Otras intenciones", "Otros")]
    public void Drafts_without_an_intent_the_smaller_intents_together_and_an_intent_named_other_each_have_a_name_of_their_own(
        string culture, string none, string rest, string literal)
    {
        var sample = Sample();
        var days = sample.Intents.Buckets.Count;
        var overview = sample with
        {
            Intents = sample.Intents with
            {
                Series = [("order_status", Enumerable.Repeat(3, days).ToArray()), ("other", Enumerable.Repeat(2, days).ToArray()),
                          (AnalyticsBuckets.NoIntent, Enumerable.Repeat(1, days).ToArray()), (AnalyticsBuckets.OtherIntents, Enumerable.Repeat(1, days).ToArray())],
            },
            Rates = [new IntentRate("order_status", 8, 4, 2, 1, 1), new IntentRate(AnalyticsBuckets.NoIntent, 2, 1, 0, 1, 0)],
        };

        var charts = InCulture(culture, () => AnalyticsCharts.From(overview, L));

        Assert.Equal(["order_status", "other", AnalyticsBuckets.NoIntent, AnalyticsBuckets.OtherIntents], charts.Share.Keys);
        Assert.Equal(charts.Share.Labels.Length, charts.Share.Labels.Distinct().Count());
        Assert.Equal([literal, none, rest], charts.Share.Labels[1..]);
        Assert.Equal([literal, none], charts.Intents.Series.Skip(1).Select(s => s.Name)); // the rest together is the donut's only
        Assert.Equal(none, charts.Rates.Labels[1]);
    }

    [Fact]
    public void Numbers_become_shares_percentages_and_minutes()
    {
        var charts = AnalyticsCharts.From(Sample(), L);

        Assert.Equal(["order_status", AnalyticsBuckets.OtherIntents], charts.Share.Keys);
        Assert.Equal(["Order status", "Other intents"], charts.Share.Labels); // names for people, codes for links
        Assert.Equal([9.0, 3.0], Values(charts.Share.Series.Single()));
        // The bars after "Drafts" add up to it: closed without sending and still waiting have bars of their own.
        Assert.Equal([40.0, 30, 5, 12, 8, 4, 1, 2, 3, 1], Values(charts.Outcomes.Series.Single()));
        Assert.Equal(["Closed without sending", "Still waiting"], charts.Outcomes.Labels[^2..]);
        Assert.Equal([50.0], Values(charts.Rates.Series[0])); // 4 of 8 approved unchanged
        Assert.Equal([12.5], Values(charts.Rates.Series[2]));
        Assert.Equal(1.5, Values(charts.Response.Series[0])[9]); // 90 s
        Assert.Equal(5.0, Values(charts.Response.Series[1])[9]);
        Assert.Equal("90–99", charts.Confidence.Labels[9]);
        Assert.Equal("100", charts.Confidence.Labels[10]);
        Assert.Empty(charts.Empty);
    }

    [Fact]
    public void The_rates_chart_shows_intents_with_decisions_before_busier_ones_whose_drafts_all_wait()
    {
        // A walk on "Today": eight busier intents with nothing sent filled the chart and the two intents edited that day were
        // not on it.
        var waiting = Enumerable.Range(0, AnalyticsCharts.BarsPerChart).Select(i => new IntentRate($"busy_{i}", 20 - i, 0, 0, 0, 0));
        var overview = Sample() with { Rates = [.. waiting, new IntentRate("track_refund", 3, 0, 2, 0, 0), new IntentRate("recover_password", 1, 0, 0, 1, 0)] };

        var keys = AnalyticsCharts.From(overview, L).Rates.Keys;

        Assert.Equal(["track_refund", "recover_password", "busy_0"], keys.Take(3));
        Assert.Equal(AnalyticsCharts.BarsPerChart, keys.Length);
    }

    [Fact]
    public void Charts_with_nothing_to_draw_are_named_so_the_page_shows_a_note_instead()
    {
        var empty = new Overview(new Kpis(0, 0, 0, 0, 0, 0, 0, 0, null), new Kpis(0, 0, 0, 0, 0, 0, 0, 0, null),
            new IntentSeries(false, [], []), [], [], new int[11], Enumerable.Range(0, 24).Select(h => new ResponseByHour(h, 0, null, null)).ToList(),
            new int[7, 24]);

        var charts = AnalyticsCharts.From(empty, L);

        Assert.Equal(["confidence", "edits", "heatmap", "intents", "rates", "response"], charts.Empty.Order());
    }

    [Fact]
    public void A_long_range_labels_about_ten_days_so_labels_do_not_overlap()
    {
        var charts = AnalyticsCharts.From(Sample(days: 90), L);

        Assert.Equal(90, charts.Intents.Labels.Length);
        Assert.InRange(charts.Intents.Labels.Count(l => l.Length > 0), 8, 11);
        Assert.All(Enumerable.Range(0, 14), i => Assert.True(AnalyticsCharts.Sparse(i, 14)));
    }

    [Fact]
    public void A_phone_draws_the_busiest_three_intents_with_about_five_dates()
    {
        var sample = Sample(days: 30);
        var intents = new[] { "track_order", "get_refund", "cancel_order", "change_order", AnalyticsBuckets.NoIntent, AnalyticsBuckets.OtherIntents };
        var overview = sample with
        {
            Intents = sample.Intents with { Series = intents.Select((i, n) => (i, Enumerable.Repeat(10 - n, 30).ToArray())).ToList() },
        };

        var charts = InCulture("en", () => AnalyticsCharts.From(overview, L, todaySoFar: true));

        Assert.Equal(5, charts.Intents.Series.Count); // the wide chart keeps every named line and "no intent"
        Assert.Equal(["Track an order", "Get a refund", "Cancel an order"], charts.IntentsPhone.Series.Select(s => s.Name)); // the busiest, as the donut's colours
        Assert.Equal(30, charts.IntentsPhone.Labels.Length);
        Assert.InRange(charts.IntentsPhone.Labels.Count(l => l.Length > 0), 4, 6);
        Assert.Equal("Today", charts.IntentsPhone.Labels[^1]);
        Assert.Equal("5 Nov", charts.IntentsPhone.Labels[0]);
    }

    [Fact]
    public void The_kpi_cards_pair_each_figure_with_the_previous_period()
    {
        var sample = Sample();
        var rows = AnalyticsCharts.KpiRows(sample.Kpis, sample.Previous).ToList();

        Assert.Equal(("KpiInbound", 40.0, 20.0, false, 0), rows[0]); // a volume: neither good nor bad news
        Assert.Equal(("KpiMedianResponse", 95.0, 0.0, true, -1), rows[^1]); // a faster response is good news
        Assert.Equal(-1, rows.Single(r => r.Key == "KpiExpired").Better);
    }

    [Fact]
    public void A_slanted_axis_leaves_room_for_long_names_near_the_left_edge_and_grows_its_type_as_much_as_the_drawing_shrinks()
    {
        string[] shortFirst = ["Otros", "Plazo", "Opinión"];
        Assert.Equal(new SlantedAxis.Fit(0, 12), SlantedAxis.FitFor(shortFirst, 12));
        Assert.Equal(new SlantedAxis.Fit(0, 20), SlantedAxis.FitFor([], 20));
        string[] longFirst = ["Contact customer service", "Edit an account", "Refund"];
        var desktop = SlantedAxis.FitFor(longFirst, 12);
        var phone = SlantedAxis.FitFor(longFirst, 20);
        Assert.InRange(desktop.Room, 5, 25);
        Assert.True(phone.Room > desktop.Room);
        Assert.True(SlantedAxis.FitFor(["Contactar con atención al cliente", "Editar"], 20).Room > phone.Room);
        // The second name stands one bar further right, but a long one still reaches past the edge.
        Assert.True(SlantedAxis.FitFor(["Otros", "Consultar una factura", "Eliminar la cuenta", "Opinión", "Plazo", "Pago", "Factura", "Pedido"], 20).Room > 0);
        // On screen the type is its size times the drawing's share of the width: the same as with no room at all.
        foreach (var (fit, type) in new[] { (desktop, 12.0), (phone, 20.0) })
            Assert.True(fit.Type * (100 - fit.Room) / 100 >= type - 0.05, $"{fit} shrinks the type below {type}");
    }

    [Fact]
    public void A_slanted_axis_writes_its_room_as_css_in_any_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("es");
        try
        {
            Assert.Matches(@"^--hitl-axis-room: [\d.]+%; --hitl-axis-type: [\d.]+px$", SlantedAxis.Style(["Contactar con atención al cliente", "Borradores"]));
            Assert.DoesNotContain(",", SlantedAxis.Style(["Contactar con atención al cliente"]));
            Assert.Equal("--hitl-axis-room: 0%; --hitl-axis-type: 12px", SlantedAxis.Style([]));
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }
}
