using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace HitlConsole.Features.Channels.WhatsApp;

public abstract record SendResult
{
    public sealed record Sent(string Wamid) : SendResult;
    /// <summary>Meta's error code and title; <paramref name="Transient"/> when trying again later can succeed (<see cref="MetaErrors"/>),
    /// <paramref name="RetryAfter"/> when Meta said how long to wait.</summary>
    public sealed record Failed(string Code, string Title, bool Transient, TimeSpan? RetryAfter = null) : SendResult;
}

/// <summary>
/// WhatsApp Cloud API sends: POST {base}/{version}/{phone-number-id}/messages. One call, one answer: retries are the send
/// job's (scheduled with backoff, each attempt recorded for the agent), decided by Meta's error code (<see cref="MetaErrors"/>).
/// </summary>
public sealed partial class WhatsAppGraphClient(HttpClient http)
{
    public Task<SendResult> SendTextAsync(string baseUrl, string version, string phoneNumberId, string accessToken,
        string to, string body, string callbackData, CancellationToken ct) =>
        PostMessageAsync(baseUrl, version, phoneNumberId, accessToken, new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to,
            type = "text",
            text = new { preview_url = false, body },
            biz_opaque_callback_data = callbackData,
        }, ct);

    /// <summary>
    /// An image or a document already uploaded to Meta (its media id), with the reply's text as caption when there is one
    /// (at most 1024 characters: a longer reply goes as its own text message first) and, for a document, its file name.
    /// </summary>
    public Task<SendResult> SendMediaAsync(string baseUrl, string version, string phoneNumberId, string accessToken,
        string to, string type, string mediaId, string? caption, string? fileName, string callbackData, CancellationToken ct)
    {
        var media = new Dictionary<string, string> { ["id"] = mediaId };
        if (!string.IsNullOrWhiteSpace(caption)) media["caption"] = caption;
        if (type == "document" && !string.IsNullOrWhiteSpace(fileName)) media["filename"] = fileName;
        return PostMessageAsync(baseUrl, version, phoneNumberId, accessToken, new Dictionary<string, object>
        {
            ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual", ["to"] = to, ["type"] = type, [type] = media,
            ["biz_opaque_callback_data"] = callbackData,
        }, ct);
    }

    /// <summary>
    /// Marks a customer's message (and Meta marks every earlier one) as read: POST …/messages with status "read".
    /// A failure changes nothing for the conversation, so it is reported, not retried forever.
    /// </summary>
    public async Task<bool> MarkReadAsync(string baseUrl, string version, string phoneNumberId, string accessToken, string wamid, CancellationToken ct)
    {
        var url = $"{baseUrl.TrimEnd('/')}/{version}/{Uri.EscapeDataString(phoneNumberId)}/messages";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { messaging_product = "whatsapp", status = "read", message_id = wamid }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<SendResult> PostMessageAsync(string baseUrl, string version, string phoneNumberId, string accessToken, object payload,
        CancellationToken ct)
    {
        var url = $"{baseUrl.TrimEnd('/')}/{version}/{Uri.EscapeDataString(phoneNumberId)}/messages";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(payload) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            return new SendResult.Failed("network", "WhatsApp could not be reached.", Transient: true);
        }

        using (response)
        {
            using var json = await ReadJsonAsync(response, ct);
            if (response.IsSuccessStatusCode
                && json?.RootElement.TryGetProperty("messages", out var messages) == true
                && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                && messages[0].TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } wamid)
            {
                return new SendResult.Sent(wamid);
            }

            return Failure(response, json);
        }
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try { return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct); }
        catch (JsonException) { return null; }
    }
}
