using HitlConsole.Features.Localization;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.AgentConfig;

public sealed record ConfigVersionView(
    int Number, string? Name, string? Comment, bool Locked, int? RestoredFrom, string? Author, DateTime CreatedUtc, string ContentHash);

/// <summary>The configuration in force (or the defaults while nothing was saved) and the version it came from.</summary>
public sealed record LiveConfig(int? Number, AgentConfigDocument Document, bool Frozen);

/// <summary>
/// Versions of the agent configuration, for Admins: save (always a new immutable version), list, name, lock, compare,
/// restore, export and import. Two saves from the same base collide on the unique (tenant, number) index, so the
/// second is told and shown the difference instead of silently overwriting the first.
/// </summary>
public sealed class AgentConfigStore(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock, IOptions<PipelineOptions> pipeline)
{
    public const string ExportFormat = "hitlconsole.agent-config";
    public const int MaxImportBytes = 2 * 1024 * 1024;

    public abstract record Result
    {
        public sealed record Saved(int Number) : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string> Errors, string? Detail = null) : Result;
        /// <summary>Someone saved since <c>base</c>: their version and what differs from the document being saved.</summary>
        public sealed record Conflict(ConfigVersionView Current, AgentConfigDocument CurrentDocument, IReadOnlyList<ConfigField> Differences) : Result;
        public sealed record Frozen(int Number) : Result;
        public sealed record Unchanged(int Number) : Result;
        public sealed record NotFound : Result;
    }

    public async Task<LiveConfig> GetLiveAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var newest = await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (newest is not null) return new LiveConfig(newest.Number, AgentConfigDocument.FromJson(newest.Document, strict: false), newest.Locked);
        var t = await db.Tenants.AsNoTracking().SingleAsync(x => x.Id == tenant.TenantId, ct);
        return new LiveConfig(null, AgentConfigDocument.Default(t.Name, pipeline.Value, t.DraftTtlHours), false);
    }

    public async Task<IReadOnlyList<ConfigVersionView>> ListAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number)
            .Select(v => new ConfigVersionView(v.Number, v.Name, v.Comment, v.Locked, v.RestoredFrom, v.CreatedByName, v.CreatedUtc, v.ContentHash))
            .ToListAsync(ct);
    }

    public async Task<AgentConfigDocument?> GetDocumentAsync(int number, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var json = await db.ConfigVersions.Where(v => v.Number == number).Select(v => v.Document).SingleOrDefaultAsync(ct);
        return json is null ? null : AgentConfigDocument.FromJson(json, strict: false);
    }

    /// <summary>Saves <paramref name="document"/> as version <c>baseNumber + 1</c> (base null: nothing saved yet).</summary>
    public Task<Result> SaveAsync(AgentConfigDocument document, int? baseNumber, string? comment, CancellationToken ct) =>
        AddVersionAsync(document, baseNumber, comment, restoredFrom: null, "config.saved", ct);

    /// <summary>A new version equal to <paramref name="number"/>; audited as a restore.</summary>
    public async Task<Result> RestoreAsync(int number, int? baseNumber, CancellationToken ct)
    {
        var document = await GetDocumentAsync(number, ct);
        if (document is null) return new Result.NotFound();
        return await AddVersionAsync(document, baseNumber, ConfigTexts.RestoredComment(number), number, "config.restored", ct, allowUnchanged: true);
    }

    public async Task<Result> RenameAsync(int number, string? name, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (name?.Length > 100) return new Result.Invalid(new Dictionary<string, string> { ["name"] = "ConfigErrorTooLong" });
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = await db.ConfigVersions.SingleOrDefaultAsync(v => v.Number == number, ct);
        if (version is null) return new Result.NotFound();
        if (version.Locked) return new Result.Frozen(number);
        db.Record(tenant.UserId, "config.renamed", nameof(ConfigVersion), number.ToString(), new { version.Name }, new { Name = name }, Now);
        version.Name = name;
        await db.SaveChangesAsync(ct);
        return new Result.Saved(number);
    }

    public async Task<Result> SetLockedAsync(int number, bool locked, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = await db.ConfigVersions.SingleOrDefaultAsync(v => v.Number == number, ct);
        if (version is null) return new Result.NotFound();
        if (version.Locked == locked) return new Result.Saved(number);
        version.Locked = locked;
        db.Record(tenant.UserId, locked ? "config.locked" : "config.unlocked", nameof(ConfigVersion), number.ToString(), null, null, Now);
        await db.SaveChangesAsync(ct);
        return new Result.Saved(number);
    }

    /// <summary>The version as a file to keep or move to another workspace. It holds no secrets by construction.</summary>
    public async Task<string?> ExportAsync(int number, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = await db.ConfigVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Number == number, ct);
        if (version is null) return null;
        var envelope = new ExportEnvelope
        {
            Format = ExportFormat, Version = version.Number, Name = version.Name, Comment = version.Comment,
            ExportedUtc = Now, Config = AgentConfigDocument.FromJson(version.Document, strict: false),
        };
        return JsonSerializer.Serialize(envelope, AgentConfigDocument.Json);
    }

    /// <summary>Validates an exported file strictly (unknown fields refused, with their path) and saves it as a new version.</summary>
    public async Task<Result> ImportAsync(string json, string fileName, int? baseNumber, CancellationToken ct)
    {
        ExportEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<ExportEnvelope>(json, AgentConfigDocument.Json);
        }
        catch (JsonException ex)
        {
            var detail = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? $"unknown field at {ex.Path}" : $"not valid JSON ({ex.Path ?? "start"})";
            return new Result.Invalid(new Dictionary<string, string> { ["file"] = "ConfigImportInvalid" }, detail);
        }
        if (envelope?.Format != ExportFormat || envelope.Config is null)
            return new Result.Invalid(new Dictionary<string, string> { ["file"] = "ConfigImportNotAConfig" });
        var comment = ConfigTexts.ImportedComment(Path.GetFileName(fileName), envelope.Version);
        return await AddVersionAsync(envelope.Config, baseNumber, comment[..Math.Min(comment.Length, 500)], null, "config.imported", ct);
    }

    private async Task<Result> AddVersionAsync(AgentConfigDocument document, int? baseNumber, string? comment, int? restoredFrom,
        string auditAction, CancellationToken ct, bool allowUnchanged = false)
    {
        var errors = ConfigValidator.Validate(document);
        if (errors.Count > 0) return new Result.Invalid(errors);
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment?.Length > 500) return new Result.Invalid(new Dictionary<string, string> { ["comment"] = "ConfigErrorTooLong" });
        foreach (var intent in document.Intents) intent.Name = intent.Name.Trim();

        await using var db = await factory.CreateDbContextAsync(ct);
        var newest = await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (newest?.Number != baseNumber && newest is not null) return Conflict(newest, document);
        if (newest?.Locked == true) return new Result.Frozen(newest.Number);
        var hash = document.Hash();
        if (newest is not null && newest.ContentHash == hash && !allowUnchanged) return new Result.Unchanged(newest.Number);

        var author = tenant.UserId is null ? null
            : await db.Users.Where(u => u.Id == tenant.UserId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        var version = new ConfigVersion
        {
            Number = (newest?.Number ?? 0) + 1, Document = document.ToJson(), ContentHash = hash, Comment = comment,
            RestoredFrom = restoredFrom, CreatedByUserId = tenant.UserId, CreatedByName = author, CreatedUtc = Now,
        };
        db.ConfigVersions.Add(version);
        db.Record(tenant.UserId, auditAction, nameof(ConfigVersion), version.Number.ToString(),
            newest is null ? null : new { newest.Number }, new { version.Number, version.Comment, restoredFrom, Changes = newest is null ? null
                : ConfigDiff.Changes(AgentConfigDocument.FromJson(newest.Document, strict: false), document).Select(c => c.Path).Take(50).ToList() }, Now);
        // The expiry sweep reads the TTL from the tenant row; keep it in step with the version in force.
        (await db.Tenants.SingleAsync(t => t.Id == tenant.TenantId, ct)).DraftTtlHours = document.Thresholds.DraftTtlHours;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Another admin saved the same next number a moment earlier.
            await using var again = await factory.CreateDbContextAsync(ct);
            var winner = await again.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number).FirstAsync(ct);
            return Conflict(winner, document);
        }
        return new Result.Saved(version.Number);
    }

    private static Result.Conflict Conflict(ConfigVersion current, AgentConfigDocument mine)
    {
        var theirs = AgentConfigDocument.FromJson(current.Document, strict: false);
        return new Result.Conflict(
            new ConfigVersionView(current.Number, current.Name, current.Comment, current.Locked, current.RestoredFrom, current.CreatedByName, current.CreatedUtc, current.ContentHash),
            theirs, ConfigDiff.Changes(theirs, mine));
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public sealed class ExportEnvelope
    {
        public string? Format { get; set; }
        public int? Version { get; set; }
        public string? Name { get; set; }
        public string? Comment { get; set; }
        public DateTime? ExportedUtc { get; set; }
        public AgentConfigDocument? Config { get; set; }
    }
}
