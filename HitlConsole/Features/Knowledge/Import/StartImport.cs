using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Knowledge.Import;

public sealed record ImportPreview(Guid ImportId, string FileName, long SizeBytes, ImportFileShape Shape, IReadOnlyList<string> Columns,
    IReadOnlyList<ImportRecord> Rows, ColumnMapping Suggested)
{
    /// <summary>Column → rows of the whole file that look like personal data (<see cref="PersonalDataScan"/>).</summary>
    public IReadOnlyDictionary<string, PersonalDataFinding> PersonalData { get; init; } = new Dictionary<string, PersonalDataFinding>();
}

/// <summary>The import wizard's steps before the job: upload and sniff, preview, then queue with a mapping and a mode.</summary>
public sealed class StartImport(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, IOptions<KnowledgeImportOptions> options, IBackgroundJobClient jobs,
    IHostEnvironment environment, TimeProvider clock)
{
    public const int PreviewRows = 20;

    public abstract record QueueResult
    {
        public sealed record Queued : QueueResult;
        public sealed record Busy : QueueResult;
        public sealed record Invalid(string Reason) : QueueResult;
    }

    /// <summary>Stores the upload (refusing more than the limit), detects its shape and returns the first rows.</summary>
    public async Task<ImportPreview> UploadAsync(string fileName, Stream content, CancellationToken ct)
    {
        var folder = Path.GetFullPath(options.Value.Folder, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        var import = new KnowledgeImport
        {
            FileName = Path.GetFileName(fileName), FilePath = "", CreatedByUserId = tenant.UserId, CreatedUtc = clock.GetUtcNow().UtcDateTime,
            Status = ImportStatus.Uploaded,
        };
        import.FilePath = Path.Combine(folder, import.Id.ToString("N") + ".upload");
        await using (var file = File.Create(import.FilePath))
            await content.CopyToAsync(file, ct);
        import.SizeBytes = new FileInfo(import.FilePath).Length;

        ImportFileShape shape;
        IReadOnlyList<string> columns;
        IReadOnlyList<ImportRecord> rows;
        await using (var file = File.OpenRead(import.FilePath))
            shape = await ImportFormat.DetectAsync(file, ct);
        await using (var file = File.OpenRead(import.FilePath))
            (columns, rows) = await ImportRecords.PreviewAsync(file, shape, PreviewRows, ct);
        // A second pass over the whole file, so the warning counts every row and not only the preview's.
        // A file that breaks further down still gets its preview: the job reports the broken row, the warning counts up to it.
        var personal = new PersonalDataScan();
        try
        {
            await using var file = File.OpenRead(import.FilePath);
            await foreach (var record in ImportRecords.ReadAsync(file, shape, ct)) personal.Add(record);
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { }
        import.Format = shape.Format.ToString();
        import.EncodingName = shape.EncodingName;
        import.Delimiter = shape.Delimiter.ToString();

        await using var db = await factory.CreateDbContextAsync(ct);
        db.KnowledgeImports.Add(import);
        await db.SaveChangesAsync(ct);
        return new ImportPreview(import.Id, import.FileName, import.SizeBytes, shape, columns, rows, ColumnMapping.Suggest(columns))
        {
            PersonalData = personal.Findings,
        };
    }

    /// <summary>Queues the job. One import per workspace at a time: a second one is refused while another is queued or running.</summary>
    public async Task<QueueResult> QueueAsync(Guid importId, ColumnMapping mapping, ImportMode mode, KnowledgeField? upsertKey, string defaultLanguage,
        CancellationToken ct, bool enqueue = true)
    {
        if (!mapping.IsComplete) return new QueueResult.Invalid("ImportNeedsQuestionAndAnswer");
        if (mode == ImportMode.Upsert && (upsertKey is null || mapping.ColumnFor(upsertKey.Value) is null)) return new QueueResult.Invalid("ImportNeedsKey");
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.KnowledgeImports.AnyAsync(i => i.Status == ImportStatus.Queued || i.Status == ImportStatus.Running, ct))
            return new QueueResult.Busy();
        var updated = await db.KnowledgeImports.Where(i => i.Id == importId && i.Status == ImportStatus.Uploaded).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Queued).SetProperty(i => i.Mode, mode)
            .SetProperty(i => i.Mapping, JsonSerializer.Serialize(mapping.Columns)).SetProperty(i => i.UpsertKey, upsertKey.ToString())
            .SetProperty(i => i.DefaultLanguage, defaultLanguage), ct);
        if (updated == 0) return new QueueResult.Invalid("ImportGone");
        var tenantId = tenant.TenantId!.Value;
        if (enqueue) jobs.Enqueue<ImportKnowledgeJob>(j => j.RunAsync(tenantId, importId, CancellationToken.None));
        return new QueueResult.Queued();
    }

    public async Task RequestCancelAsync(Guid importId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.KnowledgeImports.Where(i => i.Id == importId && (i.Status == ImportStatus.Queued || i.Status == ImportStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.CancelRequested, true), ct);
    }

    /// <summary>The workspace's queued or running import, if any.</summary>
    public async Task<KnowledgeImport?> GetActiveAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.KnowledgeImports.AsNoTracking().Where(i => i.Status == ImportStatus.Queued || i.Status == ImportStatus.Running)
            .OrderByDescending(i => i.CreatedUtc).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// The workspace's latest import when it failed within <paramref name="within"/> and no import came after it: an import cut
    /// off by a restart ends while nobody watches, so the knowledge page says so when it is next opened.
    /// </summary>
    public async Task<KnowledgeImport?> GetRecentFailureAsync(TimeSpan within, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().UtcDateTime - within;
        var latest = await db.KnowledgeImports.AsNoTracking().Where(i => i.Status != ImportStatus.Uploaded)
            .OrderByDescending(i => i.CreatedUtc).FirstOrDefaultAsync(ct);
        return latest is { Status: ImportStatus.Failed, FinishedUtc: { } finished } && finished >= since ? latest : null;
    }

    /// <summary>How many entries the workspace holds: what a "Replace all" import would delete.</summary>
    public async Task<int> CountEntriesAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.KnowledgeEntries.CountAsync(ct);
    }

    public async Task<KnowledgeImport?> GetAsync(Guid importId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.KnowledgeImports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == importId, ct);
    }
}
