using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Search;

namespace HitlConsole.Features.Learning;

/// <summary>
/// Writes a lesson into the knowledge base so the very next draft can use it: the entry is created through the knowledge
/// editor's own path (validation, duplicates, workspace limit, audit) and gets its vector here and now rather than at the
/// embedding sweep. The full-text index and this instance's vector cache see the write at once (the write interceptor,
/// ADR 0019); other instances within <c>Embeddings:IndexFreshness</c>.
/// </summary>
public sealed class PublishKnowledge(ManageKnowledge manage, KnowledgeEmbedder embedder)
{
    public async Task<ManageKnowledge.Result> CreateAsync(KnowledgeInput input, CancellationToken ct)
    {
        var result = await manage.CreateAsync(input, ct);
        if (result is ManageKnowledge.Result.Saved saved) await embedder.EmbedNowAsync(saved.Id, ct);
        return result;
    }

    /// <summary>Replaces an entry's answer (a merged correction); its question, and so its vector, stay.</summary>
    public async Task<ManageKnowledge.Result> ReplaceAnswerAsync(Guid entryId, string answer, CancellationToken ct)
    {
        if (await manage.GetAsync(entryId, ct) is not { } current) return new ManageKnowledge.Result.NotFound();
        current.Input.Answer = answer;
        var result = await manage.UpdateAsync(entryId, current.Version, current.Input, ct);
        if (result is ManageKnowledge.Result.Saved) await embedder.EmbedNowAsync(entryId, ct);
        return result;
    }
}
