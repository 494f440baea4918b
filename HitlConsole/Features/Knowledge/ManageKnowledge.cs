using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Features.Knowledge.Search;

namespace HitlConsole.Features.Knowledge;

public sealed class KnowledgeInput
{
    public string Question { get; set; } = "";
    public string Answer { get; set; } = "";
    public string? Category { get; set; }
    public string? Intent { get; set; }
    public string? Tags { get; set; }
    public string Language { get; set; } = "en";
    public bool Active { get; set; } = true;
    public bool Preferred { get; set; }
    /// <summary>An import file without a preferred column leaves each updated entry's mark as it was.</summary>
    public bool KeepPreferred { get; init; }

    public static KnowledgeInput From(KnowledgeEntry e) => new()
    {
        Question = e.Question, Answer = e.Answer, Category = e.Category, Intent = e.Intent, Tags = e.Tags, Language = e.Language, Active = e.Active,
        Preferred = e.Preferred,
    };
}

/// <summary>Create, edit, (de)activate and delete knowledge entries; every change is audited and reaches the search index.</summary>
public sealed class ManageKnowledge(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, KnowledgeEmbedder embedder, TimeProvider clock)
{
    public const int MaxQuestion = 2000, MaxAnswer = 8000, MaxShort = 100, MaxTags = 500;
    public static readonly string[] Languages = ["en", "es"];

    public abstract record Result
    {
        public sealed record Saved(Guid Id, int Version) : Result;
        public sealed record Invalid(Dictionary<string, string> Errors) : Result;
        /// <summary>Someone else saved first; <see cref="Current"/> is what they saved, for the side-by-side view.</summary>
        public sealed record Conflict(KnowledgeInput Current, int CurrentVersion) : Result;
        public sealed record NotFound : Result;
    }

    public static Dictionary<string, string> Validate(KnowledgeInput input)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Question) || input.Question.Trim().Length > MaxQuestion) errors[nameof(input.Question)] = "KnowledgeErrorQuestion";
        if (string.IsNullOrWhiteSpace(input.Answer) || input.Answer.Trim().Length > MaxAnswer) errors[nameof(input.Answer)] = "KnowledgeErrorAnswer";
        if (input.Category?.Trim().Length > MaxShort) errors[nameof(input.Category)] = "KnowledgeErrorShort";
        if (input.Intent?.Trim().Length > MaxShort) errors[nameof(input.Intent)] = "KnowledgeErrorShort";
        if (input.Tags?.Trim().Length > MaxTags) errors[nameof(input.Tags)] = "KnowledgeErrorTags";
        if (!Languages.Contains(input.Language)) errors[nameof(input.Language)] = "KnowledgeErrorLanguage";
        return errors;
    }

    public async Task<Result> CreateAsync(KnowledgeInput input, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new Result.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var entry = new KnowledgeEntry { Question = "", Answer = "", ContentHash = "", CreatedUtc = now };
        Apply(entry, input, now);
        if (await db.KnowledgeEntries.AnyAsync(e => e.ContentHash == entry.ContentHash, ct)) return Duplicate();
        var limit = await db.Tenants.Where(t => t.Id == db.CurrentTenantId).Select(t => t.MaxKnowledgeEntries).SingleOrDefaultAsync(ct);
        if (limit is { } max && await db.KnowledgeEntries.CountAsync(ct) >= max)
            return new Result.Invalid(new() { [nameof(input.Question)] = "KnowledgeErrorLimit" });
        db.KnowledgeEntries.Add(entry);
        db.Record(tenant.UserId, "knowledge.created", nameof(KnowledgeEntry), entry.Id.ToString(), null, Audited(entry), now);
        if (!await TrySaveAsync(db, ct)) return Duplicate();
        embedder.Signal();
        return new Result.Saved(entry.Id, entry.Version);
    }

    public async Task<Result> UpdateAsync(Guid id, int version, KnowledgeInput input, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new Result.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        var entry = await db.KnowledgeEntries.SingleOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null) return new Result.NotFound();
        if (entry.Version != version) return new Result.Conflict(KnowledgeInput.From(entry), entry.Version);

        var before = Audited(entry);
        var now = clock.GetUtcNow().UtcDateTime;
        var questionChanged = entry.Question != input.Question.Trim();
        Apply(entry, input, now);
        if (questionChanged) entry.Embedding = null; // the embedding service gives it a new vector
        if (await db.KnowledgeEntries.AnyAsync(e => e.ContentHash == entry.ContentHash && e.Id != id, ct)) return Duplicate();
        entry.Version = version + 1;
        db.Record(tenant.UserId, "knowledge.updated", nameof(KnowledgeEntry), id.ToString(), before, Audited(entry), now);
        try
        {
            if (!await TrySaveAsync(db, ct)) return Duplicate();
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await factory.CreateDbContextAsync(ct);
            var current = await fresh.KnowledgeEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
            return current is null ? new Result.NotFound() : new Result.Conflict(KnowledgeInput.From(current), current.Version);
        }
        if (questionChanged) embedder.Signal();
        return new Result.Saved(id, entry.Version);
    }

    public async Task<int> SetActiveAsync(IReadOnlyCollection<Guid> ids, bool active, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.KnowledgeEntries.Where(e => ids.Contains(e.Id) && e.Active != active)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Active, active).SetProperty(e => e.UpdatedUtc, now).SetProperty(e => e.Version, e => e.Version + 1), ct);
        db.Record(tenant.UserId, active ? "knowledge.activated" : "knowledge.deactivated", nameof(KnowledgeEntry), null,
            null, new { Count = changed, Ids = ids.Take(1000) }, now);
        await db.SaveChangesAsync(ct);
        return changed;
    }

    public async Task<int> DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var deleted = await db.KnowledgeEntries.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
        db.Record(tenant.UserId, "knowledge.deleted", nameof(KnowledgeEntry), null, null, new { Count = deleted, Ids = ids.Take(1000) }, now);
        await db.SaveChangesAsync(ct);
        return deleted;
    }

    /// <summary>
    /// The category the workspace files most of an intent's entries under; for an intent it has no such entry of, the
    /// category of the 27 support intents (<see cref="IntentNames.CategoryOfIntent"/>).
    /// </summary>
    public async Task<string?> CategoryOfAsync(string? intent, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(intent)) return null;
        var code = intent.Trim();
        await using var db = await factory.CreateDbContextAsync(ct);
        var used = await db.KnowledgeEntries.Where(e => e.Intent == code && e.Category != null && e.Category != LearnedCategory)
            .GroupBy(e => e.Category).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefaultAsync(ct);
        return used ?? IntentNames.CategoryOfIntent(code);
    }

    /// <summary>The category of entries an agent's correction published.</summary>
    public const string LearnedCategory = "learned";

    public async Task<(KnowledgeInput Input, int Version)?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var entry = await db.KnowledgeEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        return entry is null ? null : (KnowledgeInput.From(entry), entry.Version);
    }

    /// <summary>Writes the input's fields (trimmed, blanks as null) and the content hash onto an entry; shared with the import.</summary>
    /// <param name="hash">The content's <see cref="KnowledgeHash"/> when the caller has it already (an import hashes every row first).</param>
    internal static void Apply(KnowledgeEntry entry, KnowledgeInput input, DateTime now, string? hash = null)
    {
        entry.Question = input.Question.Trim();
        entry.Answer = input.Answer.Trim();
        entry.Category = Blank(input.Category);
        entry.Intent = Blank(input.Intent);
        entry.Tags = Blank(input.Tags);
        entry.Language = input.Language;
        entry.Active = input.Active;
        if (!input.KeepPreferred) entry.Preferred = input.Preferred;
        entry.ContentHash = hash ?? KnowledgeHash.Of(entry.Question, entry.Answer);
        entry.UpdatedUtc = now;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static Result Duplicate() => new Result.Invalid(new() { [nameof(KnowledgeInput.Question)] = "KnowledgeErrorDuplicate" });

    private static async Task<bool> TrySaveAsync(HitlDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            return false; // same question and answer saved by someone else a moment ago
        }
    }

    private static object Audited(KnowledgeEntry e) => new { e.Question, e.Answer, e.Category, e.Intent, e.Tags, e.Language, e.Active, e.Preferred };
}
