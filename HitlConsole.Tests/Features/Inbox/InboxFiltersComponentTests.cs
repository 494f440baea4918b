using Bunit;
using HitlConsole.Features.Inbox;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>The inbox's date filters speak the console's language, not the browser's.</summary>
public sealed class InboxFiltersComponentTests : BunitHost
{
    [Theory]
    [InlineData("es", "31/12/2026", "1/12/2026")]
    [InlineData("en", "12/31/2026", "12/1/2026")]
    public void The_date_filters_write_dates_as_the_console_language_does(string culture, string since, string until)
    {
        UseCulture(culture);
        var cut = Render<InboxFilters>(p => p.Add(x => x.View, new InboxView(Since: new DateOnly(2026, 12, 31), Until: new DateOnly(2026, 12, 1))));

        string Shown(string id) => cut.Find($"[data-testid={id}] input, input[data-testid={id}]").GetAttribute("value") ?? "";
        Assert.Equal(since, Shown("filter-since"));
        Assert.Equal(until, Shown("filter-until"));
    }
}
