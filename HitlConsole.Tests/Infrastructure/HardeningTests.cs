using HitlConsole.Features.AgentConfig.Sandbox;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Account;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>The findings of the attack and fault run (issue 25), each replayed against the real app.</summary>
public sealed class HardeningTests(ITestOutputHelper output)
{
    private static async Task<List<Message>> MessagesAsync(HitlAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Inbound && m.ExternalId!.StartsWith("wamid.h")).ToListAsync();
    }

    [Fact]
    public void Window_arithmetic_saturates_instead_of_throwing()
    {
        var options = new PipelineOptions();
        Assert.Equal(DateTime.MaxValue, options.WindowClosesUtc(DateTime.MaxValue.AddHours(-1)));
        Assert.Equal(DateTime.MinValue, ServiceWindow.Add(DateTime.MinValue.AddHours(1), TimeSpan.FromHours(-24)));
        Assert.Equal(new DateTime(2026, 1, 2), options.WindowClosesUtc(new DateTime(2026, 1, 1)));
    }

    [Fact]
    public async Task A_message_dated_9999_is_stored_at_its_receive_time_and_its_conversation_opens()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var before = DateTime.UtcNow;
        var response = await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification(
            [WhatsAppSender.TextMessage("wamid.h9999", "From the future", timestamp: 253_402_300_799)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(await MessagesAsync(app));
        Assert.InRange(message.SentUtc, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        var agent = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/inbox/{message.ConversationId}")).StatusCode);
    }

    [Fact]
    public async Task A_lone_surrogate_or_an_oversized_sender_costs_only_its_own_message()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var json = WhatsAppSender.Notification([
            WhatsAppSender.TextMessage("wamid.hbroken", "broken emoji SURROGATE"),
            WhatsAppSender.TextMessage("wamid.hhuge", "from a huge sender", from: new string('3', 100_000)),
            WhatsAppSender.TextMessage("wamid.hvalid", "Where is my order?"),
        ]).Replace("SURROGATE", @"\ud83d", StringComparison.Ordinal);

        var response = await app.CreateBrowserLikeClient().PostSignedAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await MessagesAsync(app)).ToDictionary(m => m.ExternalId!);
        Assert.Equal(["wamid.hbroken", "wamid.hvalid"], stored.Keys.Order());
        Assert.Equal("broken emoji \uFFFD", stored["wamid.hbroken"].Text);
    }

    [Fact]
    public async Task Every_refusal_of_sign_in_takes_about_as_long_as_the_others()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext =
            new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = services };
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var locked = (await users.FindByEmailAsync(DemoUsers.Manager))!;
        await users.SetLockoutEndDateAsync(locked, DateTimeOffset.UtcNow.AddHours(1));
        var disabled = (await users.FindByEmailAsync(DemoUsers.Admin))!;
        disabled.IsDisabled = true;
        await users.UpdateAsync(disabled);
        var wrong = (await users.FindByEmailAsync(DemoUsers.Agent))!;
        var signIn = services.GetRequiredService<SignIn>();

        var paths = new Dictionary<string, string>
        {
            ["unknown e-mail"] = "nobody@demo.local", ["wrong password"] = DemoUsers.Agent,
            ["locked out"] = DemoUsers.Manager, ["not allowed"] = DemoUsers.Admin,
        };
        var times = paths.Keys.ToDictionary(p => p, _ => new List<double>());
        for (var round = 0; round < 8; round++)
            foreach (var (path, email) in paths)
            {
                var password = path is "locked out" or "not allowed" ? HitlAppFactory.DemoPassword : "not-the-password-1";
                var watch = Stopwatch.StartNew();
                Assert.False(await signIn.HandleAsync(new SignIn.Input { Email = email, Password = password }));
                if (round > 0) times[path].Add(watch.Elapsed.TotalMilliseconds); // the first round warms up
                await users.ResetAccessFailedCountAsync(wrong);
            }

        var medians = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(t.Value.Count / 2));
        var figures = string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F0} ms"));
        output.WriteLine($"sign-in refusals, median of 7: {figures}");
        Assert.True(medians.Values.Max() < 3 * medians.Values.Min(), figures);
    }

    [Fact]
    public async Task Sign_out_needs_its_token_and_ends_every_copy_of_the_session()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var cookies = new CookieContainer();
        var client = app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(DemoUsers.Agent, HitlAppFactory.DemoPassword)).StatusCode);
        var copied = cookies.GetCookies(new Uri("http://localhost")).Single(c => c.Name == "hitl.auth").Value;
        var thief = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", $"hitl.auth={copied}");
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/inbox")).StatusCode);

        // A cross-site form cannot sign the user out: no token, no sign-out.
        var forged = await client.PostAsync(AccountRegistration.LogoutPath, new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/inbox")).StatusCode);

        var signedOut = await client.PostAsync(AccountRegistration.LogoutPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenForAsync(app, cookies, DemoUsers.Agent),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var replay = await thief.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.StartsWith(AccountRegistration.LoginPath, replay.RedirectPath());
    }

    [Fact]
    public async Task Malformed_query_values_are_ignored_by_pages_and_refused_by_endpoints_with_400()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var admin = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/analytics?version=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/analytics?range=custom&from=9999-01-01&to=9999-12-31")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/agent-config/versions?show=99999999999")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/inbox?intent=orders&from=0001-01-01&to=9999-12-31")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/analytics/export/heatmap?from=9999-01-01&to=9999-12-31")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/analytics/export/heatmap?from=abc&to=2026-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/analytics/export/heatmap?from=2026-01-01&to=2026-01-31")).StatusCode);
    }

    [Fact]
    public async Task The_sandbox_api_is_rate_limited()
    {
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["RateLimits:SandboxPerMinute"] = "2" });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", HitlAppFactory.SimulatorKey);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) answers.Add((await client.PostAsJsonAsync(SandboxApi.Path, new { text = "" })).StatusCode);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task Metrics_require_the_bearer_token_when_one_is_configured()
    {
        const string token = "a-metrics-token-of-some-length";
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Metrics:BearerToken"] = token });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
    }

    /// <summary>The request token the user menu's form carries (it renders only when the menu opens in the live circuit): issued for
    /// the client's antiforgery cookie and the signed-in user, as the app issues it.</summary>
    private static async Task<string> TokenForAsync(HitlAppFactory app, CookieContainer cookies, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!;
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Cookie = cookies.GetCookieHeader(new Uri("http://localhost"));
        http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id)], "Identity.Application"));
        return scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetTokens(http).RequestToken!;
    }
}
