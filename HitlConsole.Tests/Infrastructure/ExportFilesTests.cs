using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Files open correctly in Excel and LibreOffice; the sign-in page and the 404 page behave for people browsing.</summary>
public sealed partial class ExportFilesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_csv_download_starts_with_the_utf8_byte_order_mark_and_json_keeps_accents_as_written(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var admin = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        var today = DateTime.UtcNow.Date;
        foreach (var path in new[]
                 {
                     "/knowledge/export?format=csv", "/admin/audit/export",
                     $"/analytics/export/intent-share?from={today.AddDays(-7):yyyy-MM-dd}&to={today:yyyy-MM-dd}",
                 })
        {
            var response = await admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.AsSpan().StartsWith(Bom), $"{path} has no byte-order mark");
            Assert.False(bytes.AsSpan(3).StartsWith(Bom), $"{path} has two");
        }

        var csv = Encoding.UTF8.GetString(await admin.GetByteArrayAsync("/knowledge/export?format=csv"));
        Assert.Contains("ñ", csv); // the demo's Spanish entries, as UTF-8
        var json = Encoding.UTF8.GetString(await admin.GetByteArrayAsync("/knowledge/export?format=json"));
        Assert.Contains("¿", json);
        Assert.DoesNotMatch(UnicodeEscape(), json);
        var version = Encoding.UTF8.GetString(await admin.GetByteArrayAsync("/agent-config/versions/1/export"));
        Assert.DoesNotMatch(UnicodeEscape(), version);
    }

    [Fact]
    public async Task Csv_headers_follow_the_ui_language_and_english_keeps_the_codes_scripts_read()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var today = DateTime.UtcNow.Date;
        var path = $"/analytics/export/outcomes?from={today.AddDays(-7):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        var english = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        Assert.StartsWith("outcome,count", await english.GetStringAsync(path));
        Assert.StartsWith("at_utc,action,actor", await english.GetStringAsync("/admin/audit/export"));

        var spanish = app.CreateBrowserLikeClient();
        await spanish.GetAsync("/culture/set?culture=es&redirectUri=%2F");
        await spanish.SignInAsync(DemoUsers.Admin, HitlAppFactory.DemoPassword);
        var outcomes = await spanish.GetStringAsync(path);
        Assert.StartsWith("resultado,cantidad", outcomes);
        Assert.Contains("aprobados-sin-cambios,", outcomes);
        Assert.StartsWith("fecha_utc,acción,autor", await spanish.GetStringAsync("/admin/audit/export"));
    }

    [Fact]
    public async Task A_signed_in_user_opening_the_sign_in_page_goes_home_or_where_they_were_going()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var agent = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        var home = await agent.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/", home.RedirectPath());
        Assert.Equal("/inbox", (await agent.GetAsync("/account/login?returnUrl=%2Finbox")).RedirectPath());
        Assert.Equal("/", (await agent.GetAsync("/account/login?returnUrl=https%3A%2F%2Fevil.example%2F")).RedirectPath());
        // Nobody signed in: the form.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateBrowserLikeClient().GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task The_not_found_page_s_import_map_carries_the_nonce_of_its_own_content_security_policy()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var admin = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        foreach (var client in new[] { admin, await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword) })
        {
            var response = await client.GetAsync("/no-such-page");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
            var html = await response.Content.ReadAsStringAsync();
            var map = ImportMapNonce().Match(html);
            Assert.True(map.Success, "the 404 page renders an import map with a nonce");
            Assert.Contains($"'nonce-{map.Groups[1].Value}'", policy);
            Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        }
    }

    [GeneratedRegex(@"\\u00[0-9A-Fa-f]{2}")] private static partial Regex UnicodeEscape();
    [GeneratedRegex("""<script[^>]*type="importmap"[^>]*nonce="([^"]+)"|<script[^>]*nonce="([^"]+)"[^>]*type="importmap""")] private static partial Regex ImportMapNonce();
}
