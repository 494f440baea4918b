using System.Net;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HitlConsole.Tests.Features.Localization;

/// <summary>
/// Every routable page, opened in Spanish by an Admin, a Manager and an Agent on the demo workspace, shows no English text
/// of the UI's own (<see cref="UiText"/>), no raw <c>{placeholder}</c> and no resource key. The English list is built from the
/// resources themselves, so a new string is covered the day it is added.
/// </summary>
public sealed class SpanishEverywhereTests(ITestOutputHelper output)
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    /// <summary>Every <c>@page</c> route, with its parameters filled in, plus the links a person follows with query values.</summary>
    internal static IReadOnlyList<string> Pages(Guid conversation, Guid pendingConversation)
    {
        var templates = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), inherit: false).Cast<RouteAttribute>())
            .Select(r => r.Template).Distinct().Order(StringComparer.Ordinal).ToList();
        var today = DateTime.UtcNow.Date;
        return
        [
            .. templates.Select(t => t switch
            {
                "/inbox/{ConversationId:guid}" => $"/inbox/{conversation}",
                _ when t.Contains('{') => throw new InvalidOperationException($"Fill the route {t} in Pages()."),
                _ => t,
            }),
            $"/inbox/{pendingConversation}",
            "/agent-config/versions?show=1",
            "/knowledge?search=refund",
            $"/inbox?intent=cancel_order&from={today.AddDays(-7):yyyy-MM-dd}&to={today:yyyy-MM-dd}",
            $"/analytics?range=custom&from={today.AddDays(-7):yyyy-MM-dd}&to={today:yyyy-MM-dd}&intent=cancel_order",
            "/analytics?range=today",
            "/analytics?range=custom&from=2026-11-20&to=2026-11-10", // inverted: the page says so
            "/no-such-page",
        ];
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_page_in_spanish_shows_no_english_no_raw_placeholder_and_no_resource_key_to_any_role(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Demo:HistoryDays"] = "14" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var pending = (await WaitingConversations.SeedAsync(app.Services, tenant, 1, DateTime.UtcNow.AddMinutes(-5), TimeSpan.FromMinutes(1),
            text: "¿Dónde está mi pedido?", draft: "Tu pedido está en camino."))[0].ConversationId;
        Guid decided;
        await using (var scope = app.Services.ForTenant(tenant))
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            await db.Drafts.Where(d => d.ConversationId == pending).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Reasoning, "El cliente pregunta por su pedido.").SetProperty(d => d.Alternatives, "[\"Ya sale\"]"));
            decided = await db.Drafts.Where(d => d.State == DraftState.Approved).OrderByDescending(d => d.CreatedUtc).Select(d => d.ConversationId).FirstAsync();
        }

        var findings = new List<UiText.Finding>();
        foreach (var email in new[] { DemoUsers.Admin, DemoUsers.Manager, DemoUsers.Agent })
        {
            var client = app.CreateBrowserLikeClient();
            await client.GetAsync("/culture/set?culture=es&redirectUri=%2F");
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, HitlAppFactory.DemoPassword)).StatusCode);
            foreach (var path in Pages(decided, pending))
            {
                var response = await client.GetAsync(path);
                Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode} for {email}.");
                var html = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Redirect) continue; // a page this role may not open: the target is checked on its own
                findings.AddRange(UiText.Check($"{path} ({email.Split('@')[0]})", html));
            }
        }
        var report = UiText.Describe(findings);
        output.WriteLine(report);
        Assert.True(findings.Count == 0, "Not Spanish:\n" + report);
    }
}
