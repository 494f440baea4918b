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
}
