using System.Text.RegularExpressions;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// "/" in a reply editor: the word typed after a slash (at the start or after a space) filters the saved replies, and the
/// chosen one takes the place of that "/word". Pure text functions, so the editor's behaviour is testable without a browser.
/// </summary>
public static partial class SlashCommand
{
    public const int MaxSuggestions = 8;

    public sealed record Token(int Start, int End, string Query);

    [GeneratedRegex(@"(?:^|(?<=\s))/([\p{L}\p{N}_-]{0,40})$")]
    private static partial Regex TokenBeforeCaret();

    /// <summary>The "/word" that ends at <paramref name="caret"/>, if any.</summary>
    public static Token? At(string text, int caret)
    {
        caret = Math.Clamp(caret, 0, text.Length);
        var m = TokenBeforeCaret().Match(text[..caret]);
        return m.Success ? new Token(m.Index, caret, m.Groups[1].Value) : null;
    }

    /// <summary>Where the caret is after one edit (typing, pasting or deleting in one place): the end of what changed.</summary>
    public static int CaretAfterEdit(string before, string after)
    {
        var prefix = 0;
        while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix]) prefix++;
        var suffix = 0;
        while (suffix < before.Length - prefix && suffix < after.Length - prefix && before[^(suffix + 1)] == after[^(suffix + 1)]) suffix++;
        return after.Length - suffix;
    }

    /// <summary>Shortcuts that start with the query first, then shortcuts and texts that contain it.</summary>
    public static IReadOnlyList<SavedReplyChoice> Filter(IEnumerable<SavedReplyChoice> replies, string query)
    {
        var q = query.Trim();
        return replies
            .Select(r => (r, rank: r.Shortcut.StartsWith(q, StringComparison.OrdinalIgnoreCase) ? 0
                : r.Shortcut.Contains(q, StringComparison.OrdinalIgnoreCase) ? 1
                : r.Text.Contains(q, StringComparison.CurrentCultureIgnoreCase) ? 2 : 3))
            .Where(x => x.rank < 3).OrderBy(x => x.rank).Select(x => x.r).Take(MaxSuggestions).ToList();
    }

    /// <summary>The text with the reply in place of the "/word", or added at the end (its own paragraph) when there is none.</summary>
    public static string Insert(string text, Token? token, string reply)
    {
        if (token is not null && token.End <= text.Length)
            return text[..token.Start] + reply + text[token.End..];
        return string.IsNullOrWhiteSpace(text) ? reply : text.TrimEnd() + "\n\n" + reply;
    }
}
