using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge;

public sealed class GetKnowledgePage(IDbContextFactory<HitlDbContext> factory)
{
    public sealed record Query(string? Search, string? SortBy, bool Descending, int Page, int PageSize);
    public sealed record Row(Guid Id, string Question, string Answer, string? Category, string? Intent, string Language, bool Active, DateTime UpdatedUtc);
    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    public async Task<Page> HandleAsync(Query q, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = db.KnowledgeEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            var term = $"%{q.Search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            rows = rows.Where(e => EF.Functions.Like(e.Question, term, "\\") || EF.Functions.Like(e.Answer, term, "\\")
                                   || EF.Functions.Like(e.Intent!, term, "\\"));
        }

        var total = await rows.CountAsync(ct);
        rows = (q.SortBy, q.Descending) switch
        {
            (nameof(Row.Intent), false) => rows.OrderBy(e => e.Intent).ThenBy(e => e.Id),
            (nameof(Row.Intent), true) => rows.OrderByDescending(e => e.Intent).ThenBy(e => e.Id),
            (nameof(Row.Category), false) => rows.OrderBy(e => e.Category).ThenBy(e => e.Id),
            (nameof(Row.Category), true) => rows.OrderByDescending(e => e.Category).ThenBy(e => e.Id),
            (nameof(Row.UpdatedUtc), false) => rows.OrderBy(e => e.UpdatedUtc).ThenBy(e => e.Id),
            (nameof(Row.UpdatedUtc), true) => rows.OrderByDescending(e => e.UpdatedUtc).ThenBy(e => e.Id),
            (_, true) => rows.OrderByDescending(e => e.Question).ThenBy(e => e.Id),
            _ => rows.OrderBy(e => e.Question).ThenBy(e => e.Id),
        };
        var page = await rows.Skip(Math.Max(0, q.Page) * q.PageSize).Take(Math.Clamp(q.PageSize, 1, 200))
            .Select(e => new Row(e.Id, e.Question, e.Answer, e.Category, e.Intent, e.Language, e.Active, e.UpdatedUtc))
            .ToListAsync(ct);
        return new Page(page, total);
    }
}
