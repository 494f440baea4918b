using HitlConsole.Infrastructure.Exports;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using HitlConsole.Domain;
using HitlConsole.Features.Account;
using HitlConsole.Features.Admin.Audit;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Platform;

/// <summary>
/// A whole workspace as one zip for the platform operator: settings, members, knowledge, teams, saved replies, configuration
/// versions, conversations and audit. Each file is streamed row by row into its zip entry, so a workspace of any size passes in constant memory.
/// Secrets are never read: no channel tokens, app secrets, API keys, password hashes or security stamps.
/// </summary>
public sealed partial class ExportWorkspace(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExportWorkspace> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public sealed record Limits(int? MaxUsers, int? MaxKnowledgeEntries, int? MaxMessagesPerDay);

    public sealed record WorkspaceFile(Guid Id, string Name, string DefaultCulture, string TimeZone, int DraftTtlHours, bool IsSuspended,
        Limits Limits, DateTime CreatedUtc, DateTime ExportedUtc);

    /// <summary>The workspace's name (for the file name), or null when there is no such workspace.</summary>
    public async Task<string?> FindNameAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        return await db.Tenants.Where(t => t.Id == workspaceId).Select(t => t.Name).SingleOrDefaultAsync(ct);
    }

    /// <summary>Writes the zip to <paramref name="output"/>; false, with nothing written, when there is no such workspace.</summary>
    public async Task<bool> WriteAsync(Guid workspaceId, Stream output, PlatformActor actor, CancellationToken ct)
    {
        // Read as the workspace itself: its query filters then make sure no row of another workspace can slip into the file.
        await using var scope = scopes.CreateTenantScope(workspaceId);
        var services = scope.ServiceProvider;
        var factory = services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        if (await RecordAsync(factory, workspaceId, actor, ct) is not { } tenant) return false;

        var buffer = new AsyncWriteBuffer(output);
        await using (var zip = await ZipArchive.CreateAsync(buffer, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            async Task AddAsync(string name, Func<Stream, Task> write)
            {
                await using (var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct)) await write(entry);
                await buffer.DrainAsync(ct);
            }

            await AddAsync("workspace.json", s => JsonSerializer.SerializeAsync(s, ToFile(tenant), Json, ct));
            await AddAsync("members.csv", s => WriteMembersAsync(factory, s, ct));
            await AddAsync("knowledge.csv", s => KnowledgeExport.WriteCsvAsync(s, services.GetRequiredService<GetKnowledgePage>().StreamAsync(new(), ct), ct));
            await AddAsync("teams.json", s => TeamsFile.WriteTeamsAsync(factory, workspaceId, s, ct));
            await AddAsync("saved-replies.csv", s => TeamsFile.WriteSavedRepliesAsync(factory, s, ct));
            await AddAsync("configuration-versions.json", s => WriteVersionsAsync(factory, s, ct));
            await AddAsync("conversations.jsonl", s => ConversationsFile.WriteAsync(factory, s, ct));
            await AddAsync("audit.csv", s => services.GetRequiredService<GetAuditLog>().WriteCsvAsync(new(), s, ct));
        }
        await buffer.DrainAsync(ct); // the central directory
        LogExported(workspaceId, actor.UserId);
        return true;
    }

    /// <summary>Recorded before the first byte leaves: an export that breaks off half-way has still handed data out.</summary>
    private async Task<Tenant?> RecordAsync(IDbContextFactory<HitlDbContext> factory, Guid workspaceId, PlatformActor actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == workspaceId, ct);
        if (tenant is null) return null;
        db.PlatformAuditEvents.Add(new PlatformAuditEvent
        {
            ActorUserId = actor.UserId, ActorEmail = actor.Email, Action = "workspace.exported", WorkspaceId = workspaceId, WorkspaceName = tenant.Name,
            AtUtc = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return tenant;
    }

    private WorkspaceFile ToFile(Tenant t) => new(t.Id, t.Name, t.DefaultCulture, t.TimeZone, t.DraftTtlHours, t.IsSuspended,
        new Limits(t.MaxUsers, t.MaxKnowledgeEntries, t.MaxMessagesPerDay), Utc(t.CreatedUtc), clock.GetUtcNow().UtcDateTime);

    /// <summary>"Disabled" is whether the person can work here: their membership or their whole account is switched off.</summary>
    private static async Task WriteMembersAsync(IDbContextFactory<HitlDbContext> factory, Stream output, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var csv = await ExportFiles.CsvAsync(output, ct);
        csv.WriteRecord(["email", "display_name", "role", "disabled"]);
        var rows = from m in db.WorkspaceMembers.AsNoTracking()
                   join u in db.Users on m.UserId equals u.Id
                   orderby u.Email
                   select new { u.Email, u.DisplayName, m.Role, Disabled = m.IsDisabled || u.IsDisabled };
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            await csv.WriteRecordAsync([KnowledgeExport.Neutralise(r.Email), KnowledgeExport.Neutralise(r.DisplayName), r.Role,
                r.Disabled ? "true" : "false"], ct);
        }
        await csv.FlushAsync(ct);
    }

    private static async Task WriteVersionsAsync(IDbContextFactory<HitlDbContext> factory, Stream output, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var json = new Utf8JsonWriter(output, ExportFiles.JsonWriter);
        json.WriteStartArray();
        await foreach (var v in db.ConfigVersions.AsNoTracking().OrderBy(v => v.Number).AsAsyncEnumerable().WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteNumber("number", v.Number);
            json.WriteString("name", v.Name);
            json.WriteString("comment", v.Comment);
            json.WriteBoolean("locked", v.Locked);
            if (v.RestoredFrom is { } from) json.WriteNumber("restoredFrom", from); else json.WriteNull("restoredFrom");
            json.WriteString("createdUtc", Utc(v.CreatedUtc));
            json.WriteString("createdBy", v.CreatedByName);
            json.WritePropertyName("document");
            json.WriteRawValue(v.Document); // JSON already, and holds no secrets (ConfigVersion)
            json.WriteEndObject();
            if (json.BytesPending > 32 * 1024) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    /// <summary>SQLite hands dates back without a kind; every date the product stores is UTC.</summary>
    internal static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static IEndpointRouteBuilder MapEndpoint(IEndpointRouteBuilder app)
    {
        app.MapGet("/platform/workspaces/{id:guid}/export", async (Guid id, HttpContext http, ExportWorkspace export, TimeProvider clock, CancellationToken ct) =>
            {
                if (PlatformActor.From(http.User) is not { } actor) return Results.Forbid();
                if (await export.FindNameAsync(id, ct) is not { } name) return Results.NotFound();
                var file = $"workspace-{Slug(name)}-{clock.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.zip";
                return Results.Stream(body => export.WriteAsync(id, body, actor, ct), "application/zip", file);
            })
            .RequireAuthorization(AccountRegistration.PlatformOperatorPolicy);
        return app;
    }

    /// <summary>Lower-case ASCII letters and digits joined by dashes ("Café Ñandú" → "cafe-nandu"), safe in any file system.</summary>
    internal static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "workspace" : text[..Math.Min(text.Length, 50)].TrimEnd('-');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceId} exported by platform operator {ActorUserId}")]
    private partial void LogExported(Guid workspaceId, string actorUserId);
}
