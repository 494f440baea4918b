using HitlConsole.Features.Localization;
using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Admin.Users;

/// <summary>
/// The Admin's user operations. Each runs in its own scope for the caller's tenant, so a user id
/// from another tenant is simply not found, and each change is audited.
/// </summary>
public sealed class ManageUsers(TenantScopeFactory scopes, TimeProvider clock)
{
    public sealed class NewUser
    {
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), EmailAddress(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Email)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Email { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(200, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string DisplayName { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required))] public string Role { get; set; } = Roles.Agent;
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MinLength(10, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MinLength)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Password { get; set; } = "";
    }

    public abstract record Result
    {
        public sealed record Done : Result;
        public sealed record NotFound : Result;
        /// <summary>
        /// A reason code (a resource key suffix), with the workspace's limit when one was reached, or Identity's own refusals
        /// (already in the UI language) in <paramref name="Details"/>.
        /// </summary>
        public sealed record Refused(string Reason, int? Limit = null, IReadOnlyList<string>? Details = null) : Result
        {
            /// <summary>The refusal as the person reads it, in the UI language.</summary>
            public string Text(Microsoft.Extensions.Localization.IStringLocalizer l)
            {
                if (Details is { Count: > 0 }) return string.Join(" ", Details);
                var text = l["UserRefused" + Reason, Limit ?? 0];
                return text.ResourceNotFound ? l["IdentityDefaultError"] : text.Value;
            }
        }
    }

    public Task<Result> CreateAsync(NewUser input, CancellationToken ct) => RunAsync(async (users, db, actor) =>
    {
        if (!Roles.All.Contains(input.Role)) return new Result.Refused("UnknownRole");
        var tenantId = db.CurrentTenantId!.Value;
        var limit = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.MaxUsers).SingleAsync(ct);
        if (limit is { } max && await db.WorkspaceMembers.CountAsync(ct) >= max) return new Result.Refused("UserLimit", max);
        var email = input.Email.Trim();
        // Users are global but this scope sees only the workspace's members: a user of another workspace is invisible to
        // FindByEmailAsync and to Identity's own uniqueness check, and the insert then failed on the unique index (an
        // unhandled error). Look across workspaces; the refusal is the same whoever has the address, and tells nothing else.
        var normalized = users.NormalizeEmail(email);
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == normalized || u.NormalizedUserName == normalized, ct))
            return new Result.Refused("EmailTaken");
        var user = new AppUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = input.DisplayName.Trim(), TenantId = tenantId, CreatedUtc = Now,
        };
        // Identity saves the user on its own; the membership and the audit row must land with it, or a failure between
        // the two saves would leave an address that is "taken" by a user nobody can see or manage.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded) return new Result.Refused("Identity", Details: created.Errors.Select(e => e.Description).ToList());
        db.WorkspaceMembers.Add(new WorkspaceMember { UserId = user.Id, Role = input.Role, CreatedUtc = Now });
        db.Record(actor, "user.created", nameof(AppUser), user.Id, null, new { user.Email, input.Role }, Now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Result.Done();
    }, ct);

    /// <summary>The session in this workspace ends at its next request (its role claim no longer matches); other workspaces are untouched.</summary>
    public Task<Result> SetRoleAsync(string userId, string role, CancellationToken ct) => RunAsync(async (_, db, actor) =>
    {
        if (!Roles.All.Contains(role)) return new Result.Refused("UnknownRole");
        if (await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.UserId == userId, ct) is not { } member) return new Result.NotFound();
        if (member.Role == role) return new Result.Done();
        if (member.Role == Roles.Admin && await IsLastActiveAdminAsync(db, userId, ct)) return new Result.Refused("LastAdmin");
        var before = member.Role;
        member.Role = role;
        db.Record(actor, "user.role-changed", nameof(AppUser), userId, new { Roles = new[] { before } }, new { Roles = new[] { role } }, Now);
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    /// <summary>Disables the user in this workspace only: their session here ends at its next request or circuit check.</summary>
    public Task<Result> SetDisabledAsync(string userId, bool disabled, CancellationToken ct) => RunAsync(async (_, db, actor) =>
    {
        if (await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.UserId == userId, ct) is not { } member) return new Result.NotFound();
        if (userId == actor && disabled) return new Result.Refused("SelfDisable");
        if (member.IsDisabled == disabled) return new Result.Done();
        if (disabled && member.Role == Roles.Admin && await IsLastActiveAdminAsync(db, userId, ct)) return new Result.Refused("LastAdmin");
        member.IsDisabled = disabled;
        db.Record(actor, disabled ? "user.disabled" : "user.enabled", nameof(AppUser), userId, null, null, Now);
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    /// <summary>
    /// A password opens every workspace the user belongs to, so a workspace's Admin may reset it only for users who belong to
    /// no other workspace; anyone else asks the platform operator.
    /// </summary>
    public Task<Result> ResetPasswordAsync(string userId, string newPassword, CancellationToken ct) => RunAsync(async (users, db, actor) =>
    {
        if (await users.FindByIdAsync(userId) is not { } user) return new Result.NotFound();
        if (await db.WorkspaceMembers.IgnoreQueryFilters().AnyAsync(m => m.UserId == userId && m.TenantId != db.CurrentTenantId, ct))
            return new Result.Refused("OtherWorkspaces");
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (!reset.Succeeded) return new Result.Refused("Identity", Details: reset.Errors.Select(e => e.Description).ToList());
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        db.Record(actor, "user.password-reset", nameof(AppUser), user.Id, null, null, Now);
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<Result> RunAsync(Func<UserManager<AppUser>, HitlDbContext, string?, Task<Result>> action, CancellationToken ct)
    {
        await using var scope = scopes.Create();
        var sp = scope.ServiceProvider;
        return await action(sp.GetRequiredService<UserManager<AppUser>>(), sp.GetRequiredService<HitlDbContext>(),
            sp.GetRequiredService<TenantContext>().UserId);
    }

    private static async Task<bool> IsLastActiveAdminAsync(HitlDbContext db, string userId, CancellationToken ct) =>
        !await db.WorkspaceMembers.AnyAsync(m => m.UserId != userId && m.Role == Roles.Admin && !m.IsDisabled, ct);
}
