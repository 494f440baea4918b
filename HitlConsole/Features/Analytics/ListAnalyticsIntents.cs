using HitlConsole.Features.Ai;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Features.Analytics;

/// <summary>
/// The intents the analytics filter offers: every intent of the workspace's configuration in force, whether or not a draft
/// was classified under it in the range shown (a filter offering only the intents already drawn hides the quiet ones).
/// </summary>
public sealed class ListAnalyticsIntents(IAgentSettingsProvider settings, TenantContext tenant)
{
    /// <summary>Sorted by name; <paramref name="selected"/> (from a URL or an older configuration) is kept among them.</summary>
    public async Task<IReadOnlyList<string>> HandleAsync(string? selected, CancellationToken ct)
    {
        var configured = tenant.TenantId is { } id ? (await settings.GetAsync(id, ct)).Intents.Intents.Select(i => i.Name) : [];
        return configured.Append(selected).OfType<string>().Where(i => !string.IsNullOrWhiteSpace(i) && !AnalyticsBuckets.IsGroup(i))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
