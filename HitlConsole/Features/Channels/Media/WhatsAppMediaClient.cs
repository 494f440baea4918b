using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace HitlConsole.Features.Channels.Media;

/// <summary>What one media download came to.</summary>
public abstract record MediaFetch
{
    public sealed record Downloaded(byte[] Content, string ContentType, string Sha256) : MediaFetch;
    public sealed record TooLarge(long Bytes) : MediaFetch;
    public sealed record TypeRefused(string ContentType) : MediaFetch;
    /// <summary><paramref name="Transient"/>: a later try can succeed (Meta or the network failed, the checksum did not match).</summary>
    public sealed record Failed(string Code, bool Transient) : MediaFetch;
}

/// <summary>
/// Inbound media through the Graph media endpoints: GET /{version}/{media-id} tells the short-lived URL, type, size and
/// checksum; GET on that URL with the same token gives the bytes. The size limit and the type allow-list are checked before
/// the download and again while reading (a stream that runs past the limit is dropped), and the bytes are checked against
/// Meta's SHA-256. Retries on 429, 5xx and timeouts come from the resilience handler of this client.
/// </summary>
public sealed class WhatsAppMediaClient(HttpClient http)
{
    public async Task<MediaFetch> DownloadAsync(string baseUrl, string version, string accessToken, string mediaId, long maxBytes,
        IReadOnlyCollection<string> allowedTypes, CancellationToken ct)
    {
        try
        {
            using var infoRequest = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl.TrimEnd('/')}/{version}/{Uri.EscapeDataString(mediaId)}");
            infoRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var info = await http.SendAsync(infoRequest, ct);
            if (!info.IsSuccessStatusCode) return Failed(info);
            using var json = await JsonDocument.ParseAsync(await info.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = json.RootElement;
            var url = root.TryGetProperty("url", out var u) ? u.GetString() : null;
            var type = (root.TryGetProperty("mime_type", out var m) ? m.GetString() : null)?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
            var sha = root.TryGetProperty("sha256", out var s) ? s.GetString()?.ToLowerInvariant() : null;
            long? size = root.TryGetProperty("file_size", out var f) && f.TryGetInt64(out var n) ? n : null;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return new MediaFetch.Failed("no-url", false);
            if (!allowedTypes.Contains(type)) return new MediaFetch.TypeRefused(type);
            if (size > maxBytes) return new MediaFetch.TooLarge(size.Value);

            using var fileRequest = new HttpRequestMessage(HttpMethod.Get, uri);
            fileRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var file = await http.SendAsync(fileRequest, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!file.IsSuccessStatusCode) return Failed(file);
            if (file.Content.Headers.ContentLength > maxBytes) return new MediaFetch.TooLarge(file.Content.Headers.ContentLength.Value);
            await using var stream = await file.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes) return new MediaFetch.TooLarge(buffer.Length + read);
                buffer.Write(chunk, 0, read);
            }
            var content = buffer.ToArray();
            var actual = Convert.ToHexStringLower(SHA256.HashData(content));
            if (sha is { Length: > 0 } && sha != actual) return new MediaFetch.Failed("checksum", true);
            return new MediaFetch.Downloaded(content, type, actual);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or JsonException
                                   && !ct.IsCancellationRequested)
        {
            return new MediaFetch.Failed(ex is JsonException ? "not-json" : "network", ex is not JsonException);
        }
    }

    private static MediaFetch.Failed Failed(HttpResponseMessage response) =>
        new(((int)response.StatusCode).ToString(), (int)response.StatusCode is 429 or >= 500 or 408);
}
