using Bunit;
using HitlConsole.Components;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HitlConsole.Tests.Features.Localization;

/// <summary>A grid's pager counts in the UI language's numbers, as every other count on the page does.</summary>
public sealed class PagerComponentTests : BunitHost
{
    public PagerComponentTests() => Ctx.Services.AddTransient<MudLocalizer, HitlMudLocalizer>();

    [Theory]
    [InlineData("es", "1–25 de 3.661")]
    [InlineData("en", "1–25 of 3,661")]
    public void The_grid_pagers_total_uses_the_ui_languages_group_separator(string culture, string expected)
    {
        UseCulture(culture);
        var cut = Render<MudDataGrid<int>>(p => p
            .Add(g => g.Items, Enumerable.Range(1, 3661).ToList())
            .Add(g => g.RowsPerPage, 25)
            .Add(g => g.Columns, (RenderFragment)(b =>
            {
                b.OpenComponent<PropertyColumn<int, int>>(0);
                b.AddAttribute(1, nameof(PropertyColumn<int, int>.Property), (System.Linq.Expressions.Expression<Func<int, int>>)(i => i));
                b.CloseComponent();
            }))
            .Add(g => g.PagerContent, (RenderFragment)(b =>
            {
                b.OpenComponent<MudDataGridPager<int>>(0);
                b.CloseComponent();
            })));

        Assert.Contains(expected, cut.Find(".mud-table-pagination-caption:last-of-type, .mud-table-pagination").TextContent);
    }
}
