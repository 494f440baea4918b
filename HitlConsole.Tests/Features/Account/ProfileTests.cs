using System.Net;
using HitlConsole.Features.Account;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Account;

/// <summary>The profile page: a person changes their name and UI language; the language follows them to a new browser.</summary>
public sealed class ProfileTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_changed_name_and_language_persist_and_a_new_browser_speaks_the_language_at_sign_in(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.Contains("Your profile", await client.GetPageAsync("/account/profile"));

        var saved = await client.PostWithTokenAsync("/account/profile", AccountRegistration.SaveProfilePath, new Dictionary<string, string>
        {
            ["DisplayName"] = "  Sam Reviewer ", ["Culture"] = "es",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/account/profile?saved=1", saved.RedirectPath());
        var page = await client.GetPageAsync("/account/profile?saved=1");
        Assert.Contains("Tu perfil", page);
        Assert.Contains("Sam Reviewer", page);

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == DemoUsers.Agent);
            Assert.Equal(("Sam Reviewer", "es"), (user.DisplayName, user.Culture));
        }

        var otherBrowser = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.Contains("Tu perfil", await otherBrowser.GetPageAsync("/account/profile"));

        // A blank name is refused: the page comes back saying why, in the UI language, and nothing changes.
        var blank = await otherBrowser.PostWithTokenAsync("/account/profile", AccountRegistration.SaveProfilePath, new Dictionary<string, string>
        {
            ["DisplayName"] = "   ", ["Culture"] = "es",
        });
        Assert.Equal(HttpStatusCode.Redirect, blank.StatusCode);
        var refused = await otherBrowser.GetPageAsync(blank.RedirectPath());
        Assert.Contains("Escribe un nombre de hasta 200 caracteres.", refused);
        Assert.DoesNotContain("Se ha guardado tu perfil.", refused);
        // The address names a reason; the page shows only the handler's own (no resource key picked by a link).
        Assert.DoesNotContain("profile-error", await otherBrowser.GetPageAsync("/account/profile?error=SignInTitle"));
        // A post from another site (no antiforgery token) changes nothing.
        var forged = await otherBrowser.PostAsync(AccountRegistration.SaveProfilePath,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["DisplayName"] = "Mallory", ["Culture"] = "en" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal("Sam Reviewer", (await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == DemoUsers.Agent)).DisplayName);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_language_picked_on_the_sign_in_page_wins_over_the_profiles_older_one_and_becomes_it(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var first = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        await first.GetAsync("/culture/set?culture=es&redirectUri=%2F"); // weeks ago, in the app bar

        var browser = app.CreateBrowserLikeClient();
        await browser.GetAsync("/culture/set?culture=en&redirectUri=%2Faccount%2Flogin"); // today, on the sign-in page
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(DemoUsers.Agent, HitlAppFactory.DemoPassword)).StatusCode);
        Assert.Contains("Your profile", await browser.GetPageAsync("/account/profile"));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal("en", (await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == DemoUsers.Agent)).Culture);

        // Without a pick on the sign-in page, the profile's language still follows the user to a new browser.
        await browser.GetAsync("/culture/set?culture=es&redirectUri=%2F");
        var other = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.Contains("Tu perfil", await other.GetPageAsync("/account/profile"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_language_switched_in_the_app_bar_is_the_profiles_language_and_the_next_sign_in_speaks_it(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);

        var switched = await client.GetAsync("/culture/set?culture=es&redirectUri=%2Faccount%2Fprofile");
        Assert.Equal("/account/profile", switched.RedirectPath());

        var profile = await client.GetPageAsync("/account/profile");
        Assert.Contains("Tu perfil", profile);
        Assert.Matches("<option value=\"es\" selected", profile);
        Assert.DoesNotMatch("<option value=\"en\" selected", profile);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal("es", (await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == DemoUsers.Agent)).Culture);
        var otherBrowser = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.Contains("Tu perfil", await otherBrowser.GetPageAsync("/account/profile"));

        // Switching back is the same setting again.
        await client.GetAsync("/culture/set?culture=en&redirectUri=%2F");
        Assert.Matches("<option value=\"en\" selected", await client.GetPageAsync("/account/profile"));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal("en", (await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == DemoUsers.Agent)).Culture);
    }
}
