using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HitlConsole.Tests.Features.Pipeline;

/// <summary>
/// Seeded random mutations of real Meta deliveries (text, image, interactive, status receipts, several messages each), every
/// body signed correctly: the webhook never answers 500, nothing is half-stored, and the valid messages beside a broken one
/// are kept. A failure prints the seed and iteration, so it replays exactly.
/// </summary>
public sealed class WebhookFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 2025;
    private const int Iterations = 300;

    // Markers replaced in the serialized body, where JSON writers would otherwise escape or refuse them.
    private const string LoneSurrogate = "@@LONE@@";
    private const string BadUtf8 = "@@BADUTF8@@";
    private const string RawControl = "@@RAWCTRL@@";

    /// <summary>What a mutation may cost: the victim message (it may be refused), nothing (the victim is kept, repaired or bounded), or the
    /// whole body (it is no longer JSON: a 400, nothing stored).</summary>
    private enum Blast { Victim, VictimRepaired, Body }

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Randomly_mutated_signed_deliveries_never_fail_the_webhook_nor_lose_the_valid_messages_beside_them(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var client = app.CreateBrowserLikeClient();
        var rng = new Random(Seed);
        var statuses = new Dictionary<HttpStatusCode, int>();
        var tried = new Dictionary<string, int>();
        var expectedKept = new List<string>();
        var repairedVictims = new List<string>();
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < Iterations; i++)
        {
            var count = rng.Next(2, 5);
            var messages = Enumerable.Range(0, count).Select(k => Message(rng, $"wamid.fz{i}.{k}", $"49{i:D5}{k}")).ToList();
            var victim = rng.Next(count);
            var root = Delivery(messages, rng.Next(3) == 0 ? [Status(rng, $"wamid.fzs{i}")] : []);
            var (name, blast) = Mutate(rng, root, (JsonObject)messages[victim]);
            tried[name] = tried.GetValueOrDefault(name) + 1;
            var body = Encode(root.ToJsonString(), rng, name);

            var response = await PostSignedAsync(client, body);
            var where = $"seed {Seed}, iteration {i}, mutation {name}, provider {provider}";
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
                $"{where}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (blast != Blast.Body)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{where}: a broken message refused the whole delivery ({(int)response.StatusCode})");
                expectedKept.AddRange(Enumerable.Range(0, count).Where(k => k != victim).Select(k => $"wamid.fz{i}.{k}"));
                if (blast == Blast.VictimRepaired) repairedVictims.Add($"wamid.fz{i}.{victim}");
            }
        }
        var elapsed = watch.Elapsed;

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var stored = await db.Messages.IgnoreQueryFilters().Where(m => m.ExternalId!.StartsWith("wamid.fz"))
            .Select(m => new { m.ExternalId, m.Text, m.SentUtc, m.ConversationId }).ToListAsync();
        var storedIds = stored.Select(m => m.ExternalId!).ToHashSet();
        var lost = expectedKept.Concat(repairedVictims).Where(id => !storedIds.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"valid messages lost: {string.Join(", ", lost.Take(20))}");

        // Nothing half-stored: every stored message has its conversation and contact, and no contact or conversation was left without a message.
        var conversations = await db.Conversations.IgnoreQueryFilters().Select(c => new { c.Id, c.ContactId }).ToListAsync();
        var contacts = await db.Contacts.IgnoreQueryFilters().Where(c => c.Address.StartsWith("49")).Select(c => new { c.Id, c.Address }).ToListAsync();
        var allMessageConversations = (await db.Messages.IgnoreQueryFilters().Select(m => m.ConversationId).Distinct().ToListAsync()).ToHashSet();
        Assert.All(stored, m => Assert.Contains(conversations, c => c.Id == m.ConversationId));
        Assert.All(contacts, k => Assert.Contains(conversations, c => c.ContactId == k.Id && allMessageConversations.Contains(c.Id)));
        // What was kept is sane: bounded ids, repaired text, a send time the 24-hour window can be added to.
        var now = DateTime.UtcNow;
        Assert.All(stored, m => Assert.True(m.ExternalId!.Length <= WhatsAppPayload.MaxIdLength && m.SentUtc <= now.AddMinutes(10)
                                            && m.SentUtc >= now.AddDays(-31) && !HasLoneSurrogate(m.Text),
            $"{m.ExternalId} {m.SentUtc:O}"));
        Assert.All(contacts, k => Assert.True(k.Address.Length <= WhatsAppPayload.MaxFromLength));

        var figures = $"webhook fuzz ({provider}, seed {Seed}): {Iterations} deliveries in {elapsed.TotalSeconds:F1} s; " +
                      $"answers {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}×{s.Value}"))}; " +
                      $"{stored.Count} messages stored, {expectedKept.Count} valid siblings all kept, {repairedVictims.Count} repaired victims kept; " +
                      $"mutations {string.Join(", ", tried.OrderBy(t => t.Key).Select(t => $"{t.Key}×{t.Value}"))}";
        output.WriteLine(figures);
        Assert.True(elapsed < TimeSpan.FromMinutes(2), figures);
    }

    private static bool HasLoneSurrogate(string? s)
    {
        if (s is null) return false;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i]) || s[i] == '\0') return true;
        }
        return false;
    }

    private static JsonNode Message(Random rng, string wamid, string from)
    {
        var timestamp = DateTimeOffset.UtcNow.AddSeconds(-rng.Next(0, 3600)).ToUnixTimeSeconds().ToString();
        return rng.Next(3) switch
        {
            0 => new JsonObject
            {
                ["from"] = from, ["id"] = wamid, ["timestamp"] = timestamp, ["type"] = "text",
                ["text"] = new JsonObject { ["body"] = "¿Dónde está mi pedido? 📦" },
            },
            1 => new JsonObject
            {
                ["from"] = from, ["id"] = wamid, ["timestamp"] = timestamp, ["type"] = "image",
                ["image"] = new JsonObject { ["id"] = "media-" + wamid, ["mime_type"] = "image/jpeg", ["caption"] = "The box arrived broken" },
            },
            _ => new JsonObject
            {
                ["from"] = from, ["id"] = wamid, ["timestamp"] = timestamp, ["type"] = "interactive",
                ["interactive"] = new JsonObject
                {
                    ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = "track", ["title"] = "Track my order" },
                },
            },
        };
    }

    private static JsonNode Status(Random rng, string wamid) => new JsonObject
    {
        ["id"] = wamid, ["status"] = rng.Next(2) == 0 ? "delivered" : "failed", ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
        ["recipient_id"] = "34600111222", ["errors"] = new JsonArray(new JsonObject { ["code"] = 131047, ["title"] = "Re-engagement message" }),
    };

    private static JsonObject Delivery(List<JsonNode> messages, JsonNode[] statuses) => new()
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = "WABA",
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "messages",
                ["value"] = new JsonObject
                {
                    ["messaging_product"] = "whatsapp",
                    ["metadata"] = new JsonObject { ["display_phone_number"] = "15550001111", ["phone_number_id"] = HitlAppFactory.PhoneNumberId },
                    ["contacts"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject
                    {
                        ["profile"] = new JsonObject { ["name"] = "Cliente " + m!["from"]!.GetValue<string>() }, ["wa_id"] = m["from"]!.GetValue<string>(),
                    }).ToArray()),
                    ["messages"] = new JsonArray(messages.ToArray()),
                    ["statuses"] = new JsonArray(statuses),
                },
            }),
        }),
    };

    /// <summary>One mutation, named for the figures; most hit the victim message, some the envelope or the encoding.</summary>
    private static (string Name, Blast Blast) Mutate(Random rng, JsonObject root, JsonObject victim)
    {
        string[] idFields = ["id", "from"];
        var textHolder = victim["text"] as JsonObject ?? victim["image"] as JsonObject ?? (JsonObject)victim["interactive"]!["button_reply"]!;
        var textField = victim["text"] is not null ? "body" : victim["image"] is not null ? "caption" : "title";
        switch (rng.Next(24))
        {
            case 0: textHolder[textField] = new string('x', rng.Next(8191, 8194)) + string.Concat(Enumerable.Repeat("😀", rng.Next(1, 40_000)));
                return ("text-huge-emoji-at-column-limit", Blast.VictimRepaired);
            case 1: textHolder[textField] = ""; return ("text-empty", Blast.VictimRepaired);
            case 2: textHolder[textField] = "broken emoji " + LoneSurrogate; return ("text-lone-surrogate", Blast.VictimRepaired);
            case 3: textHolder[textField] = "bad bytes " + BadUtf8; return ("text-invalid-utf8", Blast.VictimRepaired);
            case 4: textHolder[textField] = "ctl \u0000\u0001\u0007\u001b end"; return ("text-control-chars", Blast.VictimRepaired);
            case 5: victim[idFields[rng.Next(2)]] = new string('9', 100_000); return ("id-huge", Blast.Victim);
            case 6: victim[idFields[rng.Next(2)]] = ""; return ("id-empty", Blast.Victim);
            case 7: victim[idFields[rng.Next(2)]] = "id " + LoneSurrogate; return ("id-lone-surrogate", Blast.Victim);
            case 8: victim["timestamp"] = "0"; return ("timestamp-zero", Blast.VictimRepaired);
            case 9: victim["timestamp"] = rng.Next(2) == 0 ? "-1" : -86400; return ("timestamp-negative", Blast.Victim);
            case 10: victim["timestamp"] = rng.Next(2) == 0 ? "253402300799" : 253402300799L; return ("timestamp-9999-12-31", Blast.VictimRepaired);
            case 11: victim["timestamp"] = rng.Next(2) == 0 ? 1.7e9 : 1e300; return ("timestamp-float", Blast.Victim);
            case 12: victim["timestamp"] = rng.Next(2) == 0 ? "soon" : "99999999999999999999999"; return ("timestamp-string", Blast.Victim);
            case 13: victim.Remove(new[] { "from", "id", "timestamp" }[rng.Next(3)]); return ("field-missing", Blast.Victim);
            case 14: victim.Remove(new[] { "type", "text", "image", "interactive" }.First(victim.ContainsKey)); return ("body-missing", Blast.VictimRepaired);
            case 15:
                var key = new[] { "text", "image", "interactive" }.First(victim.ContainsKey);
                victim[key] = new JsonArray(1, "two", null); return ("array-for-object", Blast.VictimRepaired);
            case 16: victim["from"] = new JsonObject { ["nested"] = 1 }; return ("object-for-string", Blast.Victim);
            case 17: victim["type"] = new string('t', 5_000); return ("type-huge", Blast.VictimRepaired);
            case 18:
                JsonNode deep = new JsonObject { ["end"] = true };
                for (var d = 0; d < 10; d++) deep = new JsonArray(deep);
                textHolder[textField] = deep; return ("nesting-deep-10", Blast.VictimRepaired);
            case 19:
                JsonNode deeper = new JsonObject();
                for (var d = 0; d < 200; d++) deeper = new JsonArray(deeper);
                victim["extra"] = deeper; return ("nesting-deep-200", Blast.Body);
            case 20:
                var value = root["entry"]![0]!["changes"]![0]!["value"]!.AsObject();
                value["metadata"] = rng.Next(2) == 0 ? new JsonArray() : null; return ("envelope-metadata-broken", Blast.Body);
            case 21: textHolder[textField] = "raw control " + RawControl; return ("text-raw-control-byte", Blast.Body);
            case 22: return ("encoding-bom", Blast.VictimRepaired);
            default: return ("encoding-truncated", Blast.Body);
        }
    }

    private static byte[] Encode(string json, Random rng, string mutation)
    {
        var bytes = new List<byte>();
        if (mutation == "encoding-bom") bytes.AddRange(Encoding.UTF8.GetPreamble());
        bytes.AddRange(Encoding.UTF8.GetBytes(json
            .Replace(LoneSurrogate, @"\ud83d", StringComparison.Ordinal)));
        var body = bytes.ToArray();
        body = Splice(body, BadUtf8, [0xC3, 0x28, 0xFF, 0xF0, 0x9F]);
        body = Splice(body, RawControl, [0x01]);
        if (mutation == "encoding-truncated") body = body[..rng.Next(1, body.Length - 1)];
        return body;
    }

    private static byte[] Splice(byte[] body, string marker, byte[] with)
    {
        var at = body.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker));
        return at < 0 ? body : [.. body[..at], .. with, .. body[(at + marker.Length)..]];
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(HttpClient client, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, WhatsAppWebhook.Path) { Content = content };
        request.Headers.Add(WhatsAppSignature.Header, WhatsAppSignature.Sign(body, HitlAppFactory.AppSecret));
        var response = await client.SendAsync(request);
        if (response.IsSuccessStatusCode) await client.WaitUntilReadAsync();
        return response;
    }
}
