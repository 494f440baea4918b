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

    /// <summary>
    /// Handles that tell people apart: two people called Alex get the names of their e-mails ("@alex.g", "@alex.p") in the
    /// mention chips, so a note reaches the one meant. "@alex" typed by hand still reaches both.
    /// </summary>
    public static List<TeamMembers.Member> Distinct(IEnumerable<TeamMembers.Member> members)
    {
        var list = members.ToList();
        var shared = list.GroupBy(m => m.Handle).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return shared.Count == 0 ? list
            : list.Select(m => shared.Contains(m.Handle) && Fold(LocalPart(m.Email)) is { Length: > 0 } own ? m with { Handle = own } : m).ToList();
    }

    /// <summary>The members a text mentions, each once.</summary>
    public static IReadOnlyList<TeamMembers.Member> Find(string text, IEnumerable<TeamMembers.Member> members)
    {
        var tokens = Token().Matches(text).Select(m => Fold(m.Groups[1].Value.TrimEnd('.', '-', '_'))).ToHashSet();
        if (tokens.Count == 0) return [];
        return members.Where(m => Names(m).Any(tokens.Contains)).ToList();
    }

    /// <summary>The @words of a text that name no member ("@morgan" for a Manager, a typo), as written, each once.</summary>
    public static IReadOnlyList<string> Unknown(string text, IEnumerable<TeamMembers.Member> members)
    {
        var known = members.SelectMany(Names).ToHashSet();
        return Token().Matches(text).Select(m => m.Groups[1].Value.TrimEnd('.', '-', '_'))
            .Where(t => !known.Contains(Fold(t))).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Every word that mentions the member: the handle, the first name and the e-mail's name.</summary>
    private static IEnumerable<string> Names(TeamMembers.Member m) => [m.Handle, HandleOf(m.Name, m.Email), Fold(LocalPart(m.Email))];

    private static string LocalPart(string? email) => email is null ? "" : email.Split('@')[0];

    private static string Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }
}
