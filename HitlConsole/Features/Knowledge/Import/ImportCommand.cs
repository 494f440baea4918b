using System.Diagnostics;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>
/// `dotnet HitlConsole.dll import-knowledge --file F --workspace NAME [--mode append|upsert|replace] [--key question] [--language en]`:
/// the wizard's import from a shell (bulk loads, scripted seeding, the import benchmark). Same detection, mapping
/// suggestions and job code; prints the report as JSON with the elapsed time (of which the upload: copy, preview and
/// personal-data scan) and the process's peak memory.
/// </summary>
public static class ImportCommand
{
    public const string Name = "import-knowledge";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>No job server, no embedding sweep and no public port for a one-shot run.</summary>
    public static string[] HostArgs(string[] args) =>
        [.. args.Skip(1), "--Hangfire:ServerEnabled=false", "--Embeddings:Enabled=false", "--urls=http://127.0.0.1:0"];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault();
        var file = Option("file");
        var workspace = Option("workspace");
        if (file is null || workspace is null || !File.Exists(file))
        {
            Console.Error.WriteLine($"usage: {Name} --file PATH --workspace NAME [--mode append|upsert|replace] [--key question|intent|category|tags] [--language en|es|detect]");
            return 2;
        }
        var mode = Enum.Parse<ImportMode>(Option("mode") ?? "append", ignoreCase: true);
        var key = Option("key") is { } k ? Enum.Parse<KnowledgeField>(k, ignoreCase: true) : (KnowledgeField?)null;

        await app.StartAsync();
        try
        {
            Guid tenantId;
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
                tenantId = await db.Tenants.Where(t => t.Name == workspace).Select(t => t.Id).SingleOrDefaultAsync();
            if (tenantId == Guid.Empty)
            {
                Console.Error.WriteLine($"No workspace named '{workspace}'.");
                return 3;
            }

            await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateTenantScope(tenantId);
            var start = scope.ServiceProvider.GetRequiredService<StartImport>();
            var watch = Stopwatch.StartNew();
            ImportPreview preview;
            await using (var source = File.OpenRead(file))
                preview = await start.UploadAsync(Path.GetFileName(file), source, CancellationToken.None);
            var uploaded = watch.ElapsedMilliseconds;
            var queued = await start.QueueAsync(preview.ImportId, preview.Suggested, mode, mode == ImportMode.Upsert ? key ?? KnowledgeField.Question : null,
                Option("language") ?? RowMapper.DetectLanguage, CancellationToken.None, enqueue: false);
            if (queued is not StartImport.QueueResult.Queued)
            {
                Console.Error.WriteLine($"Not started: {queued}");
                return 4;
            }
            var status = await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(preview.ImportId, CancellationToken.None);
            watch.Stop();
            var result = await start.GetAsync(preview.ImportId, CancellationToken.None);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                status = status.ToString(), format = preview.Shape.Format.ToString(), encoding = preview.Shape.EncodingName, delimiter = preview.Shape.Delimiter.ToString(),
                mapping = preview.Suggested.Columns.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
                rowsRead = result!.RowsRead, inserted = result.Inserted, updated = result.Updated, duplicates = result.Duplicates, invalid = result.Invalid,
                elapsedMs = watch.ElapsedMilliseconds, uploadMs = uploaded, peakWorkingSetMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
            }));
            return status == ImportStatus.Completed ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
