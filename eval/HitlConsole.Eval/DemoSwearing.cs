using System.Text.RegularExpressions;

namespace HitlConsole.Eval;

/// <summary>
/// Bitext writes some customer questions with swear words ("can i expect my fucking shipment"), to teach models that an
/// angry customer still has an ordinary request, and one answer repeats one ("the new bloody Platinum account"). In the demo
/// the questions are shown to agents as the sources of a draft and the answers go to customers, so both are stored without
/// the swear word; the request, and what the answer says to it, stay as they were.
/// </summary>
public static partial class DemoSwearing
{
    /// <summary>The text without its swear words; a text without any comes back as it was, its spacing and indentation too.</summary>
    public static string Remove(string text) =>
        Swearing().IsMatch(text) ? Spaces().Replace(Swearing().Replace(text, " "), " ").Trim() : text;

    // "thisgoddamn item": the dataset sometimes glues the word to the one before it.
    [GeneratedRegex(@"(?:god)?damn(?:ed)?\b|\bfuck(?:ing|in')?\b|\bbloody\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Swearing();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();
}
