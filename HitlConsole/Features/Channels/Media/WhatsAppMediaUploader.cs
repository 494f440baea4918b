using System.Net.Http.Headers;
using System.Text.Json;
using HitlConsole.Features.Channels.WhatsApp;

namespace HitlConsole.Features.Channels.Media;

/// <summary>What one upload of a reply's attachment to Meta came to: the media id to send, or Meta's refusal.</summary>
public abstract record UploadResult
{
    public sealed record Uploaded(string MediaId) : UploadResult;
    public sealed record Failed(SendResult.Failed Error) : UploadResult;
}

/// <summary>
/// A reply's attachment to WhatsApp: POST {base}/{version}/{phone-number-id}/media, multipart with <c>messaging_product=whatsapp</c>,
/// the file's type and the file. One call, one answer: like sends, retries are the send job's, decided by Meta's error code, so
/// each try is recorded. Its own client, because a 100 MB document needs a longer timeout than a text send
/// (<see cref="WhatsAppOptions.UploadTimeout"/>).
/// </summary>
public sealed class WhatsAppMediaUploader(HttpClient http)
{
    public async Task<UploadResult> UploadAsync(string baseUrl, string version, string phoneNumberId, string accessToken,
        byte[] content, string contentType, string fileName, CancellationToken ct)
    {
        var url = $"{baseUrl.TrimEnd('/')}/{version}/{Uri.EscapeDataString(phoneNumberId)}/media";
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("whatsapp"), "messaging_product" },
            { new StringContent(contentType), "type" },
            { file, "file", fileName },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            return new UploadResult.Failed(new SendResult.Failed("network", "WhatsApp could not be reached.", Transient: true));
        }
        using (response)
        {
            JsonDocument? json;
            try { json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct); }
            catch (JsonException) { json = null; }
            using (json)
            {
                if (response.IsSuccessStatusCode && json?.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 and <= 200 } mediaId)
                    return new UploadResult.Uploaded(mediaId);
                return new UploadResult.Failed(WhatsAppGraphClient.Failure(response, json));
            }
        }
    }
}
