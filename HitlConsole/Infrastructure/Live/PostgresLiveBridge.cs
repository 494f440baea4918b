using System.Text.Json;
using System.Threading.Channels;
using HitlConsole.Infrastructure.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HitlConsole.Infrastructure.Live;

/// <summary>
/// Carries live events between app instances that share one PostgreSQL database: every event published on this
/// instance is sent with <c>pg_notify</c>, and a dedicated connection <c>LISTEN</c>s for the other instances' events and
/// delivers them to this instance's consoles. Idle on SQLite (one instance per database file).
/// </summary>
/// <remarks>
/// NOTIFY is fire-and-forget and carries ids and typed payloads (<see cref="LiveEventJson"/>; no message text), well under PostgreSQL's 8,000-byte payload limit.
/// A console that misses an event while the listening connection reconnects catches up on its next event, because
/// consoles reload from the database on every event instead of applying deltas.
/// </remarks>
public sealed partial class PostgresLiveBridge : BackgroundService
{
    public const string ChannelName = "hitl_live";

    private readonly LiveFeed _feed;
    private readonly PresenceTracker _presence;
    private readonly DatabaseOptions _database;
    private readonly ILogger<PostgresLiveBridge> _logger;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Channel<LiveEvent> _outgoing = Channel.CreateBounded<LiveEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public PostgresLiveBridge(LiveFeed feed, PresenceTracker presence, IOptions<DatabaseOptions> database, ILogger<PostgresLiveBridge> logger)
    {
        _feed = feed;
        _presence = presence;
        _database = database.Value;
        _logger = logger;
        if (Active) feed.Bridge = this;
    }

    private bool Active => DatabaseOptions.IsKnownProvider(_database.Provider) && _database.ProviderKind == DatabaseProvider.Postgres
                           && !string.IsNullOrEmpty(_database.ConnectionString);

    /// <summary>True once this instance listens: events from other instances reach its consoles.</summary>
    public bool Listening { get; private set; }

    internal void Forward(LiveEvent e) => _outgoing.Writer.TryWrite(e);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Active) return;
        var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString)
        {
            // Notices a silently dead listening connection (a failover, a dropped NAT entry) within a minute.
            KeepAlive = 30, ApplicationName = "hitlconsole-live", Pooling = true, Enlist = false,
        };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        await Task.WhenAll(ListenAsync(source, stoppingToken), SendAsync(source, stoppingToken), AnnounceAsync(stoppingToken));
    }

    /// <summary>Presence is state, not an event: re-announce it so other instances keep it and new ones learn it.</summary>
    private async Task AnnounceAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(PresenceTracker.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                foreach (var e in _presence.Announcements()) Forward(e);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task ListenAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(ct);
                connection.Notification += (_, n) => Receive(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                Listening = true;
                delay = TimeSpan.FromMilliseconds(500);
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Listening = false;
                LogListenFailed(ex, delay.TotalSeconds);
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }

    private async Task SendAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(ct))
            {
                // Everything queued goes in one round trip.
                var batch = new List<string>();
                while (batch.Count < 100 && _outgoing.Reader.TryRead(out var e))
                    batch.Add(JsonSerializer.Serialize(new Envelope(_instance, e), LiveEventJson.Options));
                try
                {
                    await using var command = source.CreateCommand("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload");
                    command.Parameters.AddWithValue("channel", ChannelName);
                    command.Parameters.AddWithValue("payloads", batch.ToArray());
                    await command.ExecuteNonQueryAsync(ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Other instances miss these events; their consoles catch up on the next one.
                    LogSendFailed(ex, batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private void Receive(string payload)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(payload, LiveEventJson.Options);
            if (envelope is null || envelope.Origin == _instance) return;
            if (envelope.Event.Kind == LiveEventKind.PresenceChanged) _presence.ApplyRemote(envelope.Event);
            _feed.Deliver(envelope.Event);
        }
        catch (JsonException ex)
        {
            LogUnreadable(ex);
        }
    }

    private sealed record Envelope(string Origin, LiveEvent Event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live events from other instances are not arriving; listening again in {Seconds} s")]
    private partial void LogListenFailed(Exception ex, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} live events could not be sent to other instances")]
    private partial void LogSendFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable live event from another instance")]
    private partial void LogUnreadable(Exception ex);
}
