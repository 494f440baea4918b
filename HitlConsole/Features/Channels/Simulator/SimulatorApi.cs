using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using HitlConsole.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Channels.Simulator;

/// <summary>POST /api/simulator/messages with X-Api-Key: a customer message into the same pipeline as WhatsApp.</summary>
public static class SimulatorApi
{
    public const string Path = "/api/simulator/messages";
    public const string KeyHeader = "X-Api-Key";

    public sealed record Request(string? From, string? Name, string? Text);

    public static IEndpointRouteBuilder MapSimulatorApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.Simulator).RequireCors(ApiCors.Policy);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, IDbContextFactory<HitlDbContext> factory, IngestInbound ingest,
        IOptions<PipelineOptions> options, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            return await StoreAsync(request, factory, ingest, options, clock, ct);
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex) && !ct.IsCancellationRequested)
        {
            return DatabaseUnavailable.Respond(request.HttpContext); // the sender retries; nothing was stored
        }
    }

    private static async Task<IResult> StoreAsync(HttpRequest request, IDbContextFactory<HitlDbContext> factory, IngestInbound ingest,
        IOptions<PipelineOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var channel = await ChannelForKeyAsync(request, factory, ct);
        if (channel is null) return Results.Unauthorized();

        var (input, error) = await BoundedBody.ReadJsonAsync<Request>(request, options.Value.MaxBodyBytes, ct);
        if (error is not null) return error;
        if (input is null || string.IsNullOrWhiteSpace(input.From) || input.From.Length > 64
            || string.IsNullOrWhiteSpace(input.Text) || input.Text.Length > 4096 || input.Name?.Length > 200)
            return BoundedBody.Problem(400, "Send from (up to 64 characters), text (up to 4096) and optionally name.");

        // A caller of the API can wait and retry, unlike Meta: tell it plainly instead of storing a message nobody drafts.
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var allowance = await WorkspaceAllowance.ReadAsync(db, channel.TenantId, clock.GetUtcNow().UtcDateTime, ct);
            if (allowance.Suspended) return BoundedBody.Problem(403, "This workspace is suspended.");
            if (!allowance.MayDraft) return BoundedBody.Problem(429, $"This workspace has reached its limit of {allowance.Limit} messages today.");
        }

        var externalId = "sim." + Guid.NewGuid().ToString("N");
        var message = new InboundMessage("simulator", SimulatorAddress.Canonical(input.From), input.Name?.Trim(), externalId,
            clock.GetUtcNow().UtcDateTime, "text", input.Text, null, null);
        await ingest.HandleAsync(channel.TenantId, channel.Id, ChannelKind.Simulator, [message], [], ct);
        return Results.Accepted(value: new { id = externalId });
    }

    /// <summary>The active simulator channel whose key is in <see cref="KeyHeader"/>; keys are compared by hash.</summary>
    public static async Task<Channel?> ChannelForKeyAsync(HttpRequest request, IDbContextFactory<HitlDbContext> factory, CancellationToken ct)
    {
        var key = request.Headers[KeyHeader].ToString();
        if (string.IsNullOrEmpty(key)) return null;
        var hash = ChannelSecrets.HashApiKey(key);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Channels.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(c => c.ApiKeyHash == hash && c.Kind == ChannelKind.Simulator && c.Active, ct);
    }
}
