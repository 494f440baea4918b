using Hangfire;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Knowledge;

public sealed class CorrectKnowledgeLanguagesJob(IServiceScopeFactory scopes)
{
    public const string RecurringId = "correct-knowledge-languages";

    [AutomaticRetry(Attempts = 1), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken ct)
    {
        await scopes.ForEachActiveTenantAsync(services => services.GetRequiredService<CorrectKnowledgeLanguages>().RunAsync(ct), ct);
    }
}
