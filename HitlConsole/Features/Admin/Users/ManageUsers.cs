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
        [Required, EmailAddress, MaxLength(256)] public string Email { get; set; } = "";
        [Required, MaxLength(200)] public string DisplayName { get; set; } = "";
        [Required] public string Role { get; set; } = Roles.Agent;
        [Required, MinLength(10), MaxLength(256)] public string Password { get; set; } = "";
    }

    public abstract record Result
    {
        public sealed record Done : Result;
        public sealed record NotFound : Result;
        public sealed record Refused(string Reason) : Result;
    }

    public Task<Result> CreateAsync(NewUser input, CancellationToken ct) => RunAsync(async (users, db, actor) =>
    {
        if (!Roles.All.Contains(input.Role)) return new Result.Refused("UnknownRole");
        var email = input.Email.Trim();
        if (await users.FindByEmailAsync(email) is not null) return new Result.Refused("EmailTaken");
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = input.DisplayName.Trim(), CreatedUtc = Now };
        user.TenantId = db.CurrentTenantId!.Value;
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded) return new Result.Refused(string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, input.Role);
        db.Record(actor, "user.created", nameof(AppUser), user.Id, null, new { user.Email, input.Role }, Now);
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    public Task<Result> SetRoleAsync(string userId, string role, CancellationToken ct) => RunAsync(async (users, db, actor) =>
    {
        if (!Roles.All.Contains(role)) return new Result.Refused("UnknownRole");
        if (await users.FindByIdAsync(userId) is not { } user) return new Result.NotFound();
        var current = await users.GetRolesAsync(user);
        if (current.SequenceEqual([role])) return new Result.Done();
        if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastActiveAdminAsync(users, user))
            return new Result.Refused("LastAdmin");
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        db.Record(actor, "user.role-changed", nameof(AppUser), user.Id, new { Roles = current }, new { Roles = new[] { role } }, Now);
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    public Task<Result> SetDisabledAsync(string userId, bool disabled, CancellationToken ct) => RunAsync(async (users, db, actor) =>
    {
        if (await users.FindByIdAsync(userId) is not { } user) return new Result.NotFound();
        if (user.Id == actor && disabled) return new Result.Refused("SelfDisable");
        if (user.IsDisabled == disabled) return new Result.Done();
        if (disabled && await users.IsInRoleAsync(user, Roles.Admin) && await IsLastActiveAdminAsync(users, user))
            return new Result.Refused("LastAdmin");
        user.IsDisabled = disabled;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user); // signs the user out everywhere
        db.Record(actor, disabled ? "user.disabled" : "user.enabled", nameof(AppUser), user.Id, null, null, Now);
        await db.SaveChangesAsync(ct);
        return new Result.Done();
    }, ct);

    public Task<Result> ResetPasswordAsync(string userId, string newPassword, CancellationToken ct) => RunAsync(async (users, db, actor) =>
    {
        if (await users.FindByIdAsync(userId) is not { } user) return new Result.NotFound();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (!reset.Succeeded) return new Result.Refused(string.Join(" ", reset.Errors.Select(e => e.Description)));
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

    private static async Task<bool> IsLastActiveAdminAsync(UserManager<AppUser> users, AppUser user)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return !admins.Any(a => a.Id != user.Id && !a.IsDisabled && a.TenantId == user.TenantId);
    }
}
