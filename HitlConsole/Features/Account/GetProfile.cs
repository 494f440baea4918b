using System.Globalization;
using System.Security.Claims;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Account;

/// <summary>The signed-in user's own name and UI language, as the profile page's form starts.</summary>
public sealed class GetProfile(IDbContextFactory<HitlDbContext> factory)
{
    public async Task<UpdateProfile.Input?> HandleAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        // One's own account whichever workspace is in force: a platform operator need not be a member of it.
        var user = await db.Users.IgnoreQueryFilters([HitlDbContext.TenantFilter]).Where(u => u.Id == userId)
            .Select(u => new { u.DisplayName }).SingleOrDefaultAsync(ct);
        return user is null ? null
            // The language in use: the app bar's switch and this choice are one setting, and the page must not offer another.
            : new UpdateProfile.Input { DisplayName = user.DisplayName, Culture = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName };
    }
}
