using HitlConsole.Features.Localization;
using System.ComponentModel.DataAnnotations;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Setup;

/// <summary>First run: creates the first tenant and its Admin, who is also the platform operator. Refuses once any tenant exists.</summary>
public sealed partial class CreateFirstWorkspace(
    IServiceScopeFactory scopes, SetupState state, TimeProvider clock, ILogger<CreateFirstWorkspace> logger)
{
    public sealed class Input
    {
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(200, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string WorkspaceName { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(200, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string AdminName { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), EmailAddress(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Email)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string AdminEmail { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MinLength(10, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MinLength)), MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string Password { get; set; } = "";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), RegularExpression("en|es", ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Choice))] public string Culture { get; set; } = "en";
        [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.Required)), MaxLength(100, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.MaxLength))] public string TimeZone { get; set; } = "UTC";
    }

    public abstract record Result
    {
        public sealed record Created : Result;
        public sealed record AlreadySetUp : Result;
        public sealed record Invalid(IReadOnlyList<string> Errors) : Result;
    }

    public async Task<Result> HandleAsync(Input input, CancellationToken ct)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(input.TimeZone, out _))
            return new Result.Invalid(["TimeZone"]);

        await state.CreateLock.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>();
            if (await state.HasWorkspaceAsync(factory, ct)) return new Result.AlreadySetUp();

            var now = clock.GetUtcNow().UtcDateTime;
            var tenant = new Tenant { Name = input.WorkspaceName.Trim(), DefaultCulture = input.Culture, TimeZone = input.TimeZone, CreatedUtc = now };
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                db.Tenants.Add(tenant);
                await db.SaveChangesAsync(ct);
            }

            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var email = input.AdminEmail.Trim();
            // The first Admin also runs the installation: they create the next workspaces.
            var admin = new AppUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = input.AdminName.Trim(), TenantId = tenant.Id,
                IsPlatformOperator = true, CreatedUtc = now,
            };
            var created = await users.CreateAsync(admin, input.Password);
            if (created.Succeeded)
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = tenant.Id, UserId = admin.Id, Role = Roles.Admin, CreatedUtc = now });
                await db.SaveChangesAsync(ct);
            }
            if (!created.Succeeded)
            {
                // Leave the database empty so the page can be submitted again.
                await using var db = await factory.CreateDbContextAsync(ct);
                await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteDeleteAsync(ct);
                return new Result.Invalid(created.Errors.Select(e => e.Description).ToList());
            }

            state.MarkCreated();
            LogCreated(tenant.Id);
            return new Result.Created();
        }
        finally
        {
            state.CreateLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "First-run setup created workspace {TenantId} and its Admin")]
    private partial void LogCreated(Guid tenantId);
}
