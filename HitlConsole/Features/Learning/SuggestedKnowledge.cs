using HitlConsole.Domain;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Learning;

/// <summary>
/// The Admins' queue of proposed lessons, near-duplicates clustered by meaning: how often each came up, the drafts they
/// replaced, who wrote them. Accept creates an entry, merge rewrites the closest existing entry's answer, dismiss sets
/// the proposals aside; every decision is audited and settled in the database, so two Admins never decide one twice.
/// </summary>
public sealed class SuggestedKnowledge(
    IDbContextFactory<HitlDbContext> factory, TenantContext tenant, MeaningClusters clusters, KnowledgeSearch search, PublishKnowledge publish,
    IOptions<LearningOptions> options, TimeProvider clock)
{
    public sealed record Existing(Guid Id, string Question);

    /// <param name="Ids">Every proposal of the cluster, newest first; the first one's texts prefill the entry.</param>
    public sealed record Cluster(IReadOnlyList<Guid> Ids, string Question, string Answer, string? Intent, string Language, int Count,
        IReadOnlyList<string> ReplacedDrafts, IReadOnlyList<string> Authors, IReadOnlyList<string> OtherQuestions, DateTime FirstUtc,
        DateTime LastUtc, Existing? Closest);

    public abstract record Result
    {
        public sealed record Done(Guid? EntryId, int Count) : Result;
        public sealed record Invalid(Dictionary<string, string> Errors) : Result;
        public sealed record Forbidden : Result;
        /// <summary>Another Admin decided these proposals first.</summary>
        public sealed record AlreadyDecided : Result;
    }

    public async Task<IReadOnlyList<Cluster>> ListAsync(string? language, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await (from s in db.KnowledgeSuggestions.AsNoTracking()
                          where s.State == SuggestionState.Proposed && (language == null || s.Language == language)
                          join u in db.Users on s.ProposedByUserId equals u.Id into authors
                          from u in authors.DefaultIfEmpty()
                          orderby s.CreatedUtc descending
                          select new { s.Id, s.Question, s.Answer, s.Intent, s.Language, s.ReplacedDraft, s.CreatedUtc,
                              Author = u == null ? null : (u.DisplayName != "" ? u.DisplayName : u.Email) })
            .Take(options.Value.MaxClusteredRows).ToListAsync(ct);
        var groups = clusters.Group(rows.Select(r => new MeaningClusters.Item<int>(rows.IndexOf(r), r.Question, r.Language)).ToList(), ct);
        var result = new List<Cluster>();
        foreach (var group in groups)
        {
            var members = group.Select(i => rows[i]).ToList();
            var head = members[0];
            var closest = tenant.TenantId is { } tenantId
                ? (await search.SearchAsync(tenantId, head.Question, head.Language, 1, ct)).FirstOrDefault(h => h.Semantic >= options.Value.ClusterSimilarity)
                : null;
            result.Add(new Cluster(members.Select(m => m.Id).ToList(), head.Question, head.Answer,
                members.Where(m => m.Intent != null).GroupBy(m => m.Intent).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault(),
                head.Language, members.Count,
                members.Where(m => m.ReplacedDraft != null).Select(m => m.ReplacedDraft!).Distinct().Take(3).ToList(),
                members.Select(m => m.Author ?? "API").Distinct().ToList(),
                members.Skip(1).Select(m => m.Question).Distinct().Take(5).ToList(),
                members.Min(m => m.CreatedUtc), members.Max(m => m.CreatedUtc),
                closest is null ? null : new Existing(closest.Id, closest.Question)));
        }
        return result;
    }

    /// <summary>Publishes the cluster as one new entry (its texts as the Admin left them).</summary>
    public async Task<Result> AcceptAsync(IReadOnlyCollection<Guid> ids, KnowledgeInput input, CancellationToken ct)
    {
        var errors = ManageKnowledge.Validate(input);
        if (errors.Count > 0) return new Result.Invalid(errors);
        return await DecideAsync(ids, SuggestionState.Accepted, async () => await publish.CreateAsync(input, ct), "knowledge-suggestion.accepted", ct);
    }

    /// <summary>Rewrites an existing entry's answer with the cluster's (the question the entry answers stays).</summary>
    public async Task<Result> MergeAsync(IReadOnlyCollection<Guid> ids, Guid entryId, string answer, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(answer) || answer.Trim().Length > ManageKnowledge.MaxAnswer)
            return new Result.Invalid(new() { [nameof(KnowledgeInput.Answer)] = "KnowledgeErrorAnswer" });
        return await DecideAsync(ids, SuggestionState.Merged, async () => await publish.ReplaceAnswerAsync(entryId, answer.Trim(), ct),
            "knowledge-suggestion.merged", ct);
    }

    public Task<Result> DismissAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        DecideAsync(ids, SuggestionState.Dismissed, null, "knowledge-suggestion.dismissed", ct);

    public async Task<bool> GetAgentsPublishAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Tenants.Where(t => t.Id == db.CurrentTenantId).Select(t => t.AgentsPublishKnowledge).SingleOrDefaultAsync(ct);
    }

    /// <summary>The workspace setting: may Agents publish their own corrections? Admins only; audited.</summary>
    public async Task<Result> SetAgentsPublishAsync(bool allowed, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await LearningAccess.RoleAsync(db, tenant.UserId, ct) != Roles.Admin) return new Result.Forbidden();
        await db.Tenants.Where(t => t.Id == db.CurrentTenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.AgentsPublishKnowledge, allowed), ct);
        db.Record(tenant.UserId, "workspace.agents-publish-knowledge", nameof(Tenant), db.CurrentTenantId?.ToString(), null, new { Allowed = allowed },
            clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new Result.Done(null, 0);
    }

    private async Task<Result> DecideAsync(IReadOnlyCollection<Guid> ids, SuggestionState state, Func<Task<ManageKnowledge.Result>>? write,
        string action, CancellationToken ct)
    {
        if (ids.Count == 0) return new Result.AlreadyDecided();
        await using var db = await factory.CreateDbContextAsync(ct);
        var me = tenant.UserId;
        if (await LearningAccess.RoleAsync(db, me, ct) != Roles.Admin) return new Result.Forbidden();
        var now = clock.GetUtcNow().UtcDateTime;
        // Claim first: of two Admins deciding the same proposals, one claims them and the other is told.
        var claimed = await db.KnowledgeSuggestions.Where(s => ids.Contains(s.Id) && s.State == SuggestionState.Proposed)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, state).SetProperty(x => x.DecidedByUserId, me).SetProperty(x => x.DecidedUtc, now)
                .SetProperty(x => x.Version, x => x.Version + 1), ct);
        if (claimed == 0) return new Result.AlreadyDecided();
        Guid? entryId = null;
        if (write is not null)
        {
            switch (await write())
            {
                case ManageKnowledge.Result.Saved saved:
                    entryId = saved.Id;
                    break;
                case var failed:
                    // Nothing was published: the proposals go back to the queue as they were.
                    await db.KnowledgeSuggestions.Where(s => ids.Contains(s.Id) && s.State == state && s.DecidedUtc == now)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, SuggestionState.Proposed).SetProperty(x => x.DecidedByUserId, (string?)null)
                            .SetProperty(x => x.DecidedUtc, (DateTime?)null), ct);
                    return failed is ManageKnowledge.Result.Invalid invalid ? new Result.Invalid(invalid.Errors)
                        : new Result.Invalid(new() { [nameof(KnowledgeInput.Question)] = "LearningEntryGone" });
            }
            await db.KnowledgeSuggestions.Where(s => ids.Contains(s.Id) && s.State == state && s.DecidedUtc == now)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.KnowledgeEntryId, entryId), ct);
        }
        db.Record(me, action, nameof(KnowledgeSuggestion), null, null, new { Count = claimed, EntryId = entryId, Ids = ids.Take(200) }, now);
        await db.SaveChangesAsync(ct);
        return new Result.Done(entryId, claimed);
    }
}
