using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Inbox.Attachments;
using Decision = HitlConsole.Features.Inbox.DraftEditorState.Decision;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>The draft editor's state without a browser: undo, saved replies, suggestions, shortcuts and deciding once.</summary>
public sealed class DraftEditorStateTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);
    private static readonly SavedReplyChoice Hours = new(Guid.NewGuid(), "hours", "en", "We open 9 to 5.");
    private static readonly SavedReplyChoice Refund = new(Guid.NewGuid(), "refund", "en", "Your refund is on its way.");
    private static readonly AttachFile.Attachment Photo = new(Guid.NewGuid(), "box.jpg", "image/jpeg", 1200, "image");

    private GetConversation.DraftView _draft = Draft();

    private static GetConversation.DraftView Draft(DraftState state = DraftState.Pending, string text = "Hello Lola",
        IReadOnlyList<string>? alternatives = null) =>
        new(Guid.NewGuid(), 3, state, text, alternatives ?? [], "cancel", null, 90, false, false, null, null, null, [], Now);

    private DraftEditorState State() => new(() => _draft);

    [Fact]
    public void A_pending_draft_opens_with_its_text_and_a_stopped_one_with_an_empty_editor()
    {
        Assert.Equal("Hello Lola", State().Text);
        _draft = Draft(DraftState.Blocked);
        Assert.Equal("", State().Text);
    }

    [Fact]
    public void A_take_over_continues_from_the_colleagues_unsent_edit_and_says_whose_it_is()
    {
        var state = State();
        Assert.Null(state.Unsent);
        state.Edit("  Hello Lola ", []);
        Assert.Null(state.Unsent); // whitespace at the ends is no edit
        state.Edit("Hello Lola, my own words", []);
        Assert.Equal("Hello Lola, my own words", state.Unsent);

        state.TakeOver(new DraftLeases.UnsentEdit("Hello Lola, it ships today", "user-2", "Ada Admin"), "user-1");
        Assert.Equal(("Hello Lola, it ships today", "Ada Admin", false), (state.Text, state.ContinuedFrom, state.Restored));
        state.Edit("Hello Lola, it ships today.", []);
        Assert.Null(state.ContinuedFrom);

        state.TakeOver(null, "user-1"); // nobody left an edit: the model's text
        Assert.Equal(("Hello Lola", null), (state.Text, state.ContinuedFrom));

        state.Continue(new DraftLeases.UnsentEdit("Hello Lola, from my phone", "user-1", "Alex Agent"), "user-1");
        Assert.Equal(("Hello Lola, from my phone", null, true), (state.Text, state.ContinuedFrom, state.Restored));

        _draft = Draft(DraftState.Approved);
        state.Continue(new DraftLeases.UnsentEdit("too late", "user-2", "Ada Admin"), "user-1");
        Assert.Equal("Hello Lola, from my phone", state.Text);
    }

    [Fact]
    public void A_reload_never_puts_the_reviewers_own_older_edit_back_under_the_caret()
    {
        var state = State();
        state.Edit("Hello Lola /e", []);
        state.Edit("Hello Lola /env", []);
        // The conversation reloads on a live change and reads the edit kept a moment ago.
        state.Continue(new DraftLeases.UnsentEdit("Hello Lola /e", "user-1", "Alex Agent"), "user-1");
        Assert.Equal(("Hello Lola /env", false), (state.Text, state.Restored));
        // Back to the model's own text (a suggestion and back): the kept edit lags behind and is not put back either.
        state.Replace("Hello Lola");
        state.Continue(new DraftLeases.UnsentEdit("Hello Lola /env", "user-1", "Alex Agent"), "user-1");
        Assert.Equal(("Hello Lola", false, null), (state.Text, state.Restored, state.Unsent));
        // A colleague's edit still takes its place: that is a take-over, not a reload.
        state.Continue(new DraftLeases.UnsentEdit("Hello Lola, it ships today", "user-2", "Ada Admin"), "user-1");
        Assert.Equal(("Hello Lola, it ships today", "Ada Admin"), (state.Text, state.ContinuedFrom));
    }

    [Fact]
    public void Whole_changes_are_undone_one_at_a_time_and_typing_is_not_an_undo_step()
    {
        var state = State();
        Assert.False(state.CanUndo);
        state.Edit("Hello Lola!", []);
        Assert.False(state.CanUndo);

        Assert.True(state.Replace("First suggestion"));
        Assert.True(state.Replace("Second suggestion"));
        Assert.False(state.Replace("Second suggestion"));

        Assert.True(state.Undo());
        Assert.Equal("First suggestion", state.Text);
        Assert.True(state.Undo());
        Assert.Equal("Hello Lola!", state.Text);
        Assert.False(state.CanUndo);
        Assert.False(state.Undo());
        Assert.Equal("Hello Lola!", state.Text);
    }

    [Fact]
    public void A_slash_word_lists_matching_saved_replies_and_enter_puts_the_highlighted_one_in_its_place()
    {
        var state = State();
        state.Edit("Hi /re", [Hours, Refund]);
        Assert.Equal([Refund], state.SlashItems);

        var pick = state.SlashKey("Enter", ctrl: false);
        Assert.Equal(Refund, pick);
        Assert.True(state.InsertSaved(pick!));
        Assert.Equal("Hi Your refund is on its way.", state.Text);
        Assert.Empty(state.SlashItems);

        Assert.True(state.Undo());
        Assert.Equal("Hi /re", state.Text);
        Assert.Empty(state.SlashItems);
    }

    [Fact]
    public void Arrows_move_round_the_slash_menu_ctrl_enter_and_escape_insert_nothing()
    {
        var state = State();
        state.Edit("/", [Hours, Refund]);
        Assert.Equal(2, state.SlashItems.Count);

        Assert.Null(state.SlashKey("ArrowUp", ctrl: false));
        Assert.Equal(1, state.SlashIndex);
        Assert.Null(state.SlashKey("ArrowDown", ctrl: false));
        Assert.Equal(0, state.SlashIndex);
        Assert.Null(state.SlashKey("Enter", ctrl: true));
        Assert.Equal(state.SlashItems[1], (state.SlashKey("ArrowDown", false), state.SlashKey("Tab", false)).Item2);

        Assert.Null(state.SlashKey("Escape", ctrl: false));
        Assert.Empty(state.SlashItems);
        Assert.Equal("/", state.Text);
    }

    [Fact]
    public void A_saved_reply_from_the_picker_goes_after_the_text_in_a_paragraph_of_its_own()
    {
        var state = State();
        Assert.True(state.InsertSaved(Hours));
        Assert.Equal("Hello Lola\n\nWe open 9 to 5.", state.Text);
    }

    [Fact]
    public void An_unsent_edit_from_the_browser_replaces_the_text_until_the_agent_types()
    {
        var state = State();
        Assert.False(state.Restore(null));
        Assert.False(state.Restore("Hello Lola"));
        Assert.True(state.Restore("Hello Lola, sorry"));
        Assert.True(state.Restored);
        Assert.Equal("Hello Lola, sorry", state.Text);

        state.Edit("Hello Lola, sorry!", []);
        Assert.False(state.Restored);
    }

    [Fact]
    public void Nothing_is_sent_while_someone_else_holds_the_draft_the_window_is_closed_or_a_placeholder_is_unfilled()
    {
        var state = State();
        Assert.True(state.CanSend(heldBy: null, windowClosed: false));
        Assert.False(state.CanSend(heldBy: "Ada", windowClosed: false));
        Assert.False(state.CanSend(heldBy: null, windowClosed: true));
        state.Edit("  ", []);
        Assert.False(state.CanSend(null, false));
        state.Edit("Hello {{name}}", []);
        Assert.False(state.CanSend(null, false));

        // What the conversation fills in on sending ({{customer_name}} here) does not hold the send back; anything else does.
        state.KnownPlaceholders = new Dictionary<string, string> { ["Customer Name"] = "Lola" };
        state.Edit("Hello {{customer_name}}", []);
        Assert.True(state.CanSend(null, false));
        state.Edit("Hello {{customer_name}}, use {{Refund Form}}", []);
        Assert.False(state.CanSend(null, false));
    }

    [Fact]
    public void Approving_sends_the_edit_only_when_it_differs_beyond_whitespace_and_with_the_attachment()
    {
        var state = State();
        state.Edit("  Hello Lola \n", []);
        Assert.Equal(new Decision.Approve(null, null), state.Approve());

        state.Edit("Hello Lola, on its way", []);
        state.Attachment = Photo;
        Assert.Equal(new Decision.Approve("Hello Lola, on its way", Photo.FileId), state.Approve());
    }

    [Fact]
    public void A_rejection_carries_the_reason_code_and_the_note_and_regenerate_the_instruction()
    {
        var state = State();
        state.Reason = "RejectWrongTone";
        Assert.Equal(new Decision.Reject("RejectWrongTone"), state.Reject());
        state.Note = " too formal ";
        Assert.Equal(new Decision.Reject("RejectWrongTone: too formal"), state.Reject());
        Assert.Equal(new Decision.CloseAsHandled(" too formal "), state.CloseAsHandled());
        state.Instruction = "shorter";
        Assert.Equal(new Decision.Regenerate("shorter"), state.Regenerate());
    }

    [Fact]
    public void Other_as_the_reason_needs_a_note_the_listed_reasons_do_not()
    {
        var state = State();
        Assert.False(state.CanReject);
        state.Reason = "RejectWrongAnswer";
        Assert.True(state.CanReject);
        state.Reason = "RejectOther";
        Assert.False(state.CanReject);
        state.Note = "  ";
        Assert.False(state.CanReject);
        state.Note = "mentions a product we no longer sell";
        Assert.True(state.CanReject);
    }

    [Fact]
    public void Without_instructions_regenerate_walks_the_suggestions_skipping_the_one_in_the_editor()
    {
        _draft = Draft(text: "A", alternatives: ["A", "B", "C"]);
        var state = State();

        Assert.Equal(new DraftEditorState.Suggestion(2, 3, true), state.NextSuggestion());
        Assert.Equal("B", state.Text);
        Assert.Equal(new DraftEditorState.Suggestion(3, 3, true), state.NextSuggestion());
        Assert.Equal("C", state.Text);
        Assert.Equal(new DraftEditorState.Suggestion(1, 3, true), state.NextSuggestion());
        Assert.Equal("A", state.Text);
        Assert.True(state.Undo());
        Assert.Equal("C", state.Text);
    }

    [Fact]
    public void With_one_suggestion_the_next_click_brings_the_draft_back()
    {
        _draft = Draft(text: "A", alternatives: ["B"]);
        var state = State();

        Assert.Equal(new DraftEditorState.Suggestion(2, 2, true), state.NextSuggestion());
        Assert.Equal("B", state.Text);
        Assert.Equal(new DraftEditorState.Suggestion(1, 2, true), state.NextSuggestion());
        Assert.Equal("A", state.Text);
    }

    [Fact]
    public void Without_another_suggestion_regenerate_changes_nothing()
    {
        _draft = Draft(text: "A", alternatives: ["A"]);
        var state = State();
        Assert.Null(state.NextSuggestion());
        Assert.Equal("A", state.Text);

        _draft = Draft(text: "A");
        Assert.Null(State().NextSuggestion());
    }

    [Fact]
    public void Shortcuts_send_what_can_be_sent_open_the_reasons_of_a_pending_draft_and_do_nothing_for_a_held_one()
    {
        var state = State();
        Assert.Equal(DraftEditorState.ShortcutOutcome.Ignored, state.Shortcut("send", "Ada", false));
        Assert.Equal(DraftEditorState.ShortcutOutcome.Send, state.Shortcut("send", null, false));
        Assert.Equal(DraftEditorState.ShortcutOutcome.Shown, state.Shortcut("send", null, windowClosed: true));
        Assert.False(state.Rejecting);
        Assert.Equal(DraftEditorState.ShortcutOutcome.Shown, state.Shortcut("reject", null, false));
        Assert.True(state.Rejecting);

        _draft = Draft(DraftState.Failed);
        var stopped = State();
        stopped.Shortcut("reject", null, false);
        Assert.False(stopped.Rejecting);
    }

    [Fact]
    public void Someone_else_reviews_the_draft_only_while_their_lease_lasts()
    {
        var held = _draft with { ClaimedByUserId = "user-2", ClaimedByName = "Ada Admin", LeaseExpiresUtc = Now.AddSeconds(10) };
        Assert.Equal("Ada Admin", DraftEditorState.OtherReviewer(held, "user-1", Now));
        Assert.Null(DraftEditorState.OtherReviewer(held, "user-2", Now));
        Assert.Null(DraftEditorState.OtherReviewer(held, "user-1", Now.AddSeconds(10)));
        Assert.Equal("—", DraftEditorState.OtherReviewer(held with { ClaimedByName = null }, "user-1", Now));
        Assert.Null(DraftEditorState.OtherReviewer(_draft, "user-1", Now));
    }

    [Fact]
    public async Task A_settled_decision_lets_go_of_the_draft_and_its_attachment_and_a_second_click_while_busy_sends_nothing()
    {
        var state = State();
        state.Attachment = Photo;
        var calls = new List<string>();
        var release = new TaskCompletionSource<ReviewDraft.Result>();
        var effects = new DraftEditorState.Effects(
            d => { calls.Add("send " + d.GetType().Name); return release.Task; },
            r => calls.Add("show " + r.GetType().Name),
            () => { calls.Add("settled"); return Task.CompletedTask; },
            () => { calls.Add("decided"); return Task.CompletedTask; });

        var first = state.DecideAsync(state.Approve(), effects);
        Assert.True(state.Busy);
        await state.DecideAsync(state.Approve(), effects);
        release.SetResult(new ReviewDraft.Result.Sent(Guid.NewGuid()));
        await first;

        Assert.Equal(["send Approve", "show Sent", "settled", "decided"], calls);
        Assert.Null(state.Attachment);
        Assert.False(state.Busy);
    }

    [Fact]
    public async Task A_decision_that_did_not_settle_keeps_the_attachment_and_still_reloads()
    {
        var state = State();
        state.Attachment = Photo;
        var calls = new List<string>();
        var effects = new DraftEditorState.Effects(
            _ => Task.FromResult<ReviewDraft.Result>(new ReviewDraft.Result.HeldBy("Ada")),
            r => calls.Add("show " + r.GetType().Name),
            () => { calls.Add("settled"); return Task.CompletedTask; },
            () => { calls.Add("decided"); return Task.CompletedTask; });

        await state.DecideAsync(new Decision.RetryFailed(), effects);

        Assert.Equal(["show HeldBy", "decided"], calls);
        Assert.Equal(Photo, state.Attachment);
        Assert.False(state.Busy);
    }

    [Fact]
    public async Task An_unsent_edit_is_left_behind_until_a_decision_made_here_settles_the_draft()
    {
        var state = State();
        Assert.False(state.LeavesAnEditBehind);
        state.Edit("On its way, Lola!", []);
        Assert.True(state.LeavesAnEditBehind);
        Task<ReviewDraft.Result> Answer(ReviewDraft.Result r) => Task.FromResult(r);
        await state.DecideAsync(state.Approve(), new(_ => Answer(new ReviewDraft.Result.HeldBy("Ada")), _ => { }, () => Task.CompletedTask, () => Task.CompletedTask));
        Assert.True(state.LeavesAnEditBehind); // not settled: held by a colleague
        await state.DecideAsync(state.Approve(), new(_ => Answer(new ReviewDraft.Result.Sent(Guid.NewGuid())), _ => { }, () => Task.CompletedTask, () => Task.CompletedTask));
        Assert.False(state.LeavesAnEditBehind);
    }

    [Fact]
    public async Task A_failing_decision_frees_the_editor_for_the_next_click()
    {
        var state = State();
        var effects = new DraftEditorState.Effects(
            _ => throw new InvalidOperationException("database down"), _ => { }, () => Task.CompletedTask, () => Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() => state.DecideAsync(state.Reject(), effects));
        Assert.False(state.Busy);
    }
}
