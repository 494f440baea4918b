using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// @mentions in internal notes: a person is mentioned by their handle (the first word of their name, "@alex") or by the
/// part of their e-mail before the @ ("@agent"); case and accents do not matter.
/// </summary>
public static partial class Mentions
{
    [GeneratedRegex(@"(?<![\p{L}\p{N}])@([\p{L}\p{N}][\p{L}\p{N}._-]*)")]
    private static partial Regex Token();

    public static string HandleOf(string? displayName, string? email)
    {
        var first = (displayName ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Fold(string.IsNullOrEmpty(first) ? LocalPart(email) : first);
    }

    /// <summary>The members a text mentions, each once.</summary>
    public static IReadOnlyList<TeamMembers.Member> Find(string text, IEnumerable<TeamMembers.Member> members)
    {
        var tokens = Token().Matches(text).Select(m => Fold(m.Groups[1].Value.TrimEnd('.', '-', '_'))).ToHashSet();
        if (tokens.Count == 0) return [];
        return members.Where(m => tokens.Contains(m.Handle) || tokens.Contains(Fold(LocalPart(m.Email)))).ToList();
    }

    /// <summary>The @words of a text that name no member ("@morgan" for a Manager, a typo), as written, each once.</summary>
    public static IReadOnlyList<string> Unknown(string text, IEnumerable<TeamMembers.Member> members)
    {
        var known = members.SelectMany(m => new[] { m.Handle, Fold(LocalPart(m.Email)) }).ToHashSet();
        return Token().Matches(text).Select(m => m.Groups[1].Value.TrimEnd('.', '-', '_'))
            .Where(t => !known.Contains(Fold(t))).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static string LocalPart(string? email) => email is null ? "" : email.Split('@')[0];

    private static string Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }
}
