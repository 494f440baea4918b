using System.Net;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Account;

/// <summary>Every test only signs in and reads, so the class shares one app.</summary>
public sealed class RoleAccessTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly HitlAppFactory _app = shared.App;

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = _app.CreateBrowserLikeClient();
        var response = await client.SignInAsync(email, HitlAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [Theory]
    [InlineData(DemoUsers.Agent, "/admin/users")]
    [InlineData(DemoUsers.Agent, "/knowledge")]
    [InlineData(DemoUsers.Agent, "/agent-config")]
    [InlineData(DemoUsers.Agent, "/analytics")]
    [InlineData(DemoUsers.Agent, "/jobs")]
    [InlineData(DemoUsers.Manager, "/admin/users")]
    [InlineData(DemoUsers.Manager, "/knowledge")]
    [InlineData(DemoUsers.Manager, "/jobs")]
    public async Task A_role_gets_no_page_it_may_not_use(string email, string path)
    {
        var client = await SignedInAsync(email);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.RedirectPath());
    }

    [Fact]
    public async Task The_workspace_switch_s_address_opened_directly_goes_home_instead_of_an_error()
    {
        var response = await (await SignedInAsync(DemoUsers.Agent)).GetAsync(HitlConsole.Features.Account.AccountRegistration.SwitchWorkspacePath);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode); // was 405
        Assert.Equal("/", response.RedirectPath());
    }

    [Theory]
    [InlineData(DemoUsers.Agent, "/inbox")]
    [InlineData(DemoUsers.Manager, "/analytics")]
    [InlineData(DemoUsers.Manager, "/inbox")] // read-only, for analytics drill-down
    [InlineData(DemoUsers.Admin, "/admin/users")]
    [InlineData(DemoUsers.Admin, "/knowledge")]
    [InlineData(DemoUsers.Admin, "/jobs")]
    public async Task A_role_opens_the_pages_it_works_with(string email, string path)
    {
        var client = await SignedInAsync(email);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(DemoUsers.Agent, new[] { "nav-inbox" }, new[] { "nav-analytics", "nav-knowledge", "nav-agent-config", "nav-users", "nav-jobs" })]
    [InlineData(DemoUsers.Manager, new[] { "nav-analytics" }, new[] { "nav-inbox", "nav-knowledge", "nav-agent-config", "nav-users", "nav-jobs" })]
    [InlineData(DemoUsers.Admin, new[] { "nav-inbox", "nav-analytics", "nav-knowledge", "nav-agent-config", "nav-users", "nav-jobs" }, new string[0])]
    public async Task Navigation_shows_only_what_the_role_may_use(string email, string[] shown, string[] hidden)
    {
        var client = await SignedInAsync(email);
        var html = await client.GetPageAsync("/");
        foreach (var id in shown) Assert.Contains($"data-testid=\"{id}\"", html);
        foreach (var id in hidden) Assert.DoesNotContain($"data-testid=\"{id}\"", html);
    }

    [Fact]
    public async Task The_jobs_dashboard_is_closed_to_anonymous_visitors()
    {
        var response = await _app.CreateBrowserLikeClient().GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.RedirectPath());
    }

    [Fact]
    public async Task The_jobs_dashboard_speaks_the_operators_language()
    {
        var client = await SignedInAsync(DemoUsers.Admin);
        var html = await client.GetPageAsync("/jobs?culture=es");

        Assert.Contains("<html lang=\"es\">", html);
        Assert.Contains("Tareas recurrentes", html);
        Assert.Contains("Gráfico en tiempo real", html);
        Assert.DoesNotContain("Dashboard", html); // the title is the product's name, in no language
    }

    /// <summary>The dashboard's own stylesheet or script bundle (<paramref name="attribute"/> href or src, <paramref name="kind"/> css or js), which carries the app's additions.</summary>
    private async Task<string> DashboardBundleAsync(string page, string attribute, string kind)
    {
        var client = await SignedInAsync(DemoUsers.Admin);
        var html = await client.GetPageAsync(page);
        var bundle = System.Text.RegularExpressions.Regex.Match(html, $"{attribute}=\"(/jobs/{kind}\\d+)\"").Groups[1].Value;
        Assert.NotEmpty(bundle);
        return await (await client.GetAsync(bundle)).Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_jobs_dashboard_says_on_a_phone_that_its_tables_go_on_sideways()
    {
        var styles = await DashboardBundleAsync("/jobs/recurring", "href", "css");
        // The shadow scrolls away with the table's end: a cover fixed to the content (local) slides over it there.
        Assert.Contains(".table-responsive {", styles);
        Assert.Contains("no-repeat local", styles);
        Assert.DoesNotContain("box-shadow: inset", styles); // a shadow on the box stayed after scrolling to the end
    }

    [Fact]
    public async Task The_jobs_dashboard_gives_its_graphs_a_taller_shape_on_a_phone()
    {
        // Chart.js keeps Hangfire's canvas shape (1140 × 210, strips 66 px tall on a phone) unless the chart's ratio changes.
        var scripts = await DashboardBundleAsync("/jobs", "src", "js");
        Assert.Contains("matchMedia('(max-width: 767px)')", scripts);
        Assert.Contains("chart.aspectRatio = ratio", scripts);
        Assert.Contains("Chart.plugins.register({ beforeInit", scripts); // before the first drawing: the page creates its charts on load
    }
}
