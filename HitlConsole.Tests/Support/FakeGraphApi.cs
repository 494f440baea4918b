using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HitlConsole.Tests.Support;

/// <summary>
/// A stand-in for Meta's Graph API on loopback: checks the shape of message sends, records them,
/// and answers what the test scripted (200 with a wamid by default).
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    public sealed record Received(string Path, string? Authorization, JsonElement Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();
    private int _count;

    public ConcurrentQueue<Received> Requests { get; } = new();
    public string BaseUrl { get; private set; } = "";

    private FakeGraphApi()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpContext http, string version, string phoneNumberId) =>
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body);
            var body = doc.RootElement.Clone();
            Requests.Enqueue(new Received(http.Request.Path, http.Request.Headers.Authorization.ToString(), body));
            var n = Interlocked.Increment(ref _count);
            if (_script.TryDequeue(out var scripted))
                return Results.Text(scripted.Body, "application/json", statusCode: scripted.Status);
            var wellFormed = body.TryGetProperty("messaging_product", out var mp) && mp.GetString() == "whatsapp"
                && body.TryGetProperty("to", out _) && body.TryGetProperty("text", out var text) && text.TryGetProperty("body", out _);
            return wellFormed
                ? Results.Json(new { messaging_product = "whatsapp", contacts = new[] { new { input = "x", wa_id = "x" } }, messages = new[] { new { id = $"wamid.OUT{n}" } } })
                : Results.Json(new { error = new { message = "(#100) Invalid parameter", type = "OAuthException", code = 100 } }, statusCode: 400);
        });
    }

    public static async Task<FakeGraphApi> StartAsync()
    {
        var fake = new FakeGraphApi();
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    public void Then(int status, string body = "{}") => _script.Enqueue((status, body));

    public void ThenMetaError(int status, int code, string message) =>
        Then(status, JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, fbtrace_id = "A1" } }));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
