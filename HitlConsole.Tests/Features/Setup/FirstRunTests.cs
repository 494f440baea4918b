using System.Net;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Setup;

/// <summary>Outside Development with no demo data, an empty database leads to the first-run page.</summary>
public sealed class FirstRunTests : IAsyncLifetime
{
    private HitlAppFactory _app = null!;

    public async Task InitializeAsync() =>
        _app = await HitlAppFactory.CreateAsync(settings: new Dictionary<string, string?> { ["Demo:Enabled"] = "false" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static Dictionary<string, string> Form(string email = "owner@acme.test", string password = "Owner2026pass", string zone = "Europe/Madrid") => new()
    {
        ["Input.WorkspaceName"] = "Acme Support",
        ["Input.AdminName"] = "Olivia Owner",
        ["Input.AdminEmail"] = email,
        ["Input.Password"] = password,
        ["Input.Culture"] = "es",
        ["Input.TimeZone"] = zone,
    };

    [Fact]
    public async Task Every_page_leads_to_setup_until_a_workspace_exists()
    {
        var client = _app.CreateBrowserLikeClient();
        foreach (var path in new[] { "/", "/account/login", "/admin/users" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/setup", response.RedirectPath());
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Theory]
    [InlineData("es")]
    [InlineData("en")]
    public async Task The_workspace_language_starts_as_the_language_the_page_is_read_in(string culture)
    {
        var html = await _app.CreateBrowserLikeClient().GetPageAsync($"/setup?culture={culture}");
        var select = html[html.IndexOf("data-testid=\"setup-culture\"", StringComparison.Ordinal)..];
        select = select[..select.IndexOf("</select>", StringComparison.Ordinal)];
        Assert.Matches($"<option value=\"{culture}\" selected", select);
    }

    [Fact]
    public async Task Setup_creates_the_workspace_and_its_admin_once()
    {
        var client = _app.CreateBrowserLikeClient();
        var created = await client.PostFormAsync("/setup", "setup", Form());
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/account/login", created.RedirectPath());

        // The page is gone for good, and the new Admin can sign in (in the workspace's language).
        var again = await client.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("owner@acme.test", "Owner2026pass", "/admin/users")).StatusCode);
        var users = await client.GetPageAsync("/admin/users");
        Assert.Contains("Olivia Owner", users);
        Assert.Contains("Usuarios", users);
    }

    [Fact]
    public async Task A_bad_time_zone_or_weak_password_keeps_the_form_and_creates_nothing()
    {
        var client = _app.CreateBrowserLikeClient();
        var badZone = await client.PostFormAsync("/setup", "setup", Form(zone: "Mars/Olympus"));
        Assert.Equal(HttpStatusCode.OK, badZone.StatusCode);
        Assert.Contains("data-testid=\"setup-error\"", await badZone.ReadPageAsync());

        var weak = await client.PostFormAsync("/setup", "setup", Form(password: "alllowercase"));
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("data-testid=\"setup-error\"", await weak.ReadPageAsync());

        var stillEmpty = await client.GetAsync("/");
        Assert.Equal("/setup", stillEmpty.RedirectPath());
    }
}
