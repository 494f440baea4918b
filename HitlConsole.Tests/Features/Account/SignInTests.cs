using System.Net;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Account;

public sealed class SignInTests : IAsyncLifetime
{
    private HitlAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await HitlAppFactory.CreateAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_sign_in_page()
    {
        var client = _app.CreateBrowserLikeClient();
        var response = await client.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.RedirectPath(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ReturnUrl=%2Fadmin%2Fusers", response.RedirectPath());
    }

    [Fact]
    public async Task A_demo_user_signs_in_and_lands_on_the_page_asked_for()
    {
        var client = _app.CreateBrowserLikeClient();
        var response = await client.SignInAsync(DemoUsers.Agent, HitlAppFactory.DemoPassword, "/inbox");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/inbox", response.RedirectPath());

        var inbox = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Contains("data-testid=\"inbox-empty\"", await inbox.ReadPageAsync());
    }

    [Fact]
    public async Task The_sign_in_page_lists_the_demo_accounts_and_one_fills_in_the_email_but_never_shows_the_password_outside_development()
    {
        var client = _app.CreateBrowserLikeClient();
        var page = await (await client.GetAsync("/account/login?ReturnUrl=%2Finbox")).ReadPageAsync();
        Assert.Contains("data-testid=\"login-demo-users\"", page);
        Assert.Contains("Ada Admin", page);
        Assert.Contains("agent@demo.local", page);
        Assert.Contains("href=\"/account/login?email=manager%40demo.local&returnUrl=%2Finbox\"", page[page.IndexOf("login-demo-users")..]);
        Assert.DoesNotContain(HitlAppFactory.DemoPassword, page);
        Assert.DoesNotContain("login-demo-password", page);

        var filled = await (await client.GetAsync("/account/login?email=manager%40demo.local")).ReadPageAsync();
        Assert.Matches("id=\"email\"[^>]*value=\"manager@demo.local\"|value=\"manager@demo.local\"[^>]*id=\"email\"", filled);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var client = _app.CreateBrowserLikeClient();
        var response = await client.SignInAsync(DemoUsers.Agent, HitlAppFactory.DemoPassword, "//evil.example/steal");
        Assert.Equal("/", response.RedirectPath());
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_neutral_message()
    {
        var client = _app.CreateBrowserLikeClient();
        var wrong = await (await client.SignInAsync(DemoUsers.Agent, "not-the-password")).ReadPageAsync();
        var unknown = await (await client.SignInAsync("nobody@demo.local", "not-the-password")).ReadPageAsync();

        Assert.Contains("data-testid=\"login-error\"", wrong);
        Assert.Equal(ErrorText(wrong), ErrorText(unknown));
        Assert.DoesNotContain("not exist", wrong, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("locked", wrong, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_for_the_right_password()
    {
        var client = _app.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
            await client.SignInAsync(DemoUsers.Manager, "wrong-password-" + i);

        var response = await client.SignInAsync(DemoUsers.Manager, HitlAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, not a redirect
        Assert.Contains("data-testid=\"login-error\"", await response.ReadPageAsync());
    }

    [Fact]
    public async Task The_sign_in_page_speaks_spanish_when_asked()
    {
        var client = _app.CreateBrowserLikeClient();
        var switched = await client.GetAsync("/culture/set?culture=es&redirectUri=%2Faccount%2Flogin");
        Assert.Equal("/account/login", switched.RedirectPath());

        var page = await client.GetPageAsync("/account/login");
        Assert.Contains("Iniciar sesión", page);
        Assert.Contains("lang=\"es\"", page);
    }

    private static string ErrorText(string html)
    {
        var start = html.IndexOf("data-testid=\"login-error\">", StringComparison.Ordinal);
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }
}
