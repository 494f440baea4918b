using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.Media;

/// <summary>GET /media/{messageId}: a customer's file, for signed-in members of its workspace only (the tenant filter decides).</summary>
public static class MediaEndpoint
{
    public static string PathFor(Guid messageId) => $"/media/{messageId}";

    public static IEndpointRouteBuilder MapMediaEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/{messageId:guid}", async (Guid messageId, HttpContext http, IDbContextFactory<HitlDbContext> factory, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var file = await (from m in db.Messages.AsNoTracking()
                              join f in db.MediaFiles on m.MediaFileId equals f.Id
                              where m.Id == messageId
                              select new { f.ContentType, f.Content, f.FileName, f.Sha256 }).SingleOrDefaultAsync(ct);
            if (file is null) return Results.NotFound();
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, max-age=86400";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            var inline = file.ContentType.StartsWith("image/") || file.ContentType.StartsWith("audio/") || file.ContentType.StartsWith("video/");
            return Results.File(file.Content, file.ContentType, inline ? null : file.FileName ?? $"file-{file.Sha256[..8]}",
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true);
        }).RequireAuthorization();
        return app;
    }
}
