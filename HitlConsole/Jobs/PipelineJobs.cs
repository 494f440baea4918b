using Hangfire;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Jobs;

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

/// <summary>Sends a draft without a person after the configured delay, unless anyone acted first (version check).</summary>
public sealed class AutoSendDraftJob(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid tenantId, Guid draftId, int version, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await scope.ServiceProvider.GetRequiredService<ReviewDraft>().AutoSendAsync(draftId, version, ct);
    }
}

public sealed class ExpireStaleDraftsJob(ExpireStaleDrafts handler)
{
    public const string RecurringId = "expire-stale-drafts";

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken ct) => handler.HandleAsync(ct);
}

/// <summary>Registers the recurring jobs once the storage is up.</summary>
internal sealed class RecurringJobsRegistrar(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        recurring.AddOrUpdate<ExpireStaleDraftsJob>(ExpireStaleDraftsJob.RecurringId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        recurring.AddOrUpdate<Features.Knowledge.Import.PurgeAbandonedImportsJob>(Features.Knowledge.Import.PurgeAbandonedImportsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "17 * * * *");
        // Often enough that a day is summarised soon after it ends and the set of "changed since" drafts stays small.
        recurring.AddOrUpdate<Features.Analytics.SummariseAnalyticsJob>(Features.Analytics.SummariseAnalyticsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "*/10 * * * *");
        // Daily, and once now: entries stored before languages were detected are corrected soon after an upgrade.
        recurring.AddOrUpdate<Features.Knowledge.CorrectKnowledgeLanguagesJob>(Features.Knowledge.CorrectKnowledgeLanguagesJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "41 3 * * *");
        recurring.Trigger(Features.Knowledge.CorrectKnowledgeLanguagesJob.RecurringId);
        recurring.AddOrUpdate<QueryPlannerStatisticsJob>(QueryPlannerStatisticsJob.RecurringId, j => j.RunAsync(CancellationToken.None), "23 * * * *");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
