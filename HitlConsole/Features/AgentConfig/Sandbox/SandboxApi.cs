using HitlConsole.Features.Ai;
using HitlConsole.Infrastructure.Security;
using System.Diagnostics;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.AgentConfig.Sandbox;

/// <summary>
/// POST /api/sandbox/draft with the tenant's simulator key: the draft the configuration would produce for a
/// text, through the same guardrail, routing chain and policy as a conversation, writing nothing.
/// </summary>
public static class SandboxApi
{
    public const string Path = "/api/sandbox/draft";

    public sealed record Request(string? Text, int? Version);

    public sealed record Source(Guid Id, string Question, string? Intent, string Language, double Score);

    public sealed record Guardrail(bool Blocked, string? Class, IReadOnlyList<string> Triggered);

    public sealed record Response(
        string Reply, IReadOnlyList<string> Alternatives, string? Intent, string Classification, int Confidence,
        IReadOnlyList<Source> Sources, Guardrail Guardrail, bool OutOfKnowledge, bool WouldAutoSend, string? PolicyReason,
        string? Reasoning, string? Model, int? ConfigVersion, string Language, double LatencyMs)
    {
        /// <summary>
        /// The entries the draft used, the reply's own first, as the console lists them beside it; <see cref="Sources"/> is what
        /// retrieval found, so the two differ when the reply comes from an entry of the decided intent further down.
        /// </summary>
        public IReadOnlyList<Guid> SourceIds { get; init; } = [];
    }

    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, DraftAsync).AllowAnonymous().DisableAntiforgery().RequireCors(ApiCors.Policy).RequireRateLimiting(RateLimits.Sandbox);
        return app;
    }

    private static async Task<IResult> DraftAsync(HttpRequest http, IDbContextFactory<HitlDbContext> factory, IServiceScopeFactory scopes,
        IOptions<PipelineOptions> options, Languages.TextLanguage languages, CancellationToken ct)
    {
        var channel = await SimulatorApi.ChannelForKeyAsync(http, factory, ct);
        if (channel is null) return Results.Unauthorized();

        var (input, error) = await BoundedBody.ReadJsonAsync<Request>(http, options.Value.MaxBodyBytes, ct);
        if (error is not null) return error;
        if (input is null || string.IsNullOrWhiteSpace(input.Text) || input.Text.Length > 4096)
            return BoundedBody.Problem(400, "Send text (up to 4096 characters).");

        await using var scope = scopes.CreateTenantScope(channel.TenantId);
        var composer = scope.ServiceProvider.GetRequiredService<DraftComposer>();
        AgentSettings? settings = null;
        if (input.Version is { } version
            && (settings = await scope.ServiceProvider.GetRequiredService<IAgentSettingsProvider>().GetVersionAsync(channel.TenantId, version, ct)) is null)
            return BoundedBody.Problem(404, $"Configuration version {input.Version} does not exist; omit version to use the configuration in force.");
        string culture;
        await using (var db = await factory.CreateDbContextAsync(ct))
            culture = await db.Tenants.Where(t => t.Id == channel.TenantId).Select(t => t.DefaultCulture).SingleAsync(ct);
        var language = languages.Detect(input.Text, Languages.TextLanguage.Normalise(culture));
        var watch = Stopwatch.StartNew();
        Composition composition;
        try
        {
            composition = await composer.ComposeAsync(new DraftRequest(channel.TenantId, Guid.Empty, input.Text, [], language), AiMode.Auto, ct, settings);
        }
        catch (ModelChainFailedException ex)
        {
            return BoundedBody.Problem(502, ex.Message);
        }
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var scan = composition.Guardrail;
        // A workspace's forbidden topic is reported as the topic itself (SPEC §8).
        var guardrail = new Guardrail(composition.Blocked,
            !composition.Blocked ? null : scan.Class == GuardrailClass.OutOfScope ? scan.Triggered.FirstOrDefault() ?? scan.Class.WireName() : scan.Class.WireName(),
            scan.Triggered);
        if (composition.Blocked)
            return Results.Ok(new Response(composition.BlockedReply, [], null, "blocked", 0, [], guardrail, false, false, "guardrail",
                $"Guardrail: {composition.Guardrail.Class}", null, composition.Settings.ConfigVersion, language, elapsed));

        var (p, d) = (composition.Proposal!, composition.Decision!);
        var sources = p.Hits.Take(Math.Max(composition.Settings.Sources, 3))
            .Select(h => new Source(h.Id, h.Question, h.Intent, h.Language, Math.Round(h.Score, 4))).ToList();
        return Results.Ok(new Response(p.Reply, p.Alternatives, p.Intent, p.Classification, d.Confidence, sources, guardrail,
            p.OutOfKnowledge, d.AutoSend, d.Reason, p.Reasoning, p.Model, composition.Settings.ConfigVersion, language, elapsed)
            { SourceIds = p.SourceIds });
    }
}
