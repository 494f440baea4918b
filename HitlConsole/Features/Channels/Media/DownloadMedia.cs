using Hangfire;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Channels.Media;

/// <summary>
/// Downloads one inbound message's media and keeps it in the workspace's database. Idempotent: a message already holding its
/// file, or refused for size or type, is left alone; the same bytes are stored once per workspace (unique checksum), so a
/// job that runs twice, or a customer who sends the same photo twice, adds no second copy.
/// </summary>
public sealed partial class DownloadMedia(
    IDbContextFactory<HitlDbContext> factory, WhatsAppMediaClient media, ChannelSecrets secrets, IOptions<WhatsAppOptions> options, LiveFeed feed,
    TimeProvider clock, ILogger<DownloadMedia> logger)
{
    public async Task<MediaState?> HandleAsync(Guid messageId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var message = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId, ct);
        if (message?.MediaId is null || message.MediaState is MediaState.Stored or MediaState.TooLarge or MediaState.TypeRefused)
            return message?.MediaState;
        var channel = await db.Channels.AsNoTracking().SingleAsync(c => c.Id == message.ChannelId, ct);
        var token = secrets.Unprotect(channel.AccessTokenProtected);
        var o = options.Value;
        var fetch = token is null ? new MediaFetch.Failed("no-token", false)
            : await media.DownloadAsync(channel.GraphBaseUrl!, channel.GraphVersion ?? "v21.0", token, message.MediaId, o.MediaMaxBytes, o.MediaContentTypes, ct);

        MediaState state;
        Guid? fileId = null;
        switch (fetch)
        {
            case MediaFetch.Downloaded file:
                fileId = await StoreOnceAsync(db, file, message.Type == "document" ? message.Caption : null, ct);
                state = MediaState.Stored;
                break;
            case MediaFetch.TooLarge large:
                LogRefused(message.Id, "too-large", large.Bytes);
                state = MediaState.TooLarge;
                break;
            case MediaFetch.TypeRefused:
                LogRefused(message.Id, "type", 0);
                state = MediaState.TypeRefused;
                break;
            default:
                state = MediaState.Failed;
                break;
        }
        await db.Messages.Where(m => m.Id == messageId && m.MediaFileId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.MediaState, state).SetProperty(m => m.MediaFileId, fileId), ct);
        feed.Publish(new LiveEvent(message.TenantId, LiveEventKind.MessageReceived, message.ConversationId, message.Id));
        // A transient failure is the job's to retry (Hangfire, with its backoff); the message shows "failed" until one succeeds.
        if (fetch is MediaFetch.Failed { Transient: true } failed) throw new MediaDownloadException(message.Id, failed.Code);
        return state;
    }

    private async Task<Guid> StoreOnceAsync(HitlDbContext db, MediaFetch.Downloaded file, string? fileName, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await db.MediaFiles.Where(f => f.Sha256 == file.Sha256).Select(f => (Guid?)f.Id).SingleOrDefaultAsync(ct);
            if (existing is { } id) return id;
            var row = new MediaFile
            {
                Sha256 = file.Sha256, ContentType = file.ContentType, SizeBytes = file.Content.LongLength, Content = file.Content,
                FileName = fileName is { Length: > 255 } ? fileName[..255] : fileName, CreatedUtc = clock.GetUtcNow().UtcDateTime,
            };
            db.MediaFiles.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                return row.Id;
            }
            catch (DbUpdateException ex) when (attempt < 3 && UniqueViolation.Is(ex))
            {
                db.Entry(row).State = EntityState.Detached; // a concurrent job stored the same bytes first: use its row
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media of message {MessageId} not kept: {Reason} ({Bytes} bytes)")]
    private partial void LogRefused(Guid messageId, string reason, long bytes);
}

public sealed class MediaDownloadException(Guid messageId, string code)
    : Exception($"The media of message {messageId} could not be downloaded yet ({code}); the job will try again.");

/// <summary>Thin Hangfire entry: one message's media, in its workspace's scope.</summary>
public sealed class DownloadMediaJob(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(Guid tenantId, Guid messageId, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        await scope.ServiceProvider.GetRequiredService<DownloadMedia>().HandleAsync(messageId, ct);
    }
}

/// <summary>Hands every media message of a delivery to a download job (a repeated delivery hands it again; the job is idempotent).</summary>
public sealed class MediaDownloads(IServiceScopeFactory scopes, IBackgroundJobClient jobs)
{
    public async Task EnqueueAsync(Guid tenantId, Guid channelId, IReadOnlyList<string> externalIds, CancellationToken ct)
    {
        if (externalIds.Count == 0) return;
        await using var scope = scopes.CreateTenantScope(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
        var ids = await db.Messages.AsNoTracking()
            .Where(m => m.ChannelId == channelId && externalIds.Contains(m.ExternalId!) && m.MediaId != null
                        && (m.MediaState == MediaState.Pending || m.MediaState == MediaState.Failed))
            .Select(m => m.Id).ToListAsync(ct);
        foreach (var id in ids) jobs.Enqueue<DownloadMediaJob>(j => j.RunAsync(tenantId, id, CancellationToken.None));
    }
}

/// <summary>
/// Recurring safety net: media still pending a while after arrival (the app stopped between storing the message and handing it
/// to a job) or failed after the job's retries are handed to a download job again, for a day at most.
/// </summary>
public sealed class SweepMediaJob(IDbContextFactory<HitlDbContext> factory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringId = "whatsapp-media-sweep";
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime settled = now - Grace, oldest = now - GiveUpAfter;
        await using var db = await factory.CreateDbContextAsync(ct);
        var waiting = await db.Messages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.MediaId != null && (m.MediaState == MediaState.Pending || m.MediaState == MediaState.Failed)
                        && m.CreatedUtc < settled && m.CreatedUtc > oldest)
            .OrderBy(m => m.CreatedUtc).Select(m => new { m.TenantId, m.Id }).Take(500).ToListAsync(ct);
        foreach (var m in waiting) jobs.Enqueue<DownloadMediaJob>(j => j.RunAsync(m.TenantId, m.Id, CancellationToken.None));
        return waiting.Count;
    }
}
