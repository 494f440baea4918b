using HitlConsole.Features.Analytics;
using HitlConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>Managers read the analytics over seeded demo history; a chart segment opens its conversations; agents are kept out.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AnalyticsJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private HitlAppFactory _app = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Demo:HistoryDays"] = "21" });
        _url = _app.StartKestrel();
    }

    public async Task DisposeAsync()
    {
        await browser.CloseContextsAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("en", "Inbound messages")]
    [InlineData("es", "Mensajes recibidos")]
    public async Task A_manager_reads_the_charts_and_changes_the_range(string culture, string inbound)
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Manager, HitlAppFactory.DemoPassword, culture, "/analytics", 1400, 1000);
        await Expect(page.GetByTestId("kpi-card").First).ToContainTextAsync(inbound);
        await Expect(page.GetByTestId("chart-intents-wide").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-intents-phone")).ToBeHiddenAsync();
        var last30 = await page.GetByTestId("kpi-value").First.TextContentAsync();

        await page.GetByTestId("range-last7").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("range=last7"));
        await Expect(page.GetByTestId("kpi-value").First).Not.ToHaveTextAsync(last30!);
        await Expect(page.GetByTestId("kpi-change").First).ToBeVisibleAsync(); // the week before is seeded too
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"manager-analytics-{culture}.png"), FullPage = true });
        await AssertLabelsInsideTheirCardsAsync(page);
        // A wide screen draws the bar charts; their rows are the phone's.
        await Expect(page.GetByTestId("chart-rates").Locator(".mud-chart svg")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("hbars")).ToHaveCountAsync(3);
        foreach (var rows in await page.GetByTestId("hbars").AllAsync()) await Expect(rows).ToBeHiddenAsync();

        // The range ends today, whose point is low on every line: the chart says it is counted until now.
        await Expect(page.GetByTestId("chart-intents-over-time"))
            .ToContainTextAsync(culture == "es" ? "Hoy se cuenta hasta ahora." : "Today is counted until now.");
        // The config version filter lists the workspace's versions; choosing one narrows the address. The demo's history
        // carries the version live when each draft was made (v2 for the last ten of its 21 days): the week's charts stay.
        var last7 = await page.GetByTestId("kpi-value").First.TextContentAsync();
        await PickVersionAsync(page, 2);
        await Expect(page.GetByTestId("kpi-value").First).ToHaveTextAsync(last7!);
        await Expect(page.GetByTestId("chart-intents-wide").Locator("svg").First).ToBeVisibleAsync();
        // v1 was replaced before this week: nothing matches, and the empty state names the filter rather than the range.
        await PickVersionAsync(page, 1);
        await Expect(page.GetByTestId("analytics-empty-hint"))
            .ToContainTextAsync(culture == "es" ? "Quita un filtro" : "Remove a filter");
        // Over the last 30 days the first version has its drafts too.
        await page.GetByTestId("range-last30").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("version=1"));
        await Expect(page.GetByTestId("analytics-empty")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("kpi-value").First).Not.ToHaveTextAsync("0");
        // "Custom" starts from the days on screen, for the picker to change; it used to say the range could not be read.
        var last30Value = await page.GetByTestId("kpi-value").First.TextContentAsync();
        await page.GetByTestId("range-custom").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"range=custom"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}"));
        await Expect(page.GetByTestId("analytics-range-error")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("kpi-value").First).ToHaveTextAsync(last30Value!);
    }

    private static async Task PickVersionAsync(IPage page, int number)
    {
        await page.GetByTestId("analytics-version").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^v{number} · ") }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"version={number}"));
    }

    [Theory]
    [InlineData("en", "Unsent: closed or waiting", "No intent", "Other intents")]
    [InlineData("es", "Sin enviar: cerrados o en espera", "Sin intención", "Otras intenciones")]
    public async Task On_a_wide_screen_an_intent_with_nothing_decided_is_a_named_bar_the_confidence_axis_reads_and_the_heatmap_has_a_scale(
        string culture, string noneDecided, string noIntent, string otherIntents)
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Manager, HitlAppFactory.DemoPassword, culture, "/analytics?range=last30", 1400, 1000);
        var rates = page.GetByTestId("chart-rates");
        await Expect(rates.Locator(".mud-chart svg")).ToBeVisibleAsync();
        await rates.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"manager-analytics-rates-{culture}.png") });

        // Drafts without an intent and the smaller intents drawn together are two groups with two names.
        await Expect(page.GetByTestId("chart-intent-share")).ToContainTextAsync(otherIntents);
        await Expect(page.GetByTestId("chart-intents-over-time")).ToContainTextAsync(noIntent);
        await Expect(page.GetByTestId("chart-intents-over-time")).Not.ToContainTextAsync(otherIntents); // it would flatten the others
        // Both groups are grey, so the named intents stand out whatever their rank; "no intent" keeps its grey on both charts.
        var strokes = new Dictionary<string, string[]>();
        foreach (var chart in new[] { "chart-intents-over-time", "chart-intent-share" })
            strokes[chart] = await page.GetByTestId(chart).EvaluateAsync<string[]>(
                "card => [...card.querySelectorAll('.mud-chart svg path')].map(p => (p.getAttribute('stroke') || '').toLowerCase())");
        Assert.Contains(ChartColours.NoIntent, strokes["chart-intents-over-time"]);
        Assert.Contains(ChartColours.NoIntent, strokes["chart-intent-share"]);
        Assert.Contains(ChartColours.OtherIntents, strokes["chart-intent-share"]);

        // Six numbers up the confidence chart's side, not eleven crowding each other.
        var ticks = await page.GetByTestId("chart-confidence").Locator(".mud-charts-yaxis text").CountAsync();
        Assert.InRange(ticks, 3, 7);
        // A chart of one series has no legend repeating its title.
        foreach (var single in new[] { "chart-confidence", "chart-outcomes" })
            await Expect(page.GetByTestId(single).Locator(".mud-chart-legend")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("chart-rates").Locator(".mud-chart-legend")).ToHaveCountAsync(1);

        // The heatmap says what its shades mean: from none to the busiest hour's count.
        var legend = page.GetByTestId("heatmap-legend");
        await Expect(legend).ToBeVisibleAsync();
        var busiest = await page.GetByTestId("chart-heatmap").EvaluateAsync<int>("card => Math.max(...[...card.querySelectorAll('td')].map(td => +td.title))");
        await Expect(legend.GetByTestId("heatmap-legend-max")).ToHaveTextAsync(busiest.ToString("N0", new System.Globalization.CultureInfo(culture)));
        await Expect(legend.GetByTestId("heatmap-legend-min")).ToHaveTextAsync("0");

        // The rows the phone says "none decided yet" of are, in the drawing, a full bar of the colour the legend names so
        // (they were a bare line on the axis). Intents with decisions come first, so over 30 days they fill the chart: the
        // drafts without an intent (held, closed), none of them sent, are looked at alone.
        await page.GotoAsync(_url + "/analytics?range=last30&intent=" + Uri.EscapeDataString(HitlConsole.Features.Analytics.AnalyticsBuckets.NoIntent));
        rates = page.GetByTestId("chart-rates");
        await Expect(rates.Locator(".mud-chart svg")).ToBeVisibleAsync();
        var undecided = await rates.GetByTestId("hbar").Filter(new() { HasText = noneDecided }).CountAsync();
        Assert.True(undecided > 0, "the demo history has an intent none of whose drafts was decided");
        await Expect(rates.Locator(".mud-chart-legend")).ToContainTextAsync(noneDecided);
        var tall = await rates.EvaluateAsync<int>($$"""
            card => [...card.querySelectorAll('.mud-chart svg path.mud-chart-bar')]
                .filter(p => p.getAttribute('stroke')?.toLowerCase() === '{{HitlConsole.Features.Analytics.AnalyticsCharts.UndecidedColour}}')
                .map(p => p.getAttribute('d').match(/[-\d.]+/g).map(Number)).filter(([, y1, , y2]) => Math.abs(y1 - y2) > 100).length
            """);
        Assert.Equal(undecided, tall);
    }

    [Theory]
    [InlineData("es"), InlineData("en")]
    public async Task On_a_laptop_the_range_and_every_filter_share_one_row(string culture)
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Manager, HitlAppFactory.DemoPassword, culture, "/analytics", 1280, 800);
        await Expect(page.GetByTestId("analytics-version")).ToBeVisibleAsync();
        // The version filter wrapped to a row of its own below the others.
        var rows = await page.EvaluateAsync<double[]>("""
            () => ['analytics-custom-range', 'analytics-channel', 'analytics-intent', 'analytics-version']
                .map(id => document.querySelector(`[data-testid=${id}]`).closest('.mud-input-control, .mud-picker') ?? document.querySelector(`[data-testid=${id}]`))
                .map(e => Math.round(e.getBoundingClientRect().bottom))
            """);
        Assert.True(rows.Max() - rows.Min() <= 12, $"the filters end at {string.Join(", ", rows)} px");
        // Its label, the longest, is read whole in either language ("Versión de configura…" ran under its arrow).
        var label = page.GetByTestId("analytics-version").Locator("xpath=ancestor::div[contains(@class,'mud-input-control')][1]//label");
        var room = await label.EvaluateAsync<double>("""
            l => { const words = document.createRange(); words.selectNodeContents(l);
                   return l.closest('.mud-input-control').getBoundingClientRect().right - 20 - words.getBoundingClientRect().right; }
            """);
        Assert.True(room >= 0, $"the version filter's label runs {-room:0} px under its arrow");
    }

    /// <summary>A chart's labels, slanted ones too, start inside its card (the first slanted name was cut at the left edge).</summary>
    private static async Task AssertLabelsInsideTheirCardsAsync(IPage page)
    {
        var outside = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.hitl-chart-card')].flatMap(card => [...card.querySelectorAll('.mud-chart svg text')]
                .filter(t => t.getBoundingClientRect().width > 0 && t.getBoundingClientRect().left < card.getBoundingClientRect().left).map(t => t.textContent))
            """);
        Assert.Empty(outside);
    }

    [Fact]
    public async Task Analytics_chart_labels_are_readable_on_a_phone()
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Manager, HitlAppFactory.DemoPassword, "es", "/analytics", 390, 844);
        // The intents' lines: the busiest three, a date about every sixth day, read apart where six lines were a tangle.
        await Expect(page.GetByTestId("chart-intents-phone").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-intents-wide")).ToBeHiddenAsync();
        var drawn = await page.GetByTestId("chart-intents-phone").EvaluateAsync<int[]>("""
            chart => [chart.querySelectorAll('path.mud-chart-line').length,
                      [...chart.querySelectorAll('.mud-charts-xaxis text')].filter(t => t.textContent.trim()).length]
            """);
        Assert.InRange(drawn[0], 1, AnalyticsCharts.PhoneIntents);
        Assert.InRange(drawn[1], 2, 6);
        // The filters fold behind a button and the figures take three columns: the first chart starts in the first screen.
        await Expect(page.GetByTestId("analytics-channel")).ToBeHiddenAsync();
        var top = await page.GetByTestId("chart-intents-over-time").EvaluateAsync<double>("e => e.getBoundingClientRect().top");
        Assert.True(top < 844 - 150, $"the first chart starts {top:0} px down");
        await page.GetByTestId("analytics-filters-toggle").ClickAsync();
        await Expect(page.GetByTestId("analytics-channel")).ToBeVisibleAsync();
        // Opened, the range and the four filters are one column with the same edges (they wrapped ragged, one beside the button).
        var edges = await page.GetByTestId("analytics-filter-row").EvaluateAsync<string[]>("""
            row => [row.querySelector('.hitl-date-range-field'), ...row.querySelectorAll('.hitl-phone-filters > *')]
                .map(e => e.getBoundingClientRect()).map(r => `${Math.round(r.left)}-${Math.round(r.right)}`)
            """);
        Assert.Single(edges.Distinct());
        await page.GetByTestId("chart-intents-over-time").ScrollIntoViewIfNeededAsync();
        await PhoneLayoutJourneyTests.ShotAsync(page, "analytics");
        // The intents' lines have room to be told apart: the drawing, scaled to the phone's width, left them 140 px from the
        // axis' top number to its zero.
        var plot = await page.GetByTestId("chart-intents-phone").EvaluateAsync<double>("""
            card => { const ticks = [...card.querySelectorAll('.mud-charts-yaxis text')].map(t => t.getBoundingClientRect());
                      return Math.max(...ticks.map(r => r.top)) - Math.min(...ticks.map(r => r.top)); }
            """);
        Assert.True(plot >= 200, $"the intents' plot is {plot:0} px tall");
        foreach (var chart in new[] { "chart-outcomes", "chart-rates", "chart-edits" })
            await page.GetByTestId(chart).ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"phone-analytics-{chart}-es-390.png") });

        // Bar charts with long names were a strip of bars under slanted names on a phone: they are rows, each name whole above a
        // bar as wide as the card allows and thick enough to compare.
        await Expect(page.GetByTestId("chart-outcomes").GetByTestId("hbar").GetByText("Enviados automáticamente", new() { Exact = true })).ToBeVisibleAsync();
        foreach (var chart in new[] { "chart-outcomes", "chart-rates", "chart-edits" })
        {
            var card = page.GetByTestId(chart);
            await Expect(card.Locator(".mud-chart svg").First).ToBeHiddenAsync();
            await Expect(card.GetByTestId("hbar").First).ToBeVisibleAsync();
            var measured = await card.EvaluateAsync<double[]>("""
                card => { const tracks = [...card.querySelectorAll('.hitl-hbar-track')].map(t => t.getBoundingClientRect());
                          const names = [...card.querySelectorAll('.hitl-hbar-head > span:first-child')];
                          return [Math.min(...tracks.map(t => t.height)), Math.min(...tracks.map(t => t.width)) / card.getBoundingClientRect().width,
                                  Math.min(...names.map(n => parseFloat(getComputedStyle(n).fontSize)))]; }
                """);
            Assert.True(measured[0] >= 10, $"{chart}: a bar is {measured[0]:0} px thick");
            Assert.True(measured[1] >= 0.85, $"{chart}: a bar's track takes {measured[1]:P0} of the card");
            Assert.True(measured[2] >= 12, $"{chart}: a name is {measured[2]:0} px");
        }
        // Every rate row says something: its shares, or that none of its drafts was decided (the "Otros" row was a bare track).
        var silent = await page.GetByTestId("chart-rates").EvaluateAsync<string[]>("""
            card => [...card.querySelectorAll('[data-testid=hbar]')].filter(r => !(r.querySelector('.hitl-hbar-parts')?.textContent ?? '').trim())
                .map(r => r.querySelector('.hitl-hbar-head').textContent.trim())
            """);
        Assert.Empty(silent);
        // The rendered height of the axis and legend labels (an SVG scaled down to the screen shrinks its text with it). A
        // chart takes its size once the page's layout settles: on a busy machine one was measured before that (5 px), so the
        // measure is read again for up to five seconds before it counts.
        var smallest = 0.0;
        for (var attempt = 0; attempt < 20 && smallest < 9; attempt++)
        {
            if (attempt > 0) await page.WaitForTimeoutAsync(250);
            smallest = await page.EvaluateAsync<double>("""
                () => Math.min(...[...document.querySelectorAll('.mud-chart svg text')].map(t => t.getBoundingClientRect().height).filter(h => h > 0))
                """);
        }
        Assert.True(smallest >= 9, $"chart labels are {smallest:0.0} px high");
        await AssertLabelsInsideTheirCardsAsync(page);
    }

    [Fact]
    public async Task A_segment_opens_its_conversations_in_the_inbox()
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Manager, HitlAppFactory.DemoPassword, "en", "/analytics?range=last30", 1400, 1000);
        var segment = page.GetByTestId("chart-intent-share").Locator("path.mud-chart-serie").Nth(1);
        await Expect(segment).ToBeVisibleAsync();
        await segment.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inbox\\?intent="));
        await Expect(page.GetByTestId("inbox-drilldown")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("conversation-row").First).ToBeVisibleAsync();
        // Nothing is assigned to a manager: no "Mine" lane, no availability switch.
        await Expect(page.GetByTestId("inbox-filter-all")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("inbox-filter-mine")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("agent-status")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_intent_under_a_bar_chart_opens_its_conversations_in_the_inbox()
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Manager, HitlAppFactory.DemoPassword, "en", "/analytics?range=last30", 1400, 1000);
        var link = page.GetByTestId("chart-rates").GetByTestId("chart-drilldown-link").First;
        var intent = await link.GetAttributeAsync("data-intent");
        var name = (await link.TextContentAsync())!; // the intent's name; the address keeps its code
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/inbox\\?intent={intent}&from=\\d{{4}}-\\d{{2}}-\\d{{2}}&to="));
        await Expect(page.GetByTestId("inbox-drilldown")).ToContainTextAsync(name);
        await Expect(page.GetByTestId("conversation-row").First).ToBeVisibleAsync();

        // Long replies in the list stay two lines high (the demo answers run to a dozen lines).
        foreach (var preview in await page.GetByTestId("conversation-preview").AllAsync())
            Assert.True((await preview.BoundingBoxAsync())!.Height < 50, "a conversation preview is more than two lines high");

        // A manager reads the conversation but cannot act on it (nor claim its draft).
        await page.GetByTestId("conversation-row").First.ClickAsync();
        await Expect(page.GetByTestId("draft-readonly")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("readonly-chip")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("conversation-pin")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("draft-panel")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "manager-inbox-readonly.png") });
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    public async Task After_a_drill_down_the_inbox_shows_its_filter_until_it_is_removed(string culture)
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Manager, HitlAppFactory.DemoPassword, culture, "/analytics?range=last30", 1366, 900);
        var link = page.GetByTestId("chart-rates").GetByTestId("chart-drilldown-link").First;
        var intent = (await link.GetAttributeAsync("data-intent"))!;
        var name = (await link.TextContentAsync())!;
        await link.ClickAsync();
        await Expect(page.GetByTestId("inbox-drilldown")).ToContainTextAsync(name);
        // The range reads as the reader writes dates, not as the address's ISO days.
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", await page.GetByTestId("inbox-drilldown").TextContentAsync());
        var filtered = await page.GetByTestId("conversation-row").CountAsync();

        // Reading a conversation, changing the lane or searching keeps the filter and its chip together.
        await page.GetByTestId("conversation-row").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/inbox/[0-9a-f-]+\\?.*intent={intent}"));
        await Expect(page.GetByTestId("inbox-drilldown")).ToContainTextAsync(name);
        await page.GetByTestId("inbox-filter-review").ClickAsync();
        await Expect(page.GetByTestId("inbox-drilldown")).ToContainTextAsync(name);
        await page.GetByTestId("inbox-filter-all").ClickAsync();
        await Expect(page.GetByTestId("inbox-drilldown")).ToContainTextAsync(name);
        await Expect(page.GetByTestId("conversation-row")).ToHaveCountAsync(filtered);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"manager-inbox-drilldown-{culture}.png") });

        // Removing the chip removes the filter.
        await page.GetByTestId("inbox-drilldown").Locator("button, .mud-chip-close-button").First.ClickAsync();
        await Expect(page.GetByTestId("inbox-drilldown")).ToHaveCountAsync(0);
        await Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("intent="));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("lane=all")); // the rest of the view stays
        await Expect(page.GetByTestId("conversation-row").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_agent_cannot_open_analytics()
    {
        var page = await browser.SignInAsync(_url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "en", "/analytics", 1400, 900);
        await Expect(page.GetByTestId("chart-intents-over-time")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
    }
}
