using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Diagnostics;
using HitlConsole.Domain;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.Extensions.AI;
using OpenAI;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Drafts with any OpenAI-compatible chat server (LM Studio, Ollama, OpenAI, vLLM…) through
/// Microsoft.Extensions.AI. Asks for the JSON contract by schema, reads it leniently, and keeps unparseable text
/// as a low-confidence draft instead of losing it.
/// </summary>
public sealed class OpenAiCompatibleModel(ModelSecrets secrets) : IWorkspaceCache
{
    public const string NoKey = "not-needed";
    private readonly ConcurrentDictionary<(Guid Tenant, Guid Profile, DateTime Updated), IChatClient> _clients = new();
    private static readonly ChatResponseFormat Schema = ChatResponseFormat.ForJsonSchema(
        AIJsonUtilities.CreateJsonSchema(typeof(ModelAnswerSchema)), "draft", "A reply draft for a customer-support agent to review.");

    public async Task<DraftProposal> DraftAsync(ModelProfile profile, DraftRequest request, AgentSettings settings,
        IReadOnlyList<KnowledgeHit> hits, CancellationToken ct)
    {
        var client = ClientFor(profile);
        var options = new ChatOptions
        {
            Temperature = (float)profile.Temperature, MaxOutputTokens = profile.MaxTokens, ResponseFormat = Schema,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(profile.TimeoutSeconds));
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(DraftPrompt.Build(request, settings, hits), options, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The model did not answer within {profile.TimeoutSeconds} s.");
        }

        var model = $"{profile.Name} ({response.ModelId ?? profile.Model})";
        int promptTokens = (int)(response.Usage?.InputTokenCount ?? 0), completionTokens = (int)(response.Usage?.OutputTokenCount ?? 0);
        var known = hits.ToDictionary(h => h.Id.ToString(), h => h.Id, StringComparer.OrdinalIgnoreCase);
        var answer = DraftJson.TryParse(response.Text);
        if (answer is null)
        {
            var raw = response.Text?.Trim() ?? "";
            return new DraftProposal(raw.Length > 0 ? raw : SystemRepliesFallback(request), [], null, "answer", 20,
                hits.Take(settings.Sources).Select(h => h.Id).ToList(), raw.Length == 0,
                "The model did not return the JSON contract; its text is kept as a low-confidence draft.", model, promptTokens, completionTokens)
            { Hits = hits };
        }

        var sources = (answer.Sources ?? []).Select(s => s.ValueKind == System.Text.Json.JsonValueKind.String ? s.GetString() : s.ToString())
            .Where(s => s is not null && known.ContainsKey(s)).Select(s => known[s!]).Distinct().ToList();
        var intent = settings.Intents.Find(answer.Intent)?.Name ?? answer.Intent;
        return new DraftProposal(answer.Reply!.Trim(), (answer.Alternatives ?? []).Where(a => !string.IsNullOrWhiteSpace(a)).Take(3).ToList(),
            intent, answer.Classification ?? "answer", Math.Clamp(DraftJson.ConfidenceOf(answer.Confidence), 0, 100), sources,
            answer.OutOfKnowledge ?? false, answer.Reasoning, model, promptTokens, completionTokens) { Hits = hits };
    }

    public async Task<IReadOnlyList<string>> ListModelsAsync(ModelProfile profile, CancellationToken ct)
    {
        var models = OpenAiClient(profile).GetOpenAIModelClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Min(profile.TimeoutSeconds, 15)));
        var result = await models.GetModelsAsync(timeout.Token);
        return result.Value.Select(m => m.Id).Order(StringComparer.Ordinal).ToList();
    }

    private IChatClient ClientFor(ModelProfile profile) =>
        _clients.GetOrAdd((profile.TenantId, profile.Id, profile.UpdatedUtc), _ => OpenAiClient(profile).GetChatClient(profile.Model ?? "").AsIChatClient());

    /// <summary>A client holds its profile's decrypted API key: a deleted workspace's clients go with it.</summary>
    public void Evict(Guid tenantId)
    {
        foreach (var key in _clients.Keys.Where(k => k.Tenant == tenantId)) _clients.TryRemove(key, out _);
    }

    private OpenAIClient OpenAiClient(ModelProfile profile) =>
        new(new ApiKeyCredential(secrets.Unprotect(profile.ApiKeyProtected) ?? NoKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(profile.BaseUrl ?? throw new InvalidOperationException($"Model profile '{profile.Name}' has no base URL.")),
            NetworkTimeout = TimeSpan.FromSeconds(profile.TimeoutSeconds),
            // The routing chain is the retry: a failing profile hands over to the next one at once.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static string SystemRepliesFallback(DraftRequest request) => SystemReplies.Generic[request.Language == "es" ? "es" : "en"];

    /// <summary>The schema sent to servers that support structured output.</summary>
    private sealed record ModelAnswerSchema(
        string reply, string[] alternatives, string? intent, string classification, int confidence, string[] sources, bool out_of_knowledge, string reasoning);
}
