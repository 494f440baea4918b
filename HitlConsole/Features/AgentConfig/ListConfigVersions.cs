using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

public sealed record ConfigVersionView(
    int Number, string? Name, string? Comment, bool Locked, int? RestoredFrom, string? Author, DateTime CreatedUtc, string ContentHash);

/// <summary>
/// Every version of the agent configuration, newest first. The author is shown by their current display name; the name
/// stored with the version (an e-mail for older versions) only when the person has none or no longer exists.
/// </summary>
public sealed class ListConfigVersions(IDbContextFactory<HitlDbContext> factory)
{
    public async Task<IReadOnlyList<ConfigVersionView>> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await (
            from v in db.ConfigVersions.AsNoTracking()
            join u in db.Users on v.CreatedByUserId equals u.Id into authors
            from u in authors.DefaultIfEmpty()
            orderby v.Number descending
            select new ConfigVersionView(v.Number, v.Name, v.Comment, v.Locked, v.RestoredFrom,
                u != null && u.DisplayName != "" ? u.DisplayName : v.CreatedByName, v.CreatedUtc, v.ContentHash))
            .ToListAsync(ct);
    }
}
