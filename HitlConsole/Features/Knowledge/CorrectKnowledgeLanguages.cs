using Hangfire;
using HitlConsole.Features.Languages;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge;

/// <summary>
/// Entries stored before languages were detected carry whatever the import or the editor defaulted to: a Spanish CSV
/// without a language column became English, and PostgreSQL indexed it with the English configuration. This pass
/// relabels an entry only when its answer's function words and the detector's reading of its question both, clearly, say
/// the other language; one audit row per
/// workspace and run lists how many changed. Runs once after start-up and daily; a clean workspace costs a scan.
/// </summary>
public sealed partial class CorrectKnowledgeLanguages(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TextLanguage languages, TimeProvider clock, ILogger<CorrectKnowledgeLanguages> logger)
{
    private const int BatchSize = 500;
    private const double Sure = 0.95;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var changed = new List<(Guid Id, string From, string To)>();
        Guid? after = null;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var batch = await db.KnowledgeEntries.AsNoTracking().Where(e => after == null || e.Id.CompareTo(after.Value) > 0)
                .OrderBy(e => e.Id).Take(BatchSize).Select(e => new { e.Id, e.Question, e.Answer, e.Language }).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = batch[^1].Id;
            foreach (var e in batch)
            {
                // Function words only (microseconds an entry): a pass over 100,000 entries must not hold a core for a minute.
                if (TextLanguage.QuickGuess(e.Answer) is not { } a || a == e.Language) continue;
                if (languages.Guess(e.Question) is not { Confidence: >= Sure } q || q.Language != a) continue;
                changed.Add((e.Id, e.Language, a));
            }
        }
        if (changed.Count == 0) return 0;

        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            foreach (var group in changed.GroupBy(c => c.To))
            {
                var ids = group.Select(c => c.Id).ToList();
                foreach (var chunk in ids.Chunk(BatchSize))
                    await db.KnowledgeEntries.Where(e => chunk.Contains(e.Id))
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.Language, group.Key).SetProperty(e => e.UpdatedUtc, now), ct);
            }
            db.Record(null, "knowledge.language-corrected", "KnowledgeEntry", null, null,
                new { Count = changed.Count, ToSpanish = changed.Count(c => c.To == "es"), ToEnglish = changed.Count(c => c.To == "en") }, now);
            await db.SaveChangesAsync(ct);
        }
        LogCorrected(tenant.TenantId, changed.Count);
        return changed.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Corrected the language of {Count} knowledge entries in workspace {TenantId}")]
    private partial void LogCorrected(Guid? tenantId, int count);
}
