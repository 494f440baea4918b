using System.Net;
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

        var saved = await client.PostFormAsync("/account/profile", "profile", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "  Sam Reviewer ", ["Input.Culture"] = "es",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
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

        // A blank name is refused (the form's validation, in the UI language), and nothing changes.
        var blank = await otherBrowser.PostFormAsync("/account/profile", "profile", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "   ", ["Input.Culture"] = "es",
        });
        Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
        Assert.DoesNotContain("Se ha guardado tu perfil.", await blank.ReadPageAsync());
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal("Sam Reviewer", (await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == DemoUsers.Agent)).DisplayName);
    }
}
