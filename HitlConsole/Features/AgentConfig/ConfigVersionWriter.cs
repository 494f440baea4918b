using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>
/// Writes a new version of the agent configuration for save, restore and import: validated, on top of the version the
/// admin started from (or told who saved since), never over a locked one, audited with what changed.
/// </summary>
internal static class ConfigVersionWriter
{
    public const int MaxCommentLength = 500;

    public static async Task<ConfigVersionResult> AddAsync(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock,
        AgentConfigDocument document, int? baseNumber, string? comment, int? restoredFrom, string auditAction, CancellationToken ct,
        bool allowUnchanged = false)
    {
        var errors = ConfigValidator.Validate(document);
        if (errors.Count > 0) return new ConfigVersionResult.Invalid(errors);
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment?.Length > MaxCommentLength)
            return new ConfigVersionResult.Invalid(new Dictionary<string, string> { ["comment"] = "ConfigErrorTooLong" });
        foreach (var intent in document.Intents) intent.Name = intent.Name.Trim();

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var newest = await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (newest?.Number != baseNumber && newest is not null) return Conflict(newest, document);
        if (newest?.Locked == true) return new ConfigVersionResult.Frozen(newest.Number);
        var hash = document.Hash();
        if (newest is not null && newest.ContentHash == hash && !allowUnchanged) return new ConfigVersionResult.Unchanged(newest.Number);

        // The name people know the author by (the e-mail only for someone without one), kept with the version.
        var author = tenant.UserId is null ? null
            : await db.Users.Where(u => u.Id == tenant.UserId).Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).SingleOrDefaultAsync(ct);
        var version = new ConfigVersion
        {
            Number = (newest?.Number ?? 0) + 1, Document = document.ToJson(), ContentHash = hash, Comment = comment,
            RestoredFrom = restoredFrom, CreatedByUserId = tenant.UserId, CreatedByName = author, CreatedUtc = now,
        };
        db.ConfigVersions.Add(version);
        db.Record(tenant.UserId, auditAction, nameof(ConfigVersion), version.Number.ToString(),
            newest is null ? null : new { newest.Number }, new { version.Number, version.Comment, restoredFrom, Changes = newest is null ? null
                : ConfigDiff.Changes(AgentConfigDocument.FromJson(newest.Document, strict: false), document).Select(c => c.Path).Take(50).ToList() }, now);
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
        return new ConfigVersionResult.Saved(version.Number);
    }

    private static ConfigVersionResult.Conflict Conflict(ConfigVersion current, AgentConfigDocument mine)
    {
        var theirs = AgentConfigDocument.FromJson(current.Document, strict: false);
        return new ConfigVersionResult.Conflict(
            new ConfigVersionView(current.Number, current.Name, current.Comment, current.Locked, current.RestoredFrom, current.CreatedByName,
                current.CreatedUtc, current.ContentHash),
            theirs, ConfigDiff.Changes(theirs, mine));
    }
}
