using System.Net;
using System.Text.RegularExpressions;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task The_json_api_answers_cross_origin_requests_only_from_allowed_origins()
    {
        await using var closed = await HitlAppFactory.CreateAsync();
        Assert.Null(AllowedOrigin(await PreflightAsync(closed.CreateBrowserLikeClient(), "https://tools.example.com")));

        await using var app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = "https://tools.example.com/",
        });
        var client = app.CreateBrowserLikeClient();
        var allowed = await PreflightAsync(client, "https://tools.example.com");
        Assert.Equal("https://tools.example.com", AllowedOrigin(allowed));
        Assert.Contains("x-api-key", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials")); // the API takes keys, never cookies
        Assert.Null(AllowedOrigin(await PreflightAsync(client, "https://evil.example.net")));

        // The actual request from the allowed origin is answered with its origin; pages never are.
        var post = new HttpRequestMessage(HttpMethod.Post, "/api/simulator/messages")
        {
            Content = new StringContent("""{"from":"+34600000001","text":"hola"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("Origin", "https://tools.example.com");
        post.Headers.Add("X-Api-Key", HitlAppFactory.SimulatorKey);
        var answered = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);
        Assert.Equal("https://tools.example.com", AllowedOrigin(answered));
        var page = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        page.Headers.Add("Origin", "https://tools.example.com");
        Assert.Null(AllowedOrigin(await client.SendAsync(page)));
    }

    [Fact]
    public async Task Oversized_request_bodies_are_refused_by_the_server_before_the_app_reads_them()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var url = new Uri(app.StartKestrel());
        using var http = new HttpClient { BaseAddress = url };
        var limits = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value.Limits;
        Assert.Equal(2 * 1024 * 1024, limits.MaxRequestBodySize); // appsettings.json's Kestrel:Limits, not Kestrel's 30 MB

        // A form post over the limit: the form is never read (antiforgery sees no form), nobody is signed in.
        var (form, formHeaders) = await AnnounceAsync(url, "/account/login", "application/x-www-form-urlencoded", 3 * 1024 * 1024);
        Assert.True(form is 413 or 400, $"{form}");
        Assert.DoesNotContain(formHeaders, h => h.StartsWith("Set-Cookie: hitl.auth", StringComparison.OrdinalIgnoreCase));
        // Over the server's limit, and under it but over the webhook's own (Pipeline:MaxBodyBytes): 413 both times.
        foreach (var size in new[] { 3 * 1024 * 1024, 1536 * 1024 })
            Assert.Equal(413, (await AnnounceAsync(url, WhatsAppWebhook.Path, "application/json", size)).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Session_and_antiforgery_cookies_are_http_only_and_same_site_and_forms_refuse_posts_without_a_token()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var client = app.CreateBrowserLikeClient();
        var login = await client.GetAsync("/account/login");
        var antiforgery = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery"));
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", antiforgery, StringComparison.OrdinalIgnoreCase);

        // A cross-site form post (no antiforgery token) changes nothing.
        var forged = await client.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Input.Email", DemoUsers.Admin), new("Input.Password", HitlAppFactory.DemoPassword), new("_handler", "login")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(forged.Headers.TryGetValues("Set-Cookie", out var none) ? none : [], c => c.StartsWith("hitl.auth"));

        var signedIn = await client.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = DemoUsers.Admin, ["Input.Password"] = HitlAppFactory.DemoPassword,
        });
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hitl.auth="));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);

        // Behind TLS (the request says https), the session cookie is Secure.
        var https = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        });
        var secured = await https.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = DemoUsers.Admin, ["Input.Password"] = HitlAppFactory.DemoPassword,
        });
        Assert.Contains("secure", secured.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hitl.auth=")), StringComparison.OrdinalIgnoreCase);
    }

    private static Task<HttpResponseMessage> PreflightAsync(HttpClient client, string origin)
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/simulator/messages");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        return client.SendAsync(preflight);
    }

    private static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

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

    /// <summary>
    /// Announces a body (Content-Length, "Expect: 100-continue") and reads the answer without sending it: the server must refuse
    /// from the headers alone. A real client writing megabytes races the server's close (a reset instead of the 413) under load.
    /// </summary>
    private static async Task<(int Status, List<string> Headers)> AnnounceAsync(Uri server, string path, string contentType, long length)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {length}\r\n" +
            "Expect: 100-continue\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
        var headers = new List<string>();
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { Length: > 0 } line) headers.Add(line);
        return (int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers);
    }
}
