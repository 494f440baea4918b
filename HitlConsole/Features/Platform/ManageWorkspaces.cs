using HitlConsole.Features.Localization;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Platform;

/// <summary>
/// The platform operator's workspace operations. Each runs in a scope with no workspace in force, names its workspace
/// explicitly, and is recorded in the platform audit.
/// </summary>
public sealed partial class ManageWorkspaces(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ManageWorkspaces> logger)
{
    public sealed class NewWorkspace
    {
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(200, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Name { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), RegularExpression("en|es", ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Choice))] public string Culture { get; set; } = "en";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(100, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string TimeZone { get; set; } = "UTC";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), EmailAddress(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Email)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string AdminEmail { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(200, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string AdminName { get; set; } = "";
    }

    public sealed class Limits
    {
        [Range(1, 100_000, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Range))] public int? MaxUsers { get; set; }
        [Range(1, 10_000_000, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Range))] public int? MaxKnowledgeEntries { get; set; }
        [Range(1, 10_000_000, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Range))] public int? MaxMessagesPerDay { get; set; }
    }

    public abstract record Result
    {
        public sealed record Done : Result;
        /// <summary><paramref name="InitialPassword"/> is shown once; null when the first Admin already had an account.</summary>
        public sealed record Created(Guid WorkspaceId, string? InitialPassword) : Result;
        public sealed record NotFound : Result;
        /// <summary>A reason code (a resource key suffix).</summary>
        public sealed record Refused(string Reason) : Result;
    }

    public Task<Result> CreateAsync(NewWorkspace input, PlatformActor actor, CancellationToken ct) => RunAsync(async (db, users) =>
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(input.TimeZone, out _)) return new Result.Refused("TimeZone");
        var name = input.Name.Trim();
        if (await db.Tenants.AnyAsync(t => t.Name == name, ct)) return new Result.Refused("NameTaken");
        var now = Now;
        var tenant = new Tenant { Name = name, DefaultCulture = input.Culture, TimeZone = input.TimeZone, CreatedUtc = now };
        var email = input.AdminEmail.Trim();
        var admin = await users.FindByEmailAsync(email);
        string? password = null;
        // No transaction across the two contexts (Identity's store has its own, and SQLite allows one writer): a refused
        // account removes the new workspace again.
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(ct);
        if (admin is null)
        {
            password = InitialPassword();
            admin = new AppUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = input.AdminName.Trim(), TenantId = tenant.Id,
                MustChangePassword = true, CreatedUtc = now,
            };
            var created = await users.CreateAsync(admin, password);
            if (!created.Succeeded)
            {
                await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteDeleteAsync(ct);
                return new Result.Refused("AdminRejected");
            }
        }
        db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = tenant.Id, UserId = admin.Id, Role = Roles.Admin, CreatedUtc = now });
        Record(db, actor, "workspace.created", tenant, new { AdminUserId = admin.Id, NewAccount = password is not null });
        await db.SaveChangesAsync(ct);
        LogCreated(tenant.Id);
        return new Result.Created(tenant.Id, password);
    }, ct);

    public Task<Result> RenameAsync(Guid id, string newName, PlatformActor actor, CancellationToken ct) => RunAsync(async (db, _) =>
    {
        var name = newName.Trim();
        if (name.Length is 0 or > 200) return new Result.Refused("NameInvalid");
        if (await db.Tenants.FindAsync([id], ct) is not { } tenant) return new Result.NotFound();
        if (tenant.Name == name) return new Result.Done();
        if (await db.Tenants.AnyAsync(t => t.Name == name && t.Id != id, ct)) return new Result.Refused("NameTaken");
        var before = tenant.Name;
        tenant.Name = name;
        Record(db, actor, "workspace.renamed", tenant, new { Before = before });
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    /// <summary>Open sessions in the workspace end at their next request or circuit check (<c>WorkspaceSession.IsValidAsync</c>).</summary>
    public Task<Result> SetSuspendedAsync(Guid id, bool suspended, PlatformActor actor, CancellationToken ct) => RunAsync(async (db, _) =>
    {
        if (await db.Tenants.FindAsync([id], ct) is not { } tenant) return new Result.NotFound();
        if (tenant.IsSuspended == suspended) return new Result.Done();
        tenant.IsSuspended = suspended;
        Record(db, actor, suspended ? "workspace.suspended" : "workspace.resumed", tenant, null);
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    public Task<Result> SetLimitsAsync(Guid id, Limits limits, PlatformActor actor, CancellationToken ct) => RunAsync(async (db, _) =>
    {
        if (!Validator.TryValidateObject(limits, new ValidationContext(limits), null, validateAllProperties: true)) return new Result.Refused("LimitInvalid");
        if (await db.Tenants.FindAsync([id], ct) is not { } tenant) return new Result.NotFound();
        var before = new { tenant.MaxUsers, tenant.MaxKnowledgeEntries, tenant.MaxMessagesPerDay };
        (tenant.MaxUsers, tenant.MaxKnowledgeEntries, tenant.MaxMessagesPerDay) = (limits.MaxUsers, limits.MaxKnowledgeEntries, limits.MaxMessagesPerDay);
        Record(db, actor, "workspace.limits-changed", tenant, new { Before = before, After = limits });
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    /// <summary>Adds an existing account to a workspace (or changes its role there): how one person comes to work in several.</summary>
    public Task<Result> AddMemberAsync(Guid id, string email, string role, PlatformActor actor, CancellationToken ct) => RunAsync(async (db, users) =>
    {
        if (!Roles.All.Contains(role)) return new Result.Refused("UnknownRole");
        if (await db.Tenants.FindAsync([id], ct) is not { } tenant) return new Result.NotFound();
        if (await users.FindByEmailAsync(email.Trim()) is not { } user) return new Result.Refused("UnknownUser");
        var member = await db.WorkspaceMembers.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.TenantId == id && m.UserId == user.Id, ct);
        if (member is null)
        {
            var count = await db.WorkspaceMembers.IgnoreQueryFilters().CountAsync(m => m.TenantId == id, ct);
            if (tenant.MaxUsers is { } max && count >= max) return new Result.Refused("UserLimit");
            db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = id, UserId = user.Id, Role = role, CreatedUtc = Now });
        }
        else member.Role = role;
        Record(db, actor, "workspace.member-added", tenant, new { UserId = user.Id, Role = role });
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private void Record(HitlDbContext db, PlatformActor actor, string action, Tenant tenant, object? detail) =>
        db.PlatformAuditEvents.Add(new PlatformAuditEvent
        {
            ActorUserId = actor.UserId, ActorEmail = actor.Email, Action = action, WorkspaceId = tenant.Id, WorkspaceName = tenant.Name,
            Detail = detail is null ? null : JsonSerializer.Serialize(detail), AtUtc = Now,
        });

    /// <summary>Sixteen characters from an alphabet without look-alikes, always meeting the password rules (upper, lower, digit).</summary>
    internal static string InitialPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnpqrstuvwxyz", digits = "23456789";
        var all = upper + lower + digits;
        var chars = new char[16];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        for (var i = 3; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private async Task<Result> RunAsync(Func<HitlDbContext, UserManager<AppUser>, Task<Result>> action, CancellationToken ct)
    {
        // No workspace in force: the operator acts on the workspace each operation names.
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        await using var db = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        return await action(db, sp.GetRequiredService<UserManager<AppUser>>());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Platform operator created workspace {TenantId}")]
    private partial void LogCreated(Guid tenantId);
}
