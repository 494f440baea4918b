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
}
