using Hangfire;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Sends a draft without a person after the configured delay, unless anyone acted first (version check). The pipeline
/// schedules it; the Inbox, which decides drafts, carries it out (<c>Inbox.AutoSendDraftJob</c>).
/// </summary>
public interface IAutoSendDraftJob
{
    [AutomaticRetry(Attempts = 0)]
    Task RunAsync(Guid tenantId, Guid draftId, int version, CancellationToken ct);
}
