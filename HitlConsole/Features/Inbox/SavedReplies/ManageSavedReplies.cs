using HitlConsole.Features.Localization;
using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>The workspace's saved replies, per language, kept by its Admins (everyone else only reads and inserts them).</summary>
public sealed class ManageSavedReplies(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock)
{
    public static readonly string[] Languages = ["en", "es"];

    public sealed class Input
    {
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required))]
        [MaxLength(60, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))]
        public string Shortcut { get; set; } = "";

        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required))]
        [MaxLength(4096, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))]
        public string Text { get; set; } = "";

        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required))]
        public string Language { get; set; } = "en";
    }

    public sealed record Row(Guid Id, string Shortcut, string Language, string Text, DateTime UpdatedUtc);

    public abstract record Result
    {
        public sealed record Saved(Guid Id) : Result;
        public sealed record Deleted : Result;
        public sealed record NotFound : Result;
        /// <summary><paramref name="Reason"/> is a resource key.</summary>
        public sealed record Refused(string Reason) : Result;
    }

    public async Task<IReadOnlyList<Row>> ListAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.SavedReplies.AsNoTracking().OrderBy(r => r.Language).ThenBy(r => r.Shortcut)
            .Select(r => new Row(r.Id, r.Shortcut, r.Language, r.Text, r.UpdatedUtc)).ToListAsync(ct);
    }

    /// <summary>Creates a reply (<paramref name="id"/> null) or changes one.</summary>
    public async Task<Result> SaveAsync(Guid? id, Input input, CancellationToken ct)
    {
        var shortcut = Normalise(input.Shortcut);
        var text = (input.Text ?? "").Trim();
        if (shortcut.Length == 0 || shortcut.Length > 60) return new Result.Refused("SavedReplyShortcutInvalid");
        if (text.Length == 0 || text.Length > 4096) return new Result.Refused("SavedReplyTextInvalid");
        if (!Languages.Contains(input.Language)) return new Result.Refused("SavedReplyLanguageInvalid");
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await TeamMembers.RoleAsync(db, tenant.UserId, ct) != Roles.Admin) return new Result.Refused("SavedReplyRefusedRole");
        if (await db.SavedReplies.AnyAsync(r => r.Id != id && r.Language == input.Language && r.Shortcut == shortcut, ct))
            return new Result.Refused("SavedReplyShortcutTaken");
        var now = clock.GetUtcNow().UtcDateTime;
        SavedReply? reply;
        object? before = null;
        if (id is null)
        {
            reply = new SavedReply { Shortcut = shortcut, Text = text, Language = input.Language, CreatedUtc = now, UpdatedUtc = now };
            db.SavedReplies.Add(reply);
        }
        else
        {
            reply = await db.SavedReplies.SingleOrDefaultAsync(r => r.Id == id, ct);
            if (reply is null) return new Result.NotFound();
            before = new { reply.Shortcut, reply.Language, reply.Text };
            (reply.Shortcut, reply.Text, reply.Language, reply.UpdatedUtc) = (shortcut, text, input.Language, now);
        }
        db.Record(tenant.UserId, id is null ? "saved-reply.created" : "saved-reply.updated", nameof(SavedReply), reply.Id.ToString(),
            before, new { reply.Shortcut, reply.Language, reply.Text }, now);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { return new Result.Refused("SavedReplyShortcutTaken"); }
        return new Result.Saved(reply.Id);
    }

    public async Task<Result> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await TeamMembers.RoleAsync(db, tenant.UserId, ct) != Roles.Admin) return new Result.Refused("SavedReplyRefusedRole");
        var reply = await db.SavedReplies.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (reply is null) return new Result.NotFound();
        db.SavedReplies.Remove(reply);
        db.Record(tenant.UserId, "saved-reply.deleted", nameof(SavedReply), id.ToString(), new { reply.Shortcut, reply.Language, reply.Text }, null,
            clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new Result.Deleted();
    }

    /// <summary>What is typed after "/": lower case, no spaces ("Shipping times" → "shipping-times").</summary>
    public static string Normalise(string? shortcut) =>
        string.Join('-', (shortcut ?? "").Trim().TrimStart('/').ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
