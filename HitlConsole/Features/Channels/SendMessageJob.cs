using Hangfire;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Channels;

/// <summary>Sends one queued outbound message. Transient failures were already retried by the HTTP pipeline.</summary>
public sealed class SendMessageJob(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid tenantId, Guid messageId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await scope.ServiceProvider.GetRequiredService<SendOutbound>().HandleAsync(messageId, ct);
    }

    /// <summary>One send job per message, each waiting for the one before, so the customer reads them in this order.</summary>
    public static void EnqueueInOrder(IBackgroundJobClient jobs, Guid tenantId, IEnumerable<Guid> messageIds)
    {
        string? previous = null;
        foreach (var id in messageIds)
        {
            previous = previous is null
                ? jobs.Enqueue<SendMessageJob>(j => j.RunAsync(tenantId, id, CancellationToken.None))
                : jobs.ContinueJobWith<SendMessageJob>(previous, j => j.RunAsync(tenantId, id, CancellationToken.None),
                    new Hangfire.States.EnqueuedState(), JobContinuationOptions.OnAnyFinishedState);
        }
    }
}
