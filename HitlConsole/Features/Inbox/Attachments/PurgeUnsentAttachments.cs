using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox.Attachments;

/// <summary>
/// Files an agent attached but never sent (the reply was discarded, the draft expired, the tab was closed) are deleted after
/// <see cref="KeepFor"/>: they are kept in the database, and nothing else would ever remove them. A file that any message
/// points at — a customer's media or a sent attachment — is never touched.
/// </summary>
public sealed class PurgeUnsentAttachments(IDbContextFactory<HitlDbContext> factory, TimeProvider clock)
{
    /// <summary>Long enough for a reply left over a weekend's shift change, short enough that abandoned files do not pile up.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(3);

    /// <summary>Rows deleted per statement, so a first run after a long time does not hold the write lock for long.</summary>
    private const int Batch = 200;

    public async Task<int> HandleAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime - KeepFor;
        await using var db = await factory.CreateDbContextAsync(ct);
        var total = 0;
        while (true)
        {
            // Every workspace at once: the job runs without a tenant, and the file and its messages share one.
            var orphans = await db.MediaFiles.IgnoreQueryFilters()
                .Where(f => f.CreatedUtc < before && !db.Messages.IgnoreQueryFilters().Any(m => m.MediaFileId == f.Id))
                .OrderBy(f => f.CreatedUtc).Select(f => f.Id).Take(Batch).ToListAsync(ct);
            if (orphans.Count == 0) return total;
            // Checked again in the delete: a reply sent with one of these files a moment ago keeps it.
            total += await db.MediaFiles.IgnoreQueryFilters()
                .Where(f => orphans.Contains(f.Id) && !db.Messages.IgnoreQueryFilters().Any(m => m.MediaFileId == f.Id))
                .ExecuteDeleteAsync(ct);
            if (orphans.Count < Batch) return total;
        }
    }
}

public sealed class PurgeUnsentAttachmentsJob(PurgeUnsentAttachments handler)
{
    public const string RecurringId = "purge-unsent-attachments";

    public Task<int> RunAsync(CancellationToken ct) => handler.HandleAsync(ct);
}
