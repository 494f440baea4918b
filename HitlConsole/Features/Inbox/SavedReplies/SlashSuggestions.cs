namespace HitlConsole.Features.Inbox;

/// <summary>
/// The saved replies a reply editor lists while "/word" is typed before the caret, and which one the keys point at. One per
/// editor: the draft editor and the reply written without a draft behave the same.
/// </summary>
public sealed class SlashSuggestions
{
    private SlashCommand.Token? _token;

    /// <summary>The saved replies the "/word" before the caret matches; empty while there is none.</summary>
    public IReadOnlyList<SavedReplyChoice> Items { get; private set; } = [];
    public int Index { get; private set; }
    public bool Open => Items.Count > 0;

    /// <summary>The text changed from <paramref name="before"/> to <paramref name="after"/> in one edit.</summary>
    public void Typed(string before, string after, IReadOnlyList<SavedReplyChoice> replies)
    {
        _token = SlashCommand.At(after, SlashCommand.CaretAfterEdit(before, after));
        Items = _token is null ? [] : SlashCommand.Filter(replies, _token.Query);
        Index = 0;
    }

    /// <summary>↓/↑ move, Enter or Tab picks (returned to insert), Escape closes; null otherwise or while nothing is listed.</summary>
    public SavedReplyChoice? Key(string key, bool ctrl)
    {
        if (Items.Count == 0) return null;
        switch (key)
        {
            case "ArrowDown": Index = (Index + 1) % Items.Count; break;
            case "ArrowUp": Index = (Index + Items.Count - 1) % Items.Count; break;
            case "Enter" or "Tab" when !ctrl: return Items[Math.Min(Index, Items.Count - 1)];
            case "Escape": Close(); break;
        }
        return null;
    }

    /// <summary>The text with the reply in place of the "/word", or after the text when there is none; the list closes.</summary>
    public string Insert(string text, string reply)
    {
        var result = SlashCommand.Insert(text, _token, reply);
        Close();
        return result;
    }

    public void Close() => (_token, Items, Index) = (null, [], 0);
}
