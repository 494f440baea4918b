using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace HitlConsole.Features.Inbox;

/// <summary>What the editor tells a reviewer after a decision on a draft, and whether the editor lets go of the draft.</summary>
public static class ReviewOutcomeNotice
{
    /// <summary>A draft decided elsewhere while this page held an unsent edit of it: who decided, and that the edit was not sent.</summary>
    public static string EditNotSent(ReviewDraft.Result.AlreadyHandled decided, DraftState state, IStringLocalizer<SharedResource> l) =>
        $"{For(decided, state, l).Text} {l["DraftEditNotSent"]}";

    /// <param name="state">The draft's state when the decision was asked for (a release differs from a regeneration).</param>
    public static (string Text, Severity Severity) For(ReviewDraft.Result result, DraftState state, IStringLocalizer<SharedResource> l) => result switch
    {
        ReviewDraft.Result.Sent => (l["DraftSent"].Value, Severity.Success),
        ReviewDraft.Result.Rejected => (l["DraftRejected"].Value, Severity.Info),
        ReviewDraft.Result.Handled => (l["DraftHandledDone"].Value, Severity.Info),
        ReviewDraft.Result.Forbidden => (l["DraftForbidden"].Value, Severity.Error),
        ReviewDraft.Result.Retrying when state == DraftState.Blocked => (l["DraftReleased"].Value, Severity.Info),
        ReviewDraft.Result.Retrying => (l["DraftRegenerating"].Value, Severity.Info),
        ReviewDraft.Result.AlreadyHandled h =>
            (l["DraftAlreadyHandledBy", l["State" + h.State].Value, h.ByName ?? l["DraftByAutomation"].Value].Value, Severity.Warning),
        ReviewDraft.Result.HeldBy held => (l["DraftReviewing", held.Name ?? "—"].Value, Severity.Warning),
        ReviewDraft.Result.WindowClosed => (l["WindowClosedReason"].Value, Severity.Error),
        ReviewDraft.Result.Invalid { Reason: "placeholders" } => (l["DraftPlaceholdersLeft"].Value, Severity.Error),
        ReviewDraft.Result.Invalid { Reason: "attachment" } => (l["AttachGone"].Value, Severity.Error),
        ReviewDraft.Result.Invalid => (l["DraftInvalid"].Value, Severity.Error),
        _ => (l["DraftNotFound"].Value, Severity.Warning),
    };

    /// <summary>False when the reviewer can still act on the draft (fix the text, wait for the window, ask an Admin).</summary>
    public static bool Settled(ReviewDraft.Result result) =>
        result is not (ReviewDraft.Result.Invalid or ReviewDraft.Result.WindowClosed or ReviewDraft.Result.HeldBy or ReviewDraft.Result.Forbidden);
}
