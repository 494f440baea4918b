using System.Net;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Localization;

/// <summary>Every test reads with a client of its own, so the class shares one app.</summary>
public sealed class CultureTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly HitlAppFactory _app = shared.App;

    [Fact]
    public async Task Switching_to_spanish_sets_the_culture_cookie_and_goes_back()
    {
        var response = await _app.CreateBrowserLikeClient().GetAsync("/culture/set?culture=es&redirectUri=%2Finbox%3Fx%3D1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/inbox?x=1", response.RedirectPath());
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Culture=c%3Des%7Cuic%3Des", StringComparison.Ordinal));
        // Nobody is signed in: the choice is also marked for the next sign-in to keep (ProfileTests).
        Assert.Contains(cookies, c => c.StartsWith(HitlConsole.Features.Account.UpdateProfile.ChosenBeforeSignInCookie + "=es", StringComparison.Ordinal));
        Assert.Equal(2, cookies.Count);
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("de")]
    [InlineData("")]
    [InlineData("es-<script>")]
    public async Task An_unknown_culture_is_ignored_without_an_error(string culture)
    {
        var response = await _app.CreateBrowserLikeClient().GetAsync($"/culture/set?culture={Uri.EscapeDataString(culture)}&redirectUri=%2F");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.RedirectPath());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task The_switch_never_redirects_to_another_site(string target)
    {
        var response = await _app.CreateBrowserLikeClient().GetAsync($"/culture/set?culture=es&redirectUri={Uri.EscapeDataString(target)}");
        Assert.Equal("/", response.RedirectPath());
    }

    [Fact]
    public async Task A_browser_asking_for_spanish_gets_spanish_before_choosing()
    {
        var client = _app.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es-MX,es;q=0.9");
        var page = await client.GetPageAsync("/account/login");
        Assert.Contains("Iniciar sesión", page);
    }
}
