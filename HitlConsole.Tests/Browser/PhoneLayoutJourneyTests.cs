using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HitlConsole.Tests.Browser;

/// <summary>
/// On a 390 px phone, in Spanish (the longer words): the import preview's columns hold a word, the simulator's message box
/// spans the screen and sends from the first screen, and the inbox search says all of its hint (the charts are in <see cref="AnalyticsJourneyTests"/>, which has history).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneLayoutJourneyTests(BrowserFixture browser) : KestrelAppTest(browser, jobsOn: false)
{
    private const int Width = 390, Height = 844;

    internal static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"phone-{name}-es-390.png") });

    [Fact]
    public async Task The_import_preview_keeps_columns_wide_enough_to_read_on_a_phone()
    {
        var file = Path.Combine(Path.GetTempPath(), $"phone-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "instruction,response,intent,category\n" + string.Concat(Enumerable.Range(1, 5).Select(i =>
            $"\"¿Cómo puedo cancelar mi pedido número {i}?\",\"Puedes cancelarlo desde Mis pedidos › Cancelar mientras no haya salido del almacén.\",cancel_order,ORDER\n")));
        try
        {
            var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/knowledge", Width, Height);
            await page.GetByTestId("kb-import").ClickAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=import-wizard] input[type=file]')?._blazorInputFileNextFileId !== undefined",
                null, new() { Timeout = 30_000 });
            // The dialog's content fits its width: at 92vw plus the dialog's padding it scrolled sideways, its button at the edge.
            var overflow = await page.EvaluateAsync<double>("() => { const c = document.querySelector('.mud-dialog-content'); return c.scrollWidth - c.clientWidth; }");
            Assert.True(overflow <= 1, $"the import dialog's content is {overflow:0} px wider than the dialog");
            await page.Locator("[data-testid=import-wizard] input[type=file]").SetInputFilesAsync(file);
            await Expect(page.GetByTestId("import-preview")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await page.GetByTestId("import-preview").ScrollIntoViewIfNeededAsync();
            await ShotAsync(page, "import-preview");
            var narrowest = await page.EvaluateAsync<double>("""
                () => Math.min(...[...document.querySelectorAll('[data-testid=import-preview] thead th')].slice(1).map(th => th.getBoundingClientRect().width))
                """);
            Assert.True(narrowest >= 110, $"the narrowest preview column is {narrowest:0} px wide");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Rejecting_a_draft_on_a_phone_shows_the_whole_confirm_button()
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        var seeded = await WaitingConversations.SeedAsync(App.Services, tenant, 1, DateTime.UtcNow.AddMinutes(-1), TimeSpan.Zero,
            namePrefix: "Lucía", text: "hola, ¿dónde está mi pedido 55120?", draft: "Tu pedido está en camino.");

        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", $"/inbox/{seeded[0].ConversationId}", Width, Height);
        // The drawer, and its badge, is closed on a phone: the menu button carries the waiting count.
        await Expect(page.Locator(".hitl-menu-badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*[1-9]\d*\+?\s*$"), new() { Timeout = 15_000 });
        await page.GetByTestId("draft-reject").First.ClickAsync();
        await page.GetByTestId("reject-reason").First.ClickAsync();
        await page.GetByRole(AriaRole.Option).First.ClickAsync();
        var confirm = page.GetByTestId("reject-confirm").First;
        await Expect(confirm).ToBeEnabledAsync();
        await confirm.ScrollIntoViewIfNeededAsync();
        await ShotAsync(page, "reject");
        // The label fits its button: it was clipped to "ECHAZAR / ORRADOR" beside a long reason.
        Assert.True(await confirm.EvaluateAsync<bool>("b => { const l = b.querySelector('.mud-button-label') ?? b; return l.scrollWidth <= b.clientWidth + 1 && b.getBoundingClientRect().width >= 120; }"),
            $"the confirm button is {(await confirm.BoundingBoxAsync())!.Width:0} px wide and clips its label");
        Assert.Null(await BrowserFixture.SidewaysOverflowAsync(page));
    }

    [Fact]
    public async Task The_analytics_drill_down_chip_shows_its_whole_label_and_its_close_button_on_a_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es",
            "/inbox?intent=check_cancellation_fee&from=2026-11-01&to=2026-11-30", Width, Height);
        var chip = page.GetByTestId("inbox-drilldown");
        await Expect(chip).ToContainTextAsync("30/11/2026");
        await ShotAsync(page, "drilldown");
        // "Penalización por cancelación · 1/11/2026 – 30/11/2026" ran past the screen, its ✕ out of reach.
        var close = (await chip.Locator(".mud-chip-close-button").BoundingBoxAsync())!;
        Assert.True(close.X + close.Width <= Width, $"the chip's close button ends at {close.X + close.Width:0} px");
        var box = (await chip.BoundingBoxAsync())!;
        Assert.True(box.X + box.Width <= Width, $"the chip ends at {box.X + box.Width:0} px");
    }

    [Fact]
    public async Task The_simulators_message_box_spans_the_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/simulator", Width, Height);
        var box = page.Locator("[data-testid=sim-text]").First;
        await Expect(box).ToBeVisibleAsync();
        await ShotAsync(page, "simulator");
        var width = (await box.BoundingBoxAsync())!.Width;
        Assert.True(width >= Width * 0.75, $"the message box is {width:0} px wide");
    }

    [Fact]
    public async Task In_a_long_simulated_chat_the_message_box_and_send_are_in_the_first_screen_of_a_phone()
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        await using (var scope = App.Services.ForTenant(tenant))
        {
            var chat = scope.ServiceProvider.GetRequiredService<SimulatorChat>();
            for (var i = 1; i <= 8; i++)
                await chat.SendAsCustomerAsync("+34 622 333 444", "Rocío Larga", $"Mensaje {i}: ¿cuándo llega mi pedido? Lo pedí hace una semana y aún no sé nada.", default);
        }

        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/simulator", Width, Height);
        var picker = page.Locator("input[data-testid=sim-contact], [data-testid=sim-contact] input").First;
        await picker.ClickAsync();
        await picker.PressSequentiallyAsync("Larga", new() { Delay = 50 });
        await Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await page.GetByRole(AriaRole.Option).ClickAsync();
        await Expect(page.GetByTestId("sim-sent")).ToHaveCountAsync(8, new() { Timeout = 10_000 });

        // The chat opens at its newest message, with the box and the button (named, though only its icon shows) below it.
        await Expect(page.GetByTestId("sim-sent").Last).ToBeInViewportAsync();
        await Expect(page.Locator("textarea[data-testid=sim-text]")).ToBeInViewportAsync(new() { Ratio = 1 });
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Enviar", Exact = true });
        await Expect(send).ToHaveAttributeAsync("data-testid", "sim-send");
        await Expect(send).ToBeInViewportAsync(new() { Ratio = 1 });
        await ShotAsync(page, "simulator-chat");

        await page.Locator("textarea[data-testid=sim-text]").FillAsync("¿Y tenéis tienda en Sevilla?");
        await send.ClickAsync();
        await Expect(page.GetByTestId("sim-sent")).ToHaveCountAsync(9);
        await Expect(page.GetByTestId("sim-sent").Last).ToBeInViewportAsync();
    }

    [Theory]
    [InlineData("es"), InlineData("en")]
    public async Task The_draft_cards_buttons_are_one_set_of_one_size_and_case_that_fits_a_phone(string culture)
    {
        var tenant = await App.Services.DemoTenantIdAsync();
        var seeded = await WaitingConversations.SeedAsync(App.Services, tenant, 1, DateTime.UtcNow.AddMinutes(-2), TimeSpan.FromMinutes(1),
            text: "¿Dónde está mi pedido?", draft: "Tu pedido está en camino.");
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.Drafts.IgnoreQueryFilters().Where(d => d.ConversationId == seeded[0].ConversationId)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Alternatives, """["Llega mañana.", "Puedes seguirlo en Mis pedidos, donde verás cada paso del envío hasta tu puerta."]"""));
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, culture, $"/inbox/{seeded[0].ConversationId}", Width, Height);
        await Expect(page.GetByTestId("draft-approve")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=reply-attach-area][data-ready=true]")).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await ShotAsync(page, $"draft-buttons-{culture}");

        // Approve, reject, next suggestion, saved reply and attach a file: measured as drawn (height, font, letter case, right edge).
        var buttons = await page.EvaluateAsync<string[]>("""
            () => ['draft-approve', 'draft-reject', 'draft-regenerate', 'saved-reply-picker']
                .map(id => document.querySelector(`[data-testid=${id}]`))
                .concat([document.querySelector('[data-testid=reply-attach]')?.closest('label')])
                .map(b => { if (!b) return 'missing'; const s = getComputedStyle(b), r = b.getBoundingClientRect();
                            return `${Math.round(r.height)}|${s.fontSize}|${s.textTransform}|${r.right <= innerWidth ? 'fits' : 'overflows ' + Math.round(r.right)}`; })
            """);
        Assert.Equal(5, buttons.Length);
        Assert.All(buttons, b => Assert.Equal(buttons[0], b));
        Assert.EndsWith("|uppercase|fits", buttons[0]); // the case of the console's other buttons (MudBlazor's)
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= Width, "the conversation scrolls sideways");
        // A person's name on a button is written as it is, not in capitals.
        await Expect(page.Locator("button[data-testid=conversation-assignee]")).ToHaveCSSAsync("text-transform", "none");

        // A message ("no other suggestion", "sent") shows under the app bar on a phone, never over the draft's actions.
        await page.GetByTestId("draft-regenerate").ClickAsync();
        await Expect(page.Locator(".mud-snackbar").First).ToBeVisibleAsync();
        var placement = await page.EvaluateAsync<string>("""
            () => { const a = document.querySelector('[data-testid=draft-approve]').getBoundingClientRect();
                    const s = document.querySelector('.mud-snackbar').getBoundingClientRect();
                    const covers = s.left < a.right && s.right > a.left && s.top < a.bottom && s.bottom > a.top;
                    return `${s.top < 200 ? 'top' : 'low ' + Math.round(s.top)}|${covers ? 'covers approve' : 'clear'}`; }
            """);
        Assert.Equal("top|clear", placement);
        // A suggestion's words sit in the middle of its chip, a long one cut with an ellipsis inside it.
        var offsets = await page.EvaluateAsync<double[]>("""
            () => [...document.querySelectorAll('[data-testid=suggested-reply]')].map(chip => {
                const text = document.createTreeWalker(chip, NodeFilter.SHOW_TEXT, { acceptNode: n => n.textContent.trim() ? 1 : 3 }).nextNode();
                const words = document.createRange(); words.selectNodeContents(text);
                const c = chip.getBoundingClientRect(), t = words.getBoundingClientRect();
                return Math.max(Math.abs((t.top + t.bottom) / 2 - (c.top + c.bottom) / 2), text.parentElement.getBoundingClientRect().right > c.right + 1 ? 99 : 0); })
            """);
        Assert.Equal(2, offsets.Length);
        Assert.All(offsets, o => Assert.True(o <= 1.5, $"a suggestion's words are {o:0.0} px off its chip's middle (99: past its edge)"));
        // The keyboard shortcuts' button is for a keyboard: a phone has none.
        await Expect(page.GetByTestId("shortcuts-help")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_users_row_actions_show_whole_on_a_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/admin/users", Width, Height);
        await Expect(page.GetByTestId("user-toggle")).ToHaveCountAsync(3);
        await ShotAsync(page, "users");
        // Each button's words lie inside the button (a squeezed one cut its first letter: "ESACTIVAR"), and the button on screen.
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-testid=user-toggle], [data-testid=user-reset]')].filter(b => {
                const r = b.getBoundingClientRect(), words = document.createRange();
                words.selectNodeContents(b);
                const t = words.getBoundingClientRect();
                return r.left < 0 || r.right > innerWidth || t.left < r.left || t.right > r.right;
            }).map(b => b.textContent.trim())
            """);
        Assert.Empty(clipped);
    }

    [Fact]
    public async Task A_sandbox_draft_and_its_decision_fit_a_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/agent-config/sandbox", Width, Height);
        await BrowserFixture.Field(page, "sandbox-text").FillAsync("¿Tenéis descuento para estudiantes?");
        await page.GetByTestId("sandbox-run").ClickAsync();
        // A held draft's decision is a sentence: it wraps instead of widening the page (489 px before).
        await Expect(page.GetByTestId("sandbox-decision")).ToContainTextAsync("Esperaría revisión", new() { Timeout = 45_000 });
        await ShotAsync(page, "sandbox");
        Assert.Null(await BrowserFixture.SidewaysOverflowAsync(page));
    }

    [Fact]
    public async Task The_intents_list_of_the_agent_configuration_fits_a_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/agent-config", Width, Height);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Intenciones" }).ClickAsync();
        await Expect(page.GetByTestId("config-intent").First).ToBeVisibleAsync();
        await ShotAsync(page, "config-intents");
        // Each intent's policy chip and counts wrap below its name instead of widening the page (558 px before).
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= Width, "the intents list scrolls sideways");
    }

    [Fact]
    public async Task The_knowledge_filters_fold_behind_a_button_so_the_first_entry_is_in_the_first_screen_of_a_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/knowledge", Width, Height);
        await Expect(page.GetByTestId("kb-row").First).ToBeVisibleAsync();
        await ShotAsync(page, "knowledge");
        await Expect(page.GetByTestId("kb-filter-intent")).ToBeHiddenAsync();
        var top = await page.GetByTestId("kb-row").First.EvaluateAsync<double>("e => e.getBoundingClientRect().top");
        Assert.True(top < Height * 0.6, $"the first entry starts {top:0} px down");

        await page.GetByTestId("kb-filters-toggle").ClickAsync();
        await Expect(page.GetByTestId("kb-filter-intent")).ToBeVisibleAsync();
        await page.GetByTestId("kb-filter-intent").ClickAsync();
        await page.GetByRole(AriaRole.Option).First.ClickAsync();
        await Expect(page.GetByTestId("kb-filters-toggle")).ToHaveTextAsync("Filtros (1)");
    }

    [Fact]
    public async Task The_webhook_url_breaks_inside_its_card_with_its_copy_button_beside_it_on_a_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/agent-config/channels", Width, Height);
        await Expect(page.GetByTestId("channel-webhook-url")).ToContainTextAsync("/webhooks/whatsapp");
        await ShotAsync(page, "channels");
        // The address ran past the card's edge, cut off there ("…/webhooks/whatsa").
        var placement = await page.EvaluateAsync<string>("""
            () => { const card = document.querySelector('[data-testid=channel-whatsapp]').getBoundingClientRect();
                    const url = document.querySelector('[data-testid=channel-webhook-url]');
                    const copy = document.querySelector('[data-testid=channel-webhook-copy]').getBoundingClientRect();
                    const inside = url.getBoundingClientRect().right <= card.right && url.scrollWidth <= url.clientWidth + 1;
                    return `${inside ? 'inside' : 'past the card'}|${copy.right <= card.right && copy.width >= 24 ? 'copy beside' : 'copy off'}`; }
            """);
        Assert.Equal("inside|copy beside", placement);
        Assert.Null(await BrowserFixture.SidewaysOverflowAsync(page));
    }

    [Fact]
    public async Task The_inbox_search_shows_its_whole_hint_on_a_phone()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Agent, HitlAppFactory.DemoPassword, "es", "/inbox", Width, Height);
        var input = page.Locator("[data-testid=inbox-search] input, input[data-testid=inbox-search]").First;
        await Expect(input).ToBeVisibleAsync();
        await ShotAsync(page, "inbox");
        // The placeholder's width in the input's own font against the room the input gives it.
        var measured = await input.EvaluateAsync<double[]>("""
            i => { const s = getComputedStyle(i); const c = document.createElement('canvas').getContext('2d'); c.font = s.font;
                   return [c.measureText(i.placeholder).width, i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)]; }
            """);
        var (text, room) = (measured[0], measured[1]);
        Assert.True(text <= room, $"the hint needs {text:0} px and has {room:0} px");
    }

    [Fact]
    public async Task The_jobs_dashboard_on_a_phone_shows_its_times_whole_and_follows_a_dark_system_on_every_page()
    {
        var page = await Browser.SignInAsync(Url, DemoUsers.Admin, HitlAppFactory.DemoPassword, "es", "/", Width, Height);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        // Hangfire recolours its graphs when the system turns dark: on a page without them it threw on a null graph.
        foreach (var path in new[] { "/jobs/recurring", "/jobs/servers", "/jobs" })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
            await page.GotoAsync(path);
            await Expect(page.Locator(".page-header")).ToBeVisibleAsync();
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        }
        await ShotAsync(page, "jobs");
        // The realtime graph's times slide along the axis: each is drawn whole inside the plot or not at all (":45 AM", "9:30").
        await Expect(page.Locator("#realtimeGraph")).ToBeVisibleAsync();
        var times = await page.EvaluateAsync<double[]>("""
            () => { const chart = Object.values(Chart.instances).find(c => c.canvas.id === 'realtimeGraph');
                    const scale = Object.values(chart.scales).find(s => s.isHorizontal()), area = chart.chartArea, ctx = chart.ctx;
                    const items = scale._computeLabelItems();
                    const cut = items.filter(i => { ctx.save(); ctx.font = i.font.string; const half = ctx.measureText(String(i.label)).width / 2; ctx.restore();
                                                    return i.x - half < area.left || i.x + half > area.right; });
                    return [items.length, cut.length]; }
            """);
        Assert.True(times[0] >= 2, $"the realtime graph names {times[0]} times");
        Assert.Equal(0, times[1]);
        Assert.Empty(errors);
    }
}
