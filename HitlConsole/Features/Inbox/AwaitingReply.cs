using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// Customers who wait for a person's reply with no draft to review: their newest message got a draft someone rejected, or
/// came while the conversation's AI was off. Without this they were in no lane at all: nothing was sent and nothing said so.
/// They wait in the review lane until someone answers, the customer writes again, the conversation is resolved, or as long
/// as a pending draft would have waited (the workspace's draft TTL).
/// </summary>
public static class AwaitingReply
{
    /// <summary>A class with setters, so queries can go on composing over it.</summary>
    public sealed class Waiting
    {
        public Guid Id { get; init; }
        /// <summary>When the unanswered message came.</summary>
        public DateTime Since { get; init; }
    }

    /// <summary>As long as a pending draft would wait before it expires (the workspace's TTL, at least an hour).</summary>
    public static DateTime Since(DateTime nowUtc, int draftTtlHours) => nowUtc.AddHours(-Math.Max(1, draftTtlHours));

    /// <summary>
    /// Starts from the workspace's open conversations active since <paramref name="sinceUtc"/> (an index range); only those
    /// with a rejection in that time or the AI off are looked into further.
    /// </summary>
    public static IQueryable<Waiting> Conversations(HitlDbContext db, DateTime sinceUtc) =>
        from c in db.Conversations
        where c.Status == ConversationStatus.Open && c.LastActivityUtc >= sinceUtc
        // The rejections are an index range read once (not a lookup per conversation).
        where c.AiMode == AiMode.Off
            || db.Drafts.Where(d => d.State == DraftState.Rejected && d.CreatedUtc >= sinceUtc).Select(d => d.ConversationId).Contains(c.Id)
        // Anything still undecided keeps the conversation in a lane already.
        where !db.Drafts.Any(d => d.ConversationId == c.Id
            && (d.State == DraftState.Pending || d.State == DraftState.Blocked || d.State == DraftState.Failed || d.State == DraftState.Generating))
        let last = db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.SentUtc).ThenByDescending(m => m.CreatedUtc)
            .Select(m => new { m.Id, m.Direction, m.AwaitingDraft, m.SentUtc }).FirstOrDefault()
        where last != null && last.Direction == MessageDirection.Inbound && !last.AwaitingDraft
            // Expired or closed as handled: decided otherwise. Rejected, or no draft at all: still owed a reply.
            && !db.Drafts.Any(d => d.MessageId == last.Id && d.State != DraftState.Rejected)
        select new Waiting { Id = c.Id, Since = last.SentUtc };
}
