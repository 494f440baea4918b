namespace HitlConsole.Features.Inbox;

/// <summary>
/// What an open conversation reads again on every change: the conversation itself, the customer's panel, and the values its
/// placeholders are filled with (an order number the customer just wrote, a name that changed). One read for the first
/// load and each reload, so they cannot drift apart.
/// </summary>
public sealed class ConversationPanes(GetConversation conversations, GetContactPanel contacts, GetReplyPlaceholders placeholders)
{
    public sealed record Panes(GetConversation.View? View, GetContactPanel.Panel? Contact, IReadOnlyDictionary<string, string> Placeholders);

    public async Task<Panes> ReadAsync(Guid conversationId, CancellationToken ct) =>
        new(await conversations.HandleAsync(conversationId, ct), await contacts.HandleAsync(conversationId, ct),
            await placeholders.HandleAsync(conversationId, ct));
}
