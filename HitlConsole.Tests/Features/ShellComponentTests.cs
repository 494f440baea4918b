using Bunit;
using HitlConsole.Components.Layout;
using HitlConsole.Components.Shared;
using HitlConsole.Domain;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features;

public sealed class ShellComponentTests : BunitHost
{
    [Theory]
    [InlineData(Roles.Agent, new[] { "nav-home", "nav-inbox" }, new[] { "nav-analytics", "nav-knowledge", "nav-agent-config", "nav-users", "nav-jobs" })]
    [InlineData(Roles.Manager, new[] { "nav-home", "nav-analytics" }, new[] { "nav-inbox", "nav-knowledge", "nav-agent-config", "nav-users" })]
    [InlineData(Roles.Admin, new[] { "nav-inbox", "nav-analytics", "nav-knowledge", "nav-agent-config", "nav-users" }, new[] { "nav-workspaces", "nav-jobs" })]
    public void The_navigation_follows_the_role(string role, string[] shown, string[] hidden)
    {
        Ctx.AddAuthorization().SetAuthorized("someone").SetRoles(role);
        var nav = Render<NavMenu>();
        foreach (var id in shown) Assert.NotEmpty(nav.FindAll($"[data-testid={id}]"));
        foreach (var id in hidden) Assert.Empty(nav.FindAll($"[data-testid={id}]"));
    }

    [Fact]
    public void Only_the_platform_operator_sees_the_workspaces_and_the_job_dashboard()
    {
        Ctx.AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Admin)
            .SetPolicies(HitlConsole.Features.Account.AccountRegistration.PlatformOperatorPolicy);
        var nav = Render<NavMenu>();
        Assert.NotEmpty(nav.FindAll("[data-testid=nav-workspaces]"));
        Assert.NotEmpty(nav.FindAll("[data-testid=nav-jobs]"));
    }

    [Fact]
    public void The_navigation_speaks_spanish()
    {
        UseCulture("es");
        Ctx.AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Admin);
        var nav = Render<NavMenu>();
        Assert.Contains("Bandeja de entrada", nav.Find("[data-testid=nav-inbox]").TextContent);
        Assert.Contains("Base de conocimiento", nav.Find("[data-testid=nav-knowledge]").TextContent);
    }

    [Fact]
    public void Access_denied_explains_itself_in_the_users_language()
    {
        UseCulture("es");
        var denied = Render<AccessDenied>();
        Assert.Contains("No tienes acceso", denied.Find("[data-testid=access-denied]").TextContent);
    }

    [Fact]
    public void The_culture_switch_shows_the_current_language()
    {
        UseCulture("es");
        var cut = Render<CultureSwitch>();
        Assert.Contains("ES", cut.Find("[data-testid=culture-switch]").TextContent);
    }

    [Fact]
    public void The_reconnect_overlay_is_localised()
    {
        UseCulture("es");
        var cut = Render<ReconnectModal>();
        Assert.Contains("Reconectando", cut.Markup);
        Assert.NotNull(cut.Find("#components-reconnect-modal"));
    }
}
