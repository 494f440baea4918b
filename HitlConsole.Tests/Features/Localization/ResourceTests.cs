using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Tests.Features.Localization;

public sealed partial class ResourceTests
{
    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Repo.PathOf("Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    [Fact]
    public void English_and_spanish_have_the_same_keys_and_no_empty_text()
    {
        foreach (var english in Directory.GetFiles(Repo.PathOf("Resources"), "*.resx").Where(f => !f.EndsWith(".es.resx")))
        {
            var name = Path.GetFileName(english);
            var en = Read(name);
            var es = Read(name.Replace(".resx", ".es.resx"));
            Assert.Empty(en.Keys.Except(es.Keys));
            Assert.Empty(es.Keys.Except(en.Keys));
            Assert.DoesNotContain(en, kv => string.IsNullOrWhiteSpace(kv.Value));
            Assert.DoesNotContain(es, kv => string.IsNullOrWhiteSpace(kv.Value));
            // A placeholder in one language must exist in the other.
            foreach (var (key, text) in en)
                Assert.Equal(Placeholders(text), Placeholders(es[key]));
        }
    }

    /// <summary>The inbox lanes and the home queue count conversations (feminine in Spanish): the same word for the same thing.</summary>
    [Fact]
    public void Spanish_names_conversations_in_the_feminine_in_the_lanes_and_the_home_queue()
    {
        var es = Read("SharedResource.es.resx");
        Assert.Equal("Bloqueadas", es["InboxLaneBlocked"]);
        Assert.Equal(es["InboxLaneBlocked"], es["HomeQueueBlocked"]);
        Assert.All(new[] { "InboxMine", "InboxAll", "InboxArchived", "InboxSortOldest" }, key => Assert.EndsWith("as", es[key]));
        Assert.Equal("Asignada a", es["AssigneeLabel"]); // a conversation's assignee, in the header and the filters
    }

    [Fact]
    public void Every_key_the_code_asks_for_exists()
    {
        var keys = Read("SharedResource.resx").Keys.ToHashSet();
        var code = Directory.EnumerateFiles(Repo.PathOf("HitlConsole"), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor") || f.EndsWith(".cs")) && !f.Contains("/obj/") && !f.Contains("/bin/"));
        var missing = code.SelectMany(f => KeyPattern().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(x => !keys.Contains(x.Key))
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_app_reads_its_strings_from_the_repository_resources_in_both_languages()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var localizer = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var en = Read("SharedResource.resx");
        var es = Read("SharedResource.es.resx");

        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal(en["SignInTitle"], localizer["SignInTitle"].Value);
            CultureInfo.CurrentUICulture = new CultureInfo("es");
            Assert.Equal(es["SignInTitle"], localizer["SignInTitle"].Value);
            Assert.False(localizer["NavInbox"].ResourceNotFound);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task MudBlazor_texts_follow_the_ui_language()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("es");
            using var scope = app.Services.CreateScope();
            var localizer = scope.ServiceProvider.GetRequiredService<MudBlazor.MudLocalizer>();
            Assert.Equal("Filas por página:", localizer["MudDataGridPager_RowsPerPage"].Value);
            Assert.Equal("1–25 de 3.580", localizer["MudDataGridPager_InfoFormat", 1, 25, "3.580"].Value);
            Assert.Equal("Mostrar u ocultar Administración", localizer["MudNavGroup_ToggleExpand", "Administración"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void Every_text_mudblazor_shows_has_an_english_and_a_spanish_translation()
    {
        var ours = Read("MudBlazorStrings.es.resx");
        var missing = UiText.MudBlazorEnglishByKey().Keys.Where(k => !ours.ContainsKey(k)).Order().ToList();
        Assert.True(missing.Count == 0, "MudBlazor would show English for: " + string.Join(", ", missing));
        // MudBlazor formats with numbered placeholders; named tokens such as {first_item} would be shown raw.
        Assert.DoesNotContain(ours, kv => System.Text.RegularExpressions.Regex.IsMatch(kv.Value, @"\{[a-z_]+\}"));
    }

    private static string[] Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Value).Order().ToArray();

    [GeneratedRegex("""(?:L\["|\.Plural\(")([A-Za-z0-9]+)"[\],]""")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
