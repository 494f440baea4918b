using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HitlConsole.Tests.Support;

/// <summary>
/// A stand-in for Meta's Graph API on loopback: checks the shape of message sends, records them,
/// and answers what the test scripted (200 with a wamid by default). Built on HttpListener rather
/// than a second ASP.NET host, because WebApplicationFactory captures whichever host is built next
/// in the process and tests run in parallel.
/// </summary>
public sealed partial class FakeGraphApi : IAsyncDisposable
{
    public sealed record Received(string Path, string? Authorization, JsonElement Body);

    /// <summary>A template of the fake business account; <paramref name="Body"/> holds Meta's {{1}} or {{name}} slots.</summary>
    public sealed record FakeTemplate(string Name, string Language, string Body, string Status = "APPROVED", string Category = "UTILITY",
        string? Header = null);

    /// <summary>The business account's templates, served by GET /{version}/{waba-id}/message_templates in pages.</summary>
    public List<FakeTemplate> Templates { get; } = [];
    public int TemplatePageSize { get; set; } = 2;
    /// <summary>A media file of the fake account. <paramref name="AnnouncedSize"/> is what the info call claims (null: the real size);
    /// <paramref name="SlowFirst"/>: the first download of it stalls this long; <paramref name="Sha256"/>: a checksum to announce instead.</summary>
    public sealed record FakeMedia(byte[] Content, string MimeType, long? AnnouncedSize = null, TimeSpan? SlowFirst = null, string? Sha256 = null);

    /// <summary>Media ids the fake serves: GET /{version}/{media-id} for the info, GET /download/{media-id} for the bytes.</summary>
    public ConcurrentDictionary<string, FakeMedia> Media { get; } = new();
    private readonly ConcurrentDictionary<string, int> _downloads = new();

    /// <summary>Every GET (path and query) with its Authorization header.</summary>
    public ConcurrentQueue<(string PathAndQuery, string? Authorization)> Gets { get; } = new();

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();
    private readonly Task _loop;
    private int _count;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>One media upload (POST /{version}/{phone-number-id}/media, multipart) as the fake read it.</summary>
    public sealed record Upload(string Path, string? Authorization, string? MessagingProduct, string? Type, string? FileName, string? FileContentType,
        byte[] Content);

    /// <summary>Every media upload, answered or not.</summary>
    public ConcurrentQueue<Upload> Uploads { get; } = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _uploadScript = new();
    private int _uploadCount;

    /// <summary>Scripts the next answer to a media upload (the default is 200 with a new media id).</summary>
    public void ThenUpload(int status, string body = "{}") => _uploadScript.Enqueue((status, body));

    public void ThenUploadMetaError(int status, int code, string message) =>
        ThenUpload(status, JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, fbtrace_id = "A2" } }));
    public string BaseUrl { get; }

    private FakeGraphApi()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public static Task<FakeGraphApi> StartAsync() => Task.FromResult(new FakeGraphApi());

    public void Then(int status, string body = "{}") => _script.Enqueue((status, body));

    public void ThenMetaError(int status, int code, string message) =>
        Then(status, JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, fbtrace_id = "A1" } }));

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            // Each request on its own task: a stalled download must not hold up the retry that follows it.
            _ = Task.Run(() => AnswerOneAsync(context));
        }
    }

    private async Task AnswerOneAsync(HttpListenerContext context)
    {
        try { await AnswerAsync(context); }
        catch (Exception) { try { context.Response.StatusCode = 500; } catch (Exception) { /* the client went away */ } }
        finally { try { context.Response.Close(); } catch (Exception) { /* the listener was stopped */ } }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (context.Request.HttpMethod == "GET" && TemplatesPath().IsMatch(path))
        {
            Gets.Enqueue((context.Request.Url.PathAndQuery, context.Request.Headers["Authorization"]));
            await WriteAsync(context, _script.TryDequeue(out var scriptedGet) ? scriptedGet : TemplatePage(context.Request.Url));
            return;
        }
        if (context.Request.HttpMethod == "GET" && (MediaInfoPath().Match(path) is { Success: true } info && Media.TryGetValue(info.Groups[1].Value, out var media)))
        {
            Gets.Enqueue((context.Request.Url.PathAndQuery, context.Request.Headers["Authorization"]));
            await WriteAsync(context, _script.TryDequeue(out var scriptedInfo) ? scriptedInfo : (200, JsonSerializer.Serialize(new
            {
                messaging_product = "whatsapp", url = $"{BaseUrl}/download/{info.Groups[1].Value}", mime_type = media.MimeType,
                sha256 = media.Sha256 ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(media.Content)),
                file_size = media.AnnouncedSize ?? media.Content.LongLength, id = info.Groups[1].Value,
            })));
            return;
        }
        if (context.Request.HttpMethod == "GET" && path.StartsWith("/download/") && Media.TryGetValue(path["/download/".Length..], out var file))
        {
            Gets.Enqueue((context.Request.Url.PathAndQuery, context.Request.Headers["Authorization"]));
            if (context.Request.Headers["Authorization"] is null) { context.Response.StatusCode = 401; return; }
            if (_downloads.AddOrUpdate(path, 1, (_, n) => n + 1) == 1 && file.SlowFirst is { } stall) await Task.Delay(stall);
            context.Response.StatusCode = 200;
            context.Response.ContentType = file.MimeType;
            await context.Response.OutputStream.WriteAsync(file.Content);
            return;
        }
        if (context.Request.HttpMethod == "POST" && UploadPath().IsMatch(path))
        {
            await AnswerUploadAsync(context, path);
            return;
        }
        if (context.Request.HttpMethod != "POST" || !MessagesPath().IsMatch(path))
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var doc = await JsonDocument.ParseAsync(context.Request.InputStream);
        var body = doc.RootElement.Clone();
        Requests.Enqueue(new Received(path, context.Request.Headers["Authorization"], body));
        var n = Interlocked.Increment(ref _count);

        (int Status, string Body) answer;
        if (_script.TryDequeue(out var scripted)) answer = scripted;
        else
        {
            var wellFormed = body.TryGetProperty("messaging_product", out var mp) && mp.GetString() == "whatsapp"
                && body.TryGetProperty("to", out _) && (body.TryGetProperty("text", out var text) && text.TryGetProperty("body", out _)
                    || body.TryGetProperty("template", out _)
                    || MediaReference(body, "image") || MediaReference(body, "document"));
            answer = TemplateRefusal(body) is { } refusal ? refusal
                : wellFormed
                ? (200, JsonSerializer.Serialize(new { messaging_product = "whatsapp", contacts = new[] { new { input = "x", wa_id = "x" } }, messages = new[] { new { id = $"wamid.OUT{n}" } } }))
                : (400, JsonSerializer.Serialize(new { error = new { message = "(#100) Invalid parameter", type = "OAuthException", code = 100 } }));
        }
        await WriteAsync(context, answer);
    }

    /// <summary>An image or document message must name an uploaded media id (and match its "type").</summary>
    private bool MediaReference(JsonElement body, string type) =>
        body.TryGetProperty("type", out var t) && t.GetString() == type && body.TryGetProperty(type, out var media)
        && media.TryGetProperty("id", out var id) && Uploads.Count > 0 && id.GetString() is { Length: > 0 } mediaId && mediaId.StartsWith("media.UP");

    /// <summary>Reads the multipart form as Meta would: messaging_product=whatsapp, the file's type, and the file itself.</summary>
    private async Task AnswerUploadAsync(HttpListenerContext context, string path)
    {
        string? product = null, type = null, fileName = null, fileType = null;
        byte[] content = [];
        var boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(
            Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "").Boundary).Value;
        if (!string.IsNullOrEmpty(boundary))
        {
            var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, context.Request.InputStream);
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                var disposition = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.Parse(section.ContentDisposition);
                var name = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer);
                switch (name)
                {
                    case "messaging_product": product = Encoding.UTF8.GetString(buffer.ToArray()); break;
                    case "type": type = Encoding.UTF8.GetString(buffer.ToArray()); break;
                    case "file":
                        fileName = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                        fileType = section.ContentType;
                        content = buffer.ToArray();
                        break;
                }
            }
        }
        Uploads.Enqueue(new Upload(path, context.Request.Headers["Authorization"], product, type, fileName, fileType, content));
        var n = Interlocked.Increment(ref _uploadCount);
        var answer = _uploadScript.TryDequeue(out var scripted) ? scripted
            : product == "whatsapp" && content.Length > 0 && type is { Length: > 0 }
                ? (200, JsonSerializer.Serialize(new { id = $"media.UP{n}" }))
                : (400, JsonSerializer.Serialize(new { error = new { message = "(#100) Invalid parameter", type = "OAuthException", code = 100 } }));
        await WriteAsync(context, answer);
    }

    private static async Task WriteAsync(HttpListenerContext context, (int Status, string Body) answer)
    {
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    /// <summary>One page of <see cref="Templates"/>; the cursor is the index of the next template, and the last page has no next link.</summary>
    private (int, string) TemplatePage(Uri url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var start = int.TryParse(query["after"], out var a) ? a : 0;
        var page = Templates.Skip(start).Take(TemplatePageSize).Select((t, i) => new
        {
            id = $"tpl{start + i}", name = t.Name, language = t.Language, status = t.Status, category = t.Category,
            components = (t.Header is null ? Array.Empty<object>() : [new { type = "HEADER", format = "TEXT", text = t.Header }])
                .Append(new { type = "BODY", text = t.Body }).Append(new { type = "FOOTER", text = "Reply STOP to opt out" }).ToArray(),
        }).ToArray();
        var after = start + page.Length;
        var more = after < Templates.Count;
        var next = $"{BaseUrl}{url.AbsolutePath}?fields=id,name&limit={TemplatePageSize}&after={after}";
        return (200, JsonSerializer.Serialize(new
        {
            data = page,
            paging = more
                ? (object)new { cursors = new { before = start.ToString(), after = after.ToString() }, next }
                : new { cursors = new { before = start.ToString(), after = after.ToString() } },
        }));
    }

    /// <summary>What Meta answers a template send it cannot accept: unknown (132001), paused (132015), wrong parameter count (132000).</summary>
    private (int, string)? TemplateRefusal(JsonElement body)
    {
        if (!body.TryGetProperty("template", out var t)) return null;
        var name = t.GetProperty("name").GetString();
        var language = t.GetProperty("language").GetProperty("code").GetString();
        var known = Templates.FirstOrDefault(x => x.Name == name && x.Language == language);
        static (int, string) Error(int code, string message) =>
            (400, JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, fbtrace_id = "A1" } }));
        if (known is null) return Error(132001, "Template name does not exist in the translation");
        if (known.Status == "PAUSED") return Error(132015, "Template is paused");
        var expected = SlotPattern().Matches(known.Header ?? "").Count + SlotPattern().Matches(known.Body).Count;
        var given = t.TryGetProperty("components", out var cs) ? cs.EnumerateArray().Sum(c => c.GetProperty("parameters").GetArrayLength()) : 0;
        return expected == given ? null : Error(132000, "Number of parameters does not match the expected number of params");
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    [GeneratedRegex(@"^/v[0-9.]+/[^/]+/messages$")]
    private static partial Regex MessagesPath();

    [GeneratedRegex(@"^/v[0-9.]+/[^/]+/media$")]
    private static partial Regex UploadPath();

    [GeneratedRegex(@"^/v[0-9.]+/([^/]+)$")]
    private static partial Regex MediaInfoPath();

    [GeneratedRegex(@"^/v[0-9.]+/[^/]+/message_templates$")]
    private static partial Regex TemplatesPath();

    [GeneratedRegex(@"\{\{\s*[A-Za-z0-9_]+\s*\}\}")]
    private static partial Regex SlotPattern();
}
