using HitlConsole.Domain;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Learning;

/// <summary>
/// What customers ask that the knowledge base does not answer: messages whose draft was out of knowledge or low
/// confidence, clustered by meaning per language, with how often each came up week by week and a few examples. An
/// Admin turns a cluster into an entry; its messages then count as answered and leave the list.
/// </summary>
public sealed class KnowledgeGaps(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, MeaningClusters clusters, PublishKnowledge publish,
    IOptions<LearningOptions> options, TimeProvider clock)
{
    public sealed record Query(int? Days = null, string? Language = null);
    public sealed record Week(DateOnly Start, int Count);
    /// <param name="DraftIds">The drafts of the cluster's messages, newest first.</param>
    public sealed record Gap(IReadOnlyList<Guid> DraftIds, string Question, string Language, string? Intent, int Count, int OutOfKnowledge,
        IReadOnlyList<string> Examples, IReadOnlyList<Week> Weeks, DateTime FirstUtc, DateTime LastUtc);

    public abstract record Result
    {
        public sealed record Closed(Guid EntryId, int Drafts) : Result;
        public sealed record Invalid(Dictionary<string, string> Errors) : Result;
        public sealed record Forbidden : Result;
        public sealed record AlreadyClosed : Result;
    }

    public async Task<IReadOnlyList<Gap>> ListAsync(Query query, CancellationToken ct)
    {
        var days = Math.Clamp(query.Days ?? options.Value.GapDays, 1, 366);
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-days);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await (from d in db.Drafts.AsNoTracking()
                          where (d.OutOfKnowledge || d.LowConfidence) && d.GapEntryId == null && d.CreatedUtc >= since
                                && d.State != DraftState.Blocked && d.State != DraftState.Generating
                          join m in db.Messages on d.MessageId equals m.Id
                          where m.Text != null && (query.Language == null || m.Language == query.Language)
                          orderby d.CreatedUtc descending
                          select new { d.Id, m.Text, m.Language, d.Intent, d.OutOfKnowledge, d.CreatedUtc })
            .Take(options.Value.MaxClusteredRows).ToListAsync(ct);
        var groups = clusters.Group(rows.Select((r, i) => new MeaningClusters.Item<int>(i, r.Text!, r.Language ?? "en")).ToList(), ct);
        var firstWeek = WeekOf(since);
        var weekCount = (int)((WeekOf(now).DayNumber - firstWeek.DayNumber) / 7) + 1;
        return groups.Select(g => g.Select(i => rows[i]).ToList()).Select(members => new Gap(
                members.Select(m => m.Id).ToList(), members[0].Text!, members[0].Language ?? "en",
                // An intent the model named while finding nothing to answer with is its nearest guess ("a student discount?" read
                // as a cancellation fee at 6 %), not what the customer asked: the gap shows none rather than a wrong one.
                members.Where(m => m.Intent != null && !m.OutOfKnowledge).GroupBy(m => m.Intent).OrderByDescending(x => x.Count()).Select(x => x.Key).FirstOrDefault(),
                members.Count, members.Count(m => m.OutOfKnowledge),
                members.Select(m => m.Text!).Distinct().Take(3).ToList(),
                Enumerable.Range(0, weekCount).Select(w => firstWeek.AddDays(7 * w))
                    .Select(start => new Week(start, members.Count(m => WeekOf(m.CreatedUtc) == start))).ToList(),
                members.Min(m => m.CreatedUtc), members.Max(m => m.CreatedUtc)))
            .ToList();
    }

    /// <summary>Creates the entry an Admin wrote for the cluster and marks its messages answered. Audited.</summary>
    public async Task<Result> CloseAsync(IReadOnlyCollection<Guid> draftIds, KnowledgeInput input, CancellationToken ct)
    {
        var errors = ManageKnowledge.Validate(input);
        if (errors.Count > 0) return new Result.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await LearningAccess.RoleAsync(db, tenant.UserId, ct) != Roles.Admin) return new Result.Forbidden();
        if (!await db.Drafts.AnyAsync(d => draftIds.Contains(d.Id) && d.GapEntryId == null, ct)) return new Result.AlreadyClosed();
        var created = await publish.CreateAsync(input, ct);
        if (created is ManageKnowledge.Result.Invalid invalid) return new Result.Invalid(invalid.Errors);
        if (created is not ManageKnowledge.Result.Saved saved) return new Result.AlreadyClosed();
        var closed = await db.Drafts.Where(d => draftIds.Contains(d.Id) && d.GapEntryId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.GapEntryId, saved.Id), ct);
        db.Record(tenant.UserId, "knowledge-gap.closed", nameof(KnowledgeEntry), saved.Id.ToString(), null,
            new { Drafts = closed, input.Language, input.Intent }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new Result.Closed(saved.Id, closed);
    }

    /// <summary>Monday of the week (UTC).</summary>
    private static DateOnly WeekOf(DateTime utc)
    {
        var day = DateOnly.FromDateTime(utc);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
