using HitlConsole.Features.Ai;
using HitlConsole.Domain;
using HitlConsole.Features.Inbox.Attachments;
using HitlConsole.Features.Localization;
using HitlConsole.Features.Pipeline;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// What one open draft editor holds between clicks: the text and its undo steps, the "/word" menu of saved replies, the
/// next suggestion to offer, the open reject / regenerate / handled forms, and the busy flag that keeps one click from
/// running twice. It decides which decision a button sends and maps it onto <see cref="ReviewDraft"/>; the component
/// renders it and keeps the lease (<see cref="DraftLeaseKeeper"/>). No browser, no database of its own.
/// </summary>
/// <param name="draft">The draft as the component sees it now (it changes when the conversation reloads).</param>
public sealed class DraftEditorState
{
    /// <summary>One decision on the draft, as the buttons of the editor send it.</summary>
    public abstract record Decision
    {
        private Decision() { }
        public sealed record Approve(string? EditedText, Guid? AttachmentId) : Decision;
        public sealed record Reject(string Reason) : Decision;
        public sealed record CloseAsHandled(string? Note) : Decision;
        public sealed record Regenerate(string? Instruction) : Decision;
        public sealed record RetryFailed : Decision;
        public sealed record ReleaseGuardrail : Decision;
    }

    /// <summary>What deciding does outside the editor, in this order: send, tell the agent, let go of a settled draft, reload.</summary>
    public sealed record Effects(
        Func<Decision, Task<ReviewDraft.Result>> Send, Action<ReviewDraft.Result> Show, Func<Task> Settled, Func<Task> Decided);

    /// <summary>
    /// The suggestion put in the editor when the model cannot follow an instruction: its 1-based number of
    /// <paramref name="Count"/>; <paramref name="Replaced"/> is false when the editor held that text already.
    /// </summary>
    public sealed record Suggestion(int Number, int Count, bool Replaced);

    public enum ShortcutOutcome { Ignored, Send, Shown }

    private readonly Func<GetConversation.DraftView> _draft;

    public DraftEditorState(Func<GetConversation.DraftView> draft)
    {
        _draft = draft;
        Text = draft().State == DraftState.Pending ? draft().Text : "";
    }

    // Saved replies and suggestions change the whole text in one go: each such change can be undone, so no draft is lost.
    private readonly Stack<string> _undo = new();
    private readonly SlashSuggestions _slash = new();
    private int _suggestion = -1;
    // Whether the text was changed in this editor since it opened or was taken over: then it is newer than any edit of ours kept on the server.
    private bool _changedHere;

    public string Text { get; private set; }
    public AttachFile.Attachment? Attachment { get; set; }
    public string? Reason { get; set; }
    public string? Instruction { get; set; }
    public string? Note { get; set; }
    public bool Busy { get; private set; }
    public bool Rejecting { get; set; }
    public bool Regenerating { get; set; }
    public bool Closing { get; set; }
    /// <summary>The text came back from the browser's copy of an unsent edit.</summary>
    public bool Restored { get; private set; }
    /// <summary>The colleague whose unsent edit the text continues from; null when it is the model's text or one's own.</summary>
    public string? ContinuedFrom { get; private set; }
    public bool CanUndo => _undo.Count > 0;
    /// <summary>The saved replies the "/word" before the caret matches; empty while there is none.</summary>
    public IReadOnlyList<SavedReplyChoice> SlashItems => _slash.Items;
    public int SlashIndex => _slash.Index;

    /// <summary>A caption this long goes out as a message of its own after the attachment.</summary>
    public bool CaptionSplits => Attachment is not null && Text.Trim().Length > OutboundReply.MaxCaptionLength;

    /// <summary>
    /// What the conversation can fill in (the customer's name, their order number, workspace variables): the server fills
    /// these on sending, so only the others hold the send back.
    /// </summary>
    public IReadOnlyDictionary<string, string> KnownPlaceholders { get; set; } = new Dictionary<string, string>();

    public bool CanSend(string? heldBy, bool windowClosed) =>
        !Busy && heldBy is null && !windowClosed && !string.IsNullOrWhiteSpace(Text) && Placeholders.Unresolved(Text, KnownPlaceholders).Count == 0;

    /// <summary>Who else reviews the draft, as the reloaded conversation says; null when nobody else holds a live lease.</summary>
    public static string? OtherReviewer(GetConversation.DraftView draft, string? userId, DateTime nowUtc) =>
        draft.ClaimedByUserId is { } by && by != userId && draft.LeaseExpiresUtc > nowUtc ? draft.ClaimedByName ?? "—" : null;

    /// <summary>The agent typed: the "/word" before the caret, if any, filters <paramref name="savedReplies"/>.</summary>
    public void Edit(string? text, IReadOnlyList<SavedReplyChoice> savedReplies)
    {
        var before = Text;
        Text = text ?? "";
        _changedHere = true;
        (Restored, ContinuedFrom) = (false, null);
        _slash.Typed(before, Text, savedReplies);
    }

    /// <summary>An unsent edit the browser kept for this draft; true when it replaced the text.</summary>
    public bool Restore(string? unsent)
    {
        if (string.IsNullOrEmpty(unsent) || unsent == Text) return false;
        (Text, Restored) = (unsent, true);
        return true;
    }

    /// <summary>The draft was taken over: it continues from the edit its last reviewer left unsent, or the model's text.</summary>
    public void TakeOver(DraftLeases.UnsentEdit? unsent, string? me)
    {
        (Text, Restored, ContinuedFrom, _changedHere) = (_draft().Text, false, null, false);
        Continue(unsent, me);
    }

    /// <summary>A claim found an edit a reviewer left unsent (a colleague's, or one's own from another device): the text continues from it.</summary>
    public void Continue(DraftLeases.UnsentEdit? unsent, string? me)
    {
        if (unsent is null || unsent.Text == Text || _draft().State != DraftState.Pending) return;
        var mine = unsent.ByUserId == me;
        // Our own stored edit lags what this editor holds while we type (it is written after a pause): every live reload would
        // otherwise put back an older text under the caret, even the model's own text chosen again ("Next suggestion" back round
        // to it). It only takes the place of the model's text in an editor not yet changed here.
        if (mine && (Unsent is not null || _changedHere)) return;
        Text = unsent.Text;
        (Restored, ContinuedFrom) = (mine, mine ? null : unsent.ByName ?? "—");
    }

    /// <summary>The text to keep for colleagues: null while it is the model's own (whitespace at the ends is no edit).</summary>
    public string? Unsent => Text.Trim() == _draft().Text.Trim() ? null : Text;

    /// <summary>The whole text changes in one go, undoably; false when it was that text already.</summary>
    public bool Replace(string text)
    {
        if (text == Text) return false;
        _undo.Push(Text);
        Edit(text, []);
        _slash.Close();
        return true;
    }

    /// <summary>The saved reply in place of the "/word", or after the text when there is none.</summary>
    public bool InsertSaved(SavedReplyChoice reply) => Replace(_slash.Insert(Text, reply.Text));

    /// <summary>The text before the last whole change; false when there is none to go back to.</summary>
    public bool Undo()
    {
        var undone = _undo.TryPop(out var previous);
        if (undone) Edit(previous, []);
        _slash.Close();
        return undone;
    }

    /// <summary>While "/word" lists saved replies: ↓/↑ move, Enter or Tab picks (returned to insert), Escape closes.</summary>
    public SavedReplyChoice? SlashKey(string key, bool ctrl) => _slash.Key(key, ctrl);

    /// <summary>A keyboard shortcut: "send" approves what can be sent, "reject" opens the reasons of a pending draft.</summary>
    public ShortcutOutcome Shortcut(string action, string? heldBy, bool windowClosed)
    {
        if (heldBy is not null || Busy) return ShortcutOutcome.Ignored;
        if (action == "send" && CanSend(heldBy, windowClosed)) return ShortcutOutcome.Send;
        if (action == "reject" && _draft().State == DraftState.Pending) Rejecting = true;
        return ShortcutOutcome.Shown;
    }

    /// <summary>Approve as written, or with the agent's edit (whitespace at the ends is no edit).</summary>
    public Decision Approve()
    {
        var edited = Text.Trim() == _draft().Text.Trim() ? null : Text;
        return new Decision.Approve(edited, Attachment?.FileId);
    }

    public Decision Reject() => new Decision.Reject(RejectionReason.Compose(Reason ?? "", Note));

    /// <summary>A reason is chosen, and "Other" says what it is: analytics and the team read the note, not the word "Other".</summary>
    public bool CanReject => !string.IsNullOrWhiteSpace(Reason) && (Reason != "RejectOther" || !string.IsNullOrWhiteSpace(Note));

    public Decision CloseAsHandled() => new Decision.CloseAsHandled(Note);

    public Decision Regenerate() => new Decision.Regenerate(Instruction);

    /// <summary>
    /// For a model that ignores instructions (it would write the same text): the next suggested reply other than the one
    /// in the editor, put in its place; null when there is no other.
    /// </summary>
    public Suggestion? NextSuggestion()
    {
        // The model's own draft is one of the replies walked through: with one suggestion, the second click brings the
        // draft back instead of saying there is nothing else.
        var replies = new[] { _draft().Text }.Concat(_draft().Alternatives).Distinct().ToList();
        if (replies.All(a => a == Text)) return null;
        // From the reply in the editor, or after the last one shown when the agent has edited it.
        var from = replies.IndexOf(Text) is var at and >= 0 ? at : _suggestion;
        _suggestion = Enumerable.Range(1, replies.Count).Select(step => (from + step) % replies.Count).First(i => replies[i] != Text);
        var replaced = Replace(replies[_suggestion]);
        return new Suggestion(_suggestion + 1, replies.Count, replaced);
    }

    /// <summary>The decision as <see cref="ReviewDraft"/> carries it out, on the draft as the editor sees it now.</summary>
    public Task<ReviewDraft.Result> SendAsync(ReviewDraft review, Decision decision)
    {
        var draft = _draft();
        return decision switch
        {
            Decision.Approve a => review.ApproveAsync(draft.Id, draft.Version, a.EditedText, CancellationToken.None, a.AttachmentId),
            Decision.Reject r => review.RejectAsync(draft.Id, draft.Version, r.Reason, CancellationToken.None),
            Decision.CloseAsHandled h => review.CloseAsHandledAsync(draft.Id, draft.Version, h.Note, CancellationToken.None),
            Decision.Regenerate g => review.RegenerateAsync(draft.Id, draft.Version, CancellationToken.None, g.Instruction),
            Decision.RetryFailed => review.RetryFailedAsync(draft.Id, CancellationToken.None),
            Decision.ReleaseGuardrail => review.ReleaseGuardrailAsync(draft.Id, draft.Version, CancellationToken.None),
            _ => throw new ArgumentOutOfRangeException(nameof(decision)),
        };
    }

    /// <summary>Sends one decision unless one is under way; a settled draft also drops its attachment.</summary>
    /// <summary>A decision made here settled the draft (sent, rejected, closed, regenerated).</summary>
    public bool Settled { get; private set; }

    /// <summary>
    /// The draft leaves the page with an edit of ours unsent and not by our own decision: if it was decided elsewhere (another
    /// tab, a colleague) rather than left by navigating away, the person is told the edit was not sent.
    /// </summary>
    public bool LeavesAnEditBehind => !Settled && Unsent is not null;

    public async Task DecideAsync(Decision decision, Effects effects)
    {
        if (Busy) return;
        Busy = true;
        try
        {
            var result = await effects.Send(decision);
            effects.Show(result);
            if (ReviewOutcomeNotice.Settled(result))
            {
                Settled = true;
                await effects.Settled();
                Attachment = null;
            }
            await effects.Decided();
        }
        finally
        {
            Busy = false;
        }
    }
}
