using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Hangfire;

namespace HitlConsole.Features.Channels;

/// <summary>
/// Queues again the outbound messages nobody is sending. The send job is enqueued after the message is stored, so a process
/// killed in between (or mid-call, or a job that used up its retries on a database fault, or a scheduled retry lost with its
/// storage) leaves a message "queued" that no job will ever pick up. Sending twice is prevented by <see cref="SendOutbound"/>'s
/// claim; a message is only taken once nothing has happened to it for <see cref="PipelineOptions.SendStalledAfter"/>.
/// </summary>
public sealed partial class RequeueStalledSends(
    IDbContextFactory<HitlDbContext> factory, IBackgroundJobClient jobs, IOptions<PipelineOptions> options, TimeProvider clock,
    ILogger<RequeueStalledSends> logger)
{
    /// <summary>At most this many per pass; the next pass takes the rest.</summary>
    public const int Batch = 500;

    /// <summary>Returns how many messages were queued again.</summary>
    public async Task<int> HandleAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime - options.Value.SendStalledAfter;
        await using var db = await factory.CreateDbContextAsync(ct);
        var stalled = await db.Messages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Direction == MessageDirection.Outbound && m.DeliveryState == DeliveryState.Queued && m.CreatedUtc < before
                && (m.NextAttemptUtc == null || m.NextAttemptUtc < before) && (m.SendClaimedUtc == null || m.SendClaimedUtc < before)
                && !db.SendAttempts.IgnoreQueryFilters().Any(a => a.MessageId == m.Id && a.AttemptedUtc >= before))
            .OrderBy(m => m.CreatedUtc).Take(Batch)
            .Select(m => new { m.Id, m.TenantId, m.ConversationId, m.CreatedUtc }).ToListAsync(ct);

        // In the order they were written, one chain per conversation: a caption's text still reaches the customer before its file.
        foreach (var conversation in stalled.GroupBy(m => (m.TenantId, m.ConversationId)))
        {
            var ids = conversation.OrderBy(m => m.CreatedUtc).Select(m => m.Id).ToList();
            SendMessageJob.EnqueueInOrder(jobs, conversation.Key.TenantId, ids);
            foreach (var id in ids) LogRequeued(id);
        }
        return stalled.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound message {MessageId} was still queued with no send under way; queued again")]
    private partial void LogRequeued(Guid messageId);
}
