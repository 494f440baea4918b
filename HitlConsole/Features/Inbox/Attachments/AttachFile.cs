using System.Security.Cryptography;
using HitlConsole.Domain;
using HitlConsole.Features.Channels;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Inbox.Attachments;

/// <summary>
/// An agent attaches a file to a reply. The type (by the file's extension, and for images by its first bytes) and the size
/// (<see cref="WhatsAppOptions.AttachmentImageMaxBytes"/>, <see cref="WhatsAppOptions.AttachmentDocumentMaxBytes"/>) are checked
/// before anything is read or sent to Meta; an accepted file is kept at once in the workspace's media store (the same table
/// as a customer's media, one copy per checksum), so nothing is lost if the upload to WhatsApp fails later.
/// </summary>
public sealed partial class AttachFile(
    IDbContextFactory<HitlDbContext> factory, IOptions<WhatsAppOptions> options, TimeProvider clock, ILogger<AttachFile> logger)
{
    /// <summary>A stored attachment, ready to go with a reply. <paramref name="Kind"/> is WhatsApp's message type: image or document.</summary>
    public sealed record Attachment(Guid FileId, string FileName, string ContentType, long SizeBytes, string Kind);

    public abstract record Result
    {
        public sealed record Stored(Attachment Attachment) : Result;
        /// <summary><paramref name="Reason"/>: <c>type</c> (not an allowed image or document), <c>too-large</c> (over <paramref name="LimitBytes"/>) or <c>empty</c>.</summary>
        public sealed record Refused(string Reason, long LimitBytes = 0) : Result;
    }

    /// <summary>The file types WhatsApp accepts as an image or a document, by extension.</summary>
    public static readonly IReadOnlyDictionary<string, string> Extensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".png"] = "image/png", [".webp"] = "image/webp",
        [".pdf"] = "application/pdf", [".txt"] = "text/plain",
        [".doc"] = "application/msword", [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xls"] = "application/vnd.ms-excel", [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".ppt"] = "application/vnd.ms-powerpoint", [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    /// <summary>The <c>accept</c> list of the browser's file picker: the allowed extensions.</summary>
    public string Accept => string.Join(',', Extensions.Where(e => options.Value.AttachmentContentTypes.Contains(e.Value)).Select(e => e.Key));

    /// <summary>Checks the name and the size the browser announced, before a single byte is read.</summary>
    public Result? Check(string fileName, long sizeBytes)
    {
        var o = options.Value;
        if (!Extensions.TryGetValue(Path.GetExtension(fileName), out var type) || !o.AttachmentContentTypes.Contains(type))
            return new Result.Refused("type");
        if (sizeBytes <= 0) return new Result.Refused("empty");
        var limit = LimitFor(type);
        return sizeBytes > limit ? new Result.Refused("too-large", limit) : null;
    }

    public long LimitFor(string contentType) =>
        contentType.StartsWith("image/", StringComparison.Ordinal) ? options.Value.AttachmentImageMaxBytes : options.Value.AttachmentDocumentMaxBytes;

    /// <summary>Checks, reads (never past the limit) and stores the file; the same bytes already in the workspace are reused.</summary>
    public async Task<Result> HandleAsync(string fileName, long sizeBytes, Stream content, CancellationToken ct)
    {
        if (Check(fileName, sizeBytes) is { } refused)
        {
            LogRefused(((Result.Refused)refused).Reason, sizeBytes);
            return refused;
        }
        var type = Extensions[Path.GetExtension(fileName)];
        var limit = LimitFor(type);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return new Result.Refused("too-large", limit);
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        if (bytes.Length == 0) return new Result.Refused("empty");
        // An image must be what its name says: WhatsApp refuses a renamed file at send time, far from the agent who chose it.
        if (type.StartsWith("image/", StringComparison.Ordinal) && !LooksLike(type, bytes))
        {
            LogRefused("type", bytes.Length);
            return new Result.Refused("type");
        }

        var name = Path.GetFileName(fileName);
        if (name.Length > 255) name = name[^255..];
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var db = await factory.CreateDbContextAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await db.MediaFiles.AsNoTracking().Where(f => f.Sha256 == sha)
                .Select(f => new { f.Id, f.ContentType }).SingleOrDefaultAsync(ct);
            if (existing is not null)
                return new Result.Stored(new Attachment(existing.Id, name, existing.ContentType, bytes.Length, KindOf(existing.ContentType)));
            var row = new MediaFile
            {
                Sha256 = sha, ContentType = type, SizeBytes = bytes.Length, Content = bytes, FileName = name, CreatedUtc = clock.GetUtcNow().UtcDateTime,
            };
            db.MediaFiles.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                LogStored(row.Id, type, bytes.Length);
                return new Result.Stored(new Attachment(row.Id, name, type, bytes.Length, KindOf(type)));
            }
            catch (DbUpdateException ex) when (attempt < 3 && UniqueViolation.Is(ex))
            {
                db.Entry(row).State = EntityState.Detached; // the same bytes were stored a moment ago: use that row
            }
        }
    }

    /// <summary>An attachment kept before a page reload, if it is still in this workspace.</summary>
    public async Task<Attachment?> FindAsync(Guid fileId, string? fileName, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var file = await db.MediaFiles.AsNoTracking().Where(f => f.Id == fileId)
            .Select(f => new { f.Id, f.ContentType, f.SizeBytes, f.FileName }).SingleOrDefaultAsync(ct);
        return file is null || !options.Value.AttachmentContentTypes.Contains(file.ContentType) ? null
            : new Attachment(file.Id, fileName ?? file.FileName ?? "file", file.ContentType, file.SizeBytes, KindOf(file.ContentType));
    }

    public static string KindOf(string contentType) => contentType.StartsWith("image/", StringComparison.Ordinal) ? "image" : "document";

    private static bool LooksLike(string type, byte[] b) => type switch
    {
        "image/jpeg" => b is [0xFF, 0xD8, 0xFF, ..],
        "image/png" => b is [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..],
        "image/webp" => b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8.ToArray()) && b[8..12].SequenceEqual("WEBP"u8.ToArray()),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply attachment refused: {Reason} ({Bytes} bytes)")]
    private partial void LogRefused(string reason, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply attachment stored as media file {FileId} ({ContentType}, {Bytes} bytes)")]
    private partial void LogStored(Guid fileId, string contentType, long bytes);
}
