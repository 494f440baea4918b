using System.Net;
using System.Text.RegularExpressions;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Npgsql;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Response headers, rate limits and what a webhook answers when the database is gone.</summary>
public sealed partial class SecurityTests
{
    [Fact]
    public async Task Pages_carry_a_content_security_policy_whose_nonce_is_on_the_only_inline_script()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var client = app.CreateBrowserLikeClient();
        var response = await client.GetAsync("/account/login");
        var html = await response.Content.ReadAsStringAsync();

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        var nonce = NoncePattern().Match(csp).Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());

        // Every inline script (Blazor's import map) carries this response's nonce; no inline event handlers anywhere.
        var inline = InlineScriptPattern().Matches(html);
        Assert.NotEmpty(inline);
        Assert.All(inline, m => Assert.Contains($"nonce=\"{nonce}\"", m.Value));
        Assert.DoesNotMatch(HandlerPattern(), html);

        var again = await client.GetAsync("/account/login");
        Assert.NotEqual(nonce, NoncePattern().Match(again.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value);

        var api = await client.PostAsync(WhatsAppWebhook.Path, new StringContent("{}"));
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Sign_in_posts_over_the_limit_get_429_with_retry_after_while_the_page_still_opens()
    {
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["RateLimits:LoginPerMinute"] = "3" });
        var client = app.CreateBrowserLikeClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await client.PostAsync("/account/login", new FormUrlEncodedContent([new("Input.Email", "x@y.z"), new("Input.Password", "wrong")]))).StatusCode);

        Assert.All(statuses.Take(3), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.All(statuses.Skip(3), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var limited = await client.PostAsync("/account/login", new FormUrlEncodedContent([new("Input.Email", "x@y.z")]));
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode); // reading the form is not limited
    }

    [Fact]
    public async Task Webhook_deliveries_over_the_limit_get_429_with_retry_after()
    {
        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["RateLimits:WebhookPerSecond"] = "2" });
        var client = app.CreateBrowserLikeClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage($"wamid.rate.{i}", "hello")]))));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 4, 6);
        Assert.All(limited, r => Assert.Equal("1", r.Headers.GetValues("Retry-After").Single()));
        Assert.All(responses.Except(limited), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task A_webhook_answers_503_with_retry_after_while_the_database_refuses_connections_and_stores_again_afterwards()
    {
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Postgres);
        var client = app.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.db.1", "before")]))).StatusCode);
        var database = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString).Database!;

        await AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        try
        {
            var down = await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.db.2", "while down")]));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("30", down.Headers.GetValues("Retry-After").Single());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        }

        // Meta delivers the same notification again: now it is stored, once.
        await Eventually.GetAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode ? "ready" : null, what: "ready again");
        Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.db.2", "while down")]))).StatusCode);
        await using var db = new NpgsqlConnection(app.Database.ConnectionString);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM \"Messages\" WHERE \"ExternalId\" LIKE 'wamid.db.%'", db);
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }

    private static async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(TestDatabase.PostgresServer);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>")]
    private static partial Regex InlineScriptPattern();

    [GeneratedRegex("\\son(click|load|error|change|submit)=\"", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerPattern();
}
