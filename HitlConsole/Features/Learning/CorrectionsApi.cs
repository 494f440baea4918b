using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Security;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Learning;

/// <summary>
/// POST /api/knowledge/corrections with the workspace's simulator key: a correction from a script or another tool (the
/// learning-curve evaluation uses it), handled like "Save as knowledge" in the editor with an agent's rights — published
/// when the workspace lets agents publish, otherwise queued for an Admin.
/// </summary>
public static class CorrectionsApi
{
    public const string Path = "/api/knowledge/corrections";

    public sealed record Request(string? Question, string? Answer, string? Intent, string? Language, string? ReplacedDraft);

    /// <param name="State">"published" or "proposed".</param>
    public sealed record Response(string State, Guid SuggestionId, Guid? EntryId);

    public static IEndpointRouteBuilder MapCorrectionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, SubmitAsync).AllowAnonymous().DisableAntiforgery().RequireCors(ApiCors.Policy).RequireRateLimiting(RateLimits.Sandbox);
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest http, IDbContextFactory<HitlDbContext> factory, IServiceScopeFactory scopes,
        IOptions<PipelineOptions> options, CancellationToken ct)
    {
        var channel = await SimulatorApi.ChannelForKeyAsync(http, factory, ct);
        if (channel is null) return Results.Unauthorized();
        var (body, error) = await BoundedBody.ReadJsonAsync<Request>(http, options.Value.MaxBodyBytes, ct);
        if (error is not null) return error;
        if (body is null) return BoundedBody.Problem(400, "Send question, answer, language (en or es) and optionally intent and replacedDraft.");
        var input = new KnowledgeInput
        {
            Question = body.Question ?? "", Answer = body.Answer ?? "", Intent = body.Intent, Language = body.Language ?? "", Category = ManageKnowledge.LearnedCategory,
        };
        await using var scope = scopes.CreateTenantScope(channel.TenantId);
        var result = await scope.ServiceProvider.GetRequiredService<ProposeKnowledge>().SubmitCorrectionAsync(input, body.ReplacedDraft, ct);
        return result switch
        {
            ProposeKnowledge.Result.Published p => Results.Ok(new Response("published", p.SuggestionId, p.EntryId)),
            ProposeKnowledge.Result.Proposed p => Results.Ok(new Response("proposed", p.SuggestionId, null)),
            ProposeKnowledge.Result.Invalid invalid => BoundedBody.Problem(400,
                "Invalid correction: " + string.Join(", ", invalid.Errors.Select(e => $"{e.Key} ({Explain(e.Value)})"))),
            _ => BoundedBody.Problem(400, "The correction was refused."),
        };
    }

    private static string Explain(string key) => key switch
    {
        "KnowledgeErrorQuestion" => $"required, up to {ManageKnowledge.MaxQuestion} characters",
        "KnowledgeErrorAnswer" => $"required, up to {ManageKnowledge.MaxAnswer} characters",
        "KnowledgeErrorLanguage" => "en or es",
        "KnowledgeErrorDuplicate" => "the same question and answer are already in the knowledge base",
        "KnowledgeErrorLimit" => "the workspace's knowledge limit is reached",
        _ => "too long",
    };
}
