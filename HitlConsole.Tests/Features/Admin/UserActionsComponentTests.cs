using Bunit;
using HitlConsole.Features.Admin.Users;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Admin;

/// <summary>The users table's row actions: an Admin cannot start deactivating their own account (the server refuses it as well).</summary>
public sealed class UserActionsComponentTests : BunitHost
{
    private static ListUsers.Row Row(bool disabled = false) => new("u1", "ada@demo.local", "Ada Admin", "Admin", disabled, false);

    [Fact]
    public void Deactivate_is_disabled_on_ones_own_row_and_says_why_in_spanish()
    {
        UseCulture("es");
        var toggled = 0;
        var cut = Render<UserActions>(p => p.Add(x => x.Row, Row()).Add(x => x.IsMe, true).Add(x => x.OnToggle, () => toggled++));

        var toggle = cut.Find("[data-testid=user-toggle]");
        Assert.True(toggle.HasAttribute("disabled"));
        Assert.Contains("No puedes desactivar tu propia cuenta.", toggle.GetAttribute("aria-label"));
        Assert.False(cut.Find("[data-testid=user-reset]").HasAttribute("disabled")); // a new password is still one's own business
        Assert.Equal(0, toggled);
    }

    [Fact]
    public void Another_persons_row_can_be_deactivated_and_enabled()
    {
        var toggled = 0;
        var cut = Render<UserActions>(p => p.Add(x => x.Row, Row()).Add(x => x.OnToggle, () => toggled++));
        cut.Find("[data-testid=user-toggle]").Click();
        Assert.Equal(1, toggled);

        var disabled = Render<UserActions>(p => p.Add(x => x.Row, Row(disabled: true)).Add(x => x.IsMe, true));
        Assert.False(disabled.Find("[data-testid=user-toggle]").HasAttribute("disabled")); // re-enabling is never refused
    }
}
