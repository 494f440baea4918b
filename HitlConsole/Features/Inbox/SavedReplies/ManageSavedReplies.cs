using HitlConsole.Features.Localization;
using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// Saved replies, per language: the workspace's, kept by its Admins and offered to everyone, and each Agent's or Admin's own,
/// kept by them and offered to them alone (nobody else sees them, Admins included).
/// </summary>
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

        /// <summary>Only for me: a personal reply. Agents keep only these.</summary>
        public bool Mine { get; set; }
    }

    /// <summary><paramref name="Mine"/>: the caller's own reply (else the workspace's).</summary>
    public sealed record Row(Guid Id, string Shortcut, string Language, string Text, DateTime UpdatedUtc, bool Mine = false);

    /// <summary>What the caller may do on the page: keep their own replies (Agents and Admins), keep the workspace's (Admins).</summary>
    public sealed record Rights(bool Own, bool Workspace);

    public abstract record Result
    {
        public sealed record Saved(Guid Id) : Result;
        public sealed record Deleted : Result;
        public sealed record NotFound : Result;
        /// <summary><paramref name="Reason"/> is a resource key.</summary>
        public sealed record Refused(string Reason) : Result;
    }

    /// <summary>The replies the caller may change: their own, and the workspace's for an Admin; the caller's first.</summary>
    public async Task<IReadOnlyList<Row>> ListAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var me = tenant.UserId ?? "";
        var admin = await TeamMembers.RoleAsync(db, tenant.UserId, ct) == Roles.Admin;
        return await db.SavedReplies.AsNoTracking().Where(r => r.OwnerUserId == me || (admin && r.OwnerUserId == null))
            .OrderBy(r => r.OwnerUserId == null).ThenBy(r => r.Language).ThenBy(r => r.Shortcut)
            .Select(r => new Row(r.Id, r.Shortcut, r.Language, r.Text, r.UpdatedUtc, r.OwnerUserId != null)).ToListAsync(ct);
    }

    public async Task<Rights> RightsAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var role = await TeamMembers.RoleAsync(db, tenant.UserId, ct);
        return new Rights(role is Roles.Agent or Roles.Admin, role == Roles.Admin);
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
        var owner = input.Mine ? tenant.UserId : null;
        if (!await MayChangeAsync(db, owner, ct)) return new Result.Refused("SavedReplyRefusedRole");
        if (await db.SavedReplies.AnyAsync(r => r.Id != id && r.OwnerUserId == owner && r.Language == input.Language && r.Shortcut == shortcut, ct))
            return new Result.Refused("SavedReplyShortcutTaken");
        var now = clock.GetUtcNow().UtcDateTime;
        SavedReply? reply;
        object? before = null;
        if (id is null)
        {
            reply = new SavedReply { Shortcut = shortcut, Text = text, Language = input.Language, OwnerUserId = owner, CreatedUtc = now, UpdatedUtc = now };
            db.SavedReplies.Add(reply);
        }
        else
        {
            // Someone else's own reply is as good as absent; a reply stays the workspace's or the person's it was made for.
            reply = await db.SavedReplies.SingleOrDefaultAsync(r => r.Id == id && (r.OwnerUserId == null || r.OwnerUserId == tenant.UserId), ct);
            if (reply is null) return new Result.NotFound();
            if (reply.OwnerUserId != owner) return new Result.Refused("SavedReplyOwnerFixed");
            before = new { reply.Shortcut, reply.Language, reply.Text };
            (reply.Shortcut, reply.Text, reply.Language, reply.UpdatedUtc) = (shortcut, text, input.Language, now);
        }
        db.Record(tenant.UserId, id is null ? "saved-reply.created" : "saved-reply.updated", nameof(SavedReply), reply.Id.ToString(),
            before, new { reply.Shortcut, reply.Language, reply.Text, Mine = owner is not null }, now);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex)) { return new Result.Refused("SavedReplyShortcutTaken"); }
        return new Result.Saved(reply.Id);
    }

    public async Task<Result> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var reply = await db.SavedReplies.SingleOrDefaultAsync(r => r.Id == id && (r.OwnerUserId == null || r.OwnerUserId == tenant.UserId), ct);
        if (reply is null) return new Result.NotFound();
        if (!await MayChangeAsync(db, reply.OwnerUserId, ct)) return new Result.Refused("SavedReplyRefusedRole");
        db.SavedReplies.Remove(reply);
        db.Record(tenant.UserId, "saved-reply.deleted", nameof(SavedReply), id.ToString(), new { reply.Shortcut, reply.Language, reply.Text }, null,
            clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new Result.Deleted();
    }

    /// <summary>The workspace's replies are the Admins'; a person's own are theirs, if they work the inbox (Agent or Admin).</summary>
    private async Task<bool> MayChangeAsync(HitlDbContext db, string? owner, CancellationToken ct) =>
        await TeamMembers.RoleAsync(db, tenant.UserId, ct) is var role && (owner is null ? role == Roles.Admin : role is Roles.Agent or Roles.Admin);

    /// <summary>What is typed after "/": lower case, no spaces ("Shipping times" → "shipping-times").</summary>
    public static string Normalise(string? shortcut) =>
        string.Join('-', (shortcut ?? "").Trim().TrimStart('/').ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
