using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// A rejection is stored as the reason's code, then the agent's own note ("RejectWrongTone: too formal"): a Spanish agent's
/// reason reads in English for an English manager, and analytics can count codes. Reasons stored as text before codes
/// existed are shown as they are.
/// </summary>
public static class RejectionReason
{
    public static readonly IReadOnlyList<string> Codes = ["RejectWrongAnswer", "RejectWrongTone", "RejectNeedsHuman", "RejectOutdated", "RejectOther"];

    public static string Compose(string code, string? note) =>
        string.IsNullOrWhiteSpace(note) ? code : $"{code}: {note.Trim()}";

    /// <summary>Why a draft was closed without a person's note: by a reply to a later message, or with its conversation.</summary>
    private static readonly Dictionary<string, string> HandledCodes = new(StringComparer.Ordinal)
    {
        [Inbox.ReviewDraft.AnsweredLaterReason] = "HandledAnsweredLater", ["resolved"] = "HandledResolved", ["archived"] = "HandledArchived",
    };

    public static string Display(string stored, IStringLocalizer localizer)
    {
        if (HandledCodes.TryGetValue(stored, out var handled)) return localizer[handled];
        foreach (var code in Codes)
        {
            if (stored == code) return localizer[code];
            if (stored.StartsWith(code + ": ", StringComparison.Ordinal)) return $"{localizer[code]}: {stored[(code.Length + 2)..]}";
        }
        return stored;
    }
}
