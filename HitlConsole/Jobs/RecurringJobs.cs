using Hangfire;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.Templates;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;

namespace HitlConsole.Jobs;

/// <summary>
/// Every recurring job in one table. The job classes live in the slices that own them and are registered there;
/// jobs enqueued by a handler (<see cref="GenerateDraftJob"/>, <see cref="SendMessageJob"/>,
/// <see cref="IAutoSendDraftJob"/>, <see cref="ImportKnowledgeJob"/>) are not recurring and are not listed here.
/// Registered before the web server listens: deferred, the registrations (each behind the job storage's distributed lock)
/// met the first webhook traffic on the same SQLite file, and the crash-recovery test's ingest stalled (docs/performance.md).
/// </summary>
internal sealed class RecurringJobsRegistrar(IRecurringJobManager recurring, Microsoft.Extensions.Options.IOptions<WhatsAppOptions> whatsApp,
    Microsoft.Extensions.Options.IOptions<DatabaseOptions> database) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        Register();
        return Task.CompletedTask;
    }

    private void Register()
    {
        recurring.AddOrUpdate<ExpireStaleDraftsJob>(ExpireStaleDraftsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        recurring.AddOrUpdate<PurgeAbandonedImportsJob>(PurgeAbandonedImportsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "17 * * * *");
        // Only PostgreSQL's instances share imports; on SQLite the job server's start reports what a dead process left running.
        if (database.Value.ProviderKind == DatabaseProvider.Sqlite) recurring.RemoveIfExists(SweepInterruptedImportsJob.RecurringId);
        else recurring.AddOrUpdate<SweepInterruptedImportsJob>(SweepInterruptedImportsJob.RecurringId, j => j.RunAsync(CancellationToken.None), "* * * * *");
        // Often enough that a day is summarised soon after it ends and the set of "changed since" drafts stays small.
        recurring.AddOrUpdate<SummariseAnalyticsJob>(SummariseAnalyticsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "*/10 * * * *");
        // Daily, and once now: entries stored before languages were detected are corrected soon after an upgrade.
        recurring.AddOrUpdate<CorrectKnowledgeLanguagesJob>(CorrectKnowledgeLanguagesJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "41 3 * * *");
        recurring.Trigger(CorrectKnowledgeLanguagesJob.RecurringId);
        recurring.AddOrUpdate<SyncTemplatesJob>(SyncTemplatesJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), whatsApp.Value.TemplateSyncCron);
        recurring.AddOrUpdate<Features.Channels.Media.SweepMediaJob>(Features.Channels.Media.SweepMediaJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "*/10 * * * *");
        recurring.AddOrUpdate<Features.Inbox.Attachments.PurgeUnsentAttachmentsJob>(Features.Inbox.Attachments.PurgeUnsentAttachmentsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "47 * * * *");
        recurring.AddOrUpdate<RequeueStalledSendsJob>(RequeueStalledSendsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        recurring.AddOrUpdate<QueryPlannerStatisticsJob>(QueryPlannerStatisticsJob.RecurringId,
            j => j.RunAsync(CancellationToken.None), "23 * * * *");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// Jobs stored before the job classes moved into their slices name their old types; they still run after an upgrade.
/// </summary>
internal static class MovedJobTypes
{
    private static readonly Dictionary<string, Type> ByOldName = new(StringComparer.Ordinal)
    {
        ["HitlConsole.Jobs.GenerateDraftJob, HitlConsole"] = typeof(GenerateDraftJob),
        ["HitlConsole.Jobs.SendMessageJob, HitlConsole"] = typeof(SendMessageJob),
        ["HitlConsole.Jobs.AutoSendDraftJob, HitlConsole"] = typeof(AutoSendDraftJob),
        ["HitlConsole.Jobs.ExpireStaleDraftsJob, HitlConsole"] = typeof(ExpireStaleDraftsJob),
        ["HitlConsole.Jobs.QueryPlannerStatisticsJob, HitlConsole"] = typeof(QueryPlannerStatisticsJob),
    };

    public static Type Resolve(string typeName) =>
        ByOldName.TryGetValue(typeName, out var moved) ? moved : Hangfire.Common.TypeHelper.DefaultTypeResolver(typeName);
}
