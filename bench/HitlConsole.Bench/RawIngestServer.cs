using System.Net;
using System.Text;
using HitlConsole.Features.Channels.WhatsApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HitlConsole.Bench;

/// <summary>
/// The ingest baseline: the least a webhook endpoint can do and still be correct — a minimal Kestrel endpoint that
/// reads the body, checks Meta's HMAC signature and inserts one row (idempotent on the message id) into a SQLite file
/// in WAL mode with raw ADO.NET. No JSON parsing, no tenancy, no pipeline.
/// </summary>
public sealed class RawIngestServer : IAsyncDisposable
{
    public const string Path = "/raw";
    private readonly WebApplication _app;

    private RawIngestServer(WebApplication app, Uri address, string database) => (_app, Address, Database) = (app, address, database);

    public Uri Address { get; }
    public string Database { get; }

    public static async Task<RawIngestServer> StartAsync(string folder)
    {
        var database = System.IO.Path.Combine(folder, "raw.db");
        var connectionString = $"Data Source={database};Pooling=True";
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var command = setup.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE Inbound (ExternalId TEXT PRIMARY KEY, Body BLOB NOT NULL, ReceivedUtc TEXT NOT NULL);";
            await command.ExecuteNonQueryAsync();
        }
        var secret = Encoding.UTF8.GetBytes(Webhooks.AppSecret);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost(Path, async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            if (!WhatsAppSignature.IsValid(request.Headers[WhatsAppSignature.Header].ToString(), body, secret)) return Results.Unauthorized();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "PRAGMA busy_timeout=5000; INSERT OR IGNORE INTO Inbound (ExternalId, Body, ReceivedUtc) VALUES ($id, $body, $at)";
            insert.Parameters.AddWithValue("$id", request.Headers["X-Bench-Id"].ToString());
            insert.Parameters.AddWithValue("$body", body);
            insert.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O"));
            await insert.ExecuteNonQueryAsync();
            return Results.Ok();
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new RawIngestServer(app, address, database);
    }

    public async Task<long> CountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Inbound";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
