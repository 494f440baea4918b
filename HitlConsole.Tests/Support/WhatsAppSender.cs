using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HitlConsole.Features.Channels.WhatsApp;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Support;

/// <summary>Builds and posts WhatsApp Cloud API notifications the way Meta does.</summary>
public static class WhatsAppSender
{
    public static object TextMessage(string wamid, string text, string from = "34600111222", long? timestamp = null) => new
    {
        from, id = wamid, timestamp = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(), type = "text", text = new { body = text },
    };

    public static string Notification(IEnumerable<object>? messages = null, IEnumerable<object>? statuses = null,
        string phoneNumberId = HitlAppFactory.PhoneNumberId, string name = "Carla Cliente", string waId = "34600111222") =>
        JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "WABA",
                    changes = new[]
                    {
                        new
                        {
                            field = "messages",
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "15550001111", phone_number_id = phoneNumberId },
                                contacts = new[] { new { profile = new { name }, wa_id = waId } },
                                messages = (messages ?? []).ToArray(),
                                statuses = (statuses ?? []).ToArray(),
                            },
                        },
                    },
                },
            },
        });

    /// <summary>
    /// Posts a signed notification. The webhook answers once the delivery is appended and reads it behind the answer; when the
    /// client belongs to a <see cref="HitlAppFactory"/>, this returns after that read too, so a test can look at the
    /// conversation at once. Posts to an app in another process (or <see cref="PostSignedUnreadAsync"/>) return at the answer.
    /// </summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(this HttpClient client, string json, string secret = HitlAppFactory.AppSecret,
        string contentType = "application/json")
    {
        var response = await client.PostSignedUnreadAsync(json, secret, contentType);
        if (response.IsSuccessStatusCode) await client.WaitUntilReadAsync();
        return response;
    }

    /// <summary>Waits until the app behind <paramref name="client"/> has read every delivery it acknowledged (nothing for an app in another process).</summary>
    public static async Task WaitUntilReadAsync(this HttpClient client)
    {
        if (HitlAppFactory.Of(client) is not { } app) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.Services.GetRequiredService<WebhookLog>().WhenReadAsync(timeout.Token);
    }

    /// <summary>Posts a signed notification and returns at the webhook's answer, before the delivery is read.</summary>
    public static Task<HttpResponseMessage> PostSignedUnreadAsync(this HttpClient client, string json, string secret = HitlAppFactory.AppSecret,
        string contentType = "application/json")
    {
        var body = Encoding.UTF8.GetBytes(json);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, WhatsAppWebhook.Path) { Content = content };
        request.Headers.Add(WhatsAppSignature.Header, WhatsAppSignature.Sign(body, secret));
        return client.SendAsync(request);
    }
}
