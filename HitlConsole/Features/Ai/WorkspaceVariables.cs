using System.Text.RegularExpressions;

namespace HitlConsole.Features.Ai;

/// <summary>
/// The workspace's placeholder values (agent configuration, "Variables"), as drafting reads them for one language.
/// A value left empty in the reply's language reuses another language's value only when that value reads the same in
/// any language — a phone number, an e-mail address, a link, a single word such as a brand — never a sentence such as
/// opening hours, which would put English into a Spanish reply.
/// </summary>
public sealed partial class WorkspaceVariables(IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Values)> variables)
{
    public static readonly WorkspaceVariables None = new([]);

    public IReadOnlyDictionary<string, string> For(string language)
    {
        var values = new Dictionary<string, string>();
        foreach (var (name, byLanguage) in variables)
        {
            var value = byLanguage.GetValueOrDefault(language);
            if (string.IsNullOrWhiteSpace(value))
                value = byLanguage.Where(v => v.Key != language).Select(v => v.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v) && IsLanguageNeutral(v));
            if (!string.IsNullOrWhiteSpace(value)) values.TryAdd(name, value);
        }
        return values;
    }

    /// <summary>At most one word once e-mail addresses and links are set aside: "+34 900 100 200", "help@shop.example", "ShopDemo".</summary>
    public static bool IsLanguageNeutral(string value) => Word().Matches(AddressOrLink().Replace(value, " ")).Count <= 1;

    [GeneratedRegex(@"\S+@\S+|\S+://\S+|www\.\S+")]
    private static partial Regex AddressOrLink();

    [GeneratedRegex(@"\p{L}{2,}")]
    private static partial Regex Word();
}
