using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// Words for what the configuration stores as codes: the comments the app itself writes on a version (stored in a fixed,
/// language-neutral form so that versions saved before this change read the same), the policy's reasons, and the
/// field paths of a comparison.
/// </summary>
public static partial class ConfigTexts
{
    public const string InitialComment = "Initial configuration";
    /// <summary>The demo's second version (a shorter auto-send delay), so its history spans two versions.</summary>
    public const string ShorterDelayComment = "Auto-send delay shortened";
    public static string RestoredComment(int number) => $"Restored from version {number}";
    public static string ImportedComment(string file, int? version) => $"Imported from {file}" + (version is { } v ? $" (version {v})" : "");

    /// <summary>A version's comment in the UI language: the app's own comments are translated, an Admin's are shown as written.</summary>
    public static string Comment(string? comment, IStringLocalizer l)
    {
        if (string.IsNullOrEmpty(comment)) return "";
        if (comment == InitialComment) return l["ConfigCommentInitial"];
        if (comment == ShorterDelayComment) return l["ConfigCommentShorterDelay"];
        if (Restored().Match(comment) is { Success: true } r) return l["ConfigCommentRestored", r.Groups[1].Value];
        if (Imported().Match(comment) is { Success: true } i)
            return i.Groups[2].Success ? l["ConfigCommentImportedVersion", i.Groups[1].Value, i.Groups[2].Value] : l["ConfigCommentImported", i.Groups[1].Value];
        return comment;
    }

    /// <summary>Why a draft would wait for a person (the draft policy and the composer's reasons).</summary>
    public static string PolicyReason(string reason, IStringLocalizer l)
    {
        var text = l["PolicyReason" + Pascal(reason)];
        return text.ResourceNotFound ? reason : text.Value;
    }

    /// <summary>"identity.assistantName" → "Identity › Assistant name"; names an Admin chose (intents, variables, languages) stay as written.</summary>
    public static string FieldLabel(string path, IStringLocalizer l) =>
        string.Join(" › ", path.Split('.').Select(segment =>
        {
            var text = l["ConfigPath" + Pascal(segment)];
            return text.ResourceNotFound ? segment : text.Value;
        }));

    private static string Pascal(string code) =>
        string.Concat(code.Split('-', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    [GeneratedRegex(@"^Restored from version (\d+)$")] private static partial Regex Restored();
    [GeneratedRegex(@"^Imported from (.+?)(?: \(version (\d+)\))?$")] private static partial Regex Imported();
}
