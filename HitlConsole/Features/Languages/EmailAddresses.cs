using System.Text.RegularExpressions;

namespace HitlConsole.Features.Languages;

/// <summary>
/// An e-mail address written in a text, one pattern for every place that looks for one: the facts a customer gave, the
/// guardrail's model, the import's personal-data scan and the answers saved from agents' replies.
/// </summary>
public static partial class EmailAddresses
{
    [GeneratedRegex(@"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+")]
    public static partial Regex Pattern();
}
