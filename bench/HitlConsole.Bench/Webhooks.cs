using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HitlConsole.Features.Channels.WhatsApp;

namespace HitlConsole.Bench;

/// <summary>Signed WhatsApp Cloud API notifications, built before the clock starts, and the load that sends them.</summary>
public static class Webhooks
{
    public const string PhoneNumberId = "100200300400";
    public const string AppSecret = "bench-app-secret";

    /// <summary>The demo workspace's WhatsApp channel, matching the notifications built here; sends go nowhere.</summary>
    /// <summary>
    /// The app's settings for the shared run, plus any <c>HITL_BENCH_APP_Section__Key=value</c> of the runner's environment
    /// (e.g. <c>HITL_BENCH_APP_Hangfire__WorkerCount=1</c>), so a setting can be compared without editing the runner.
    /// </summary>
    public static Dictionary<string, string> AppSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["Demo__WhatsApp__PhoneNumberId"] = PhoneNumberId,
            ["Demo__WhatsApp__AppSecret"] = AppSecret,
            ["Demo__WhatsApp__VerifyToken"] = "bench-verify",
            ["Demo__WhatsApp__AccessToken"] = "bench-access-token",
            ["Demo__WhatsApp__GraphBaseUrl"] = "http://127.0.0.1:9",
        };
        const string prefix = "HITL_BENCH_APP_";
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string key && key.StartsWith(prefix, StringComparison.Ordinal) && e.Value is string value)
                settings[key[prefix.Length..]] = value;
        return settings;
    }

    public sealed record Signed(byte[] Body, string Signature, string Wamid);

    /// <summary>One text message per notification, each from its own customer (its own conversation, its own draft).</summary>
    public static Signed Build(string wamid, string customer, string name, string text)
    {
        var json = JsonSerializer.Serialize(new
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
                                metadata = new { display_phone_number = "15550001111", phone_number_id = PhoneNumberId },
                                contacts = new[] { new { profile = new { name }, wa_id = customer } },
                                messages = new[]
                                {
                                    new
                                    {
                                        from = customer, id = wamid, type = "text", text = new { body = text },
                                        timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                                    },
                                },
                            },
                        },
                    },
                },
            },
        });
        var body = Encoding.UTF8.GetBytes(json);
        return new Signed(body, WhatsAppSignature.Sign(body, AppSecret), wamid);
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, Signed s)
    {
        var content = new ByteArrayContent(s.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(WhatsAppSignature.Header, s.Signature);
        request.Headers.Add("X-Bench-Id", s.Wamid); // the baseline's row key; the app reads the id from the body
        return await http.SendAsync(request);
    }

    public static HttpClient Client(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60),
        };

    public sealed record LoadResult(int Sent, int Accepted, int Failed, TimeSpan Wall, double[] LatenciesMs)
    {
        public double PerSecond => Accepted / Wall.TotalSeconds;
        public double P50 => Stats.Percentile(LatenciesMs, 0.50);
        public double P99 => Stats.Percentile(LatenciesMs, 0.99);
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> senders, each posting the next notification as soon as its last one is answered.</summary>
    public static async Task<LoadResult> SaturateAsync(HttpClient http, string path, IReadOnlyList<Signed> load, int concurrency)
    {
        var latencies = new double[load.Count];
        int next = -1, accepted = 0, failed = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < load.Count)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await TryPostAsync(http, path, load[i]);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Interlocked.Increment(ref ok ? ref accepted : ref failed);
            }
        }));
        return new LoadResult(load.Count, accepted, failed, watch.Elapsed, latencies);
    }

    /// <summary>Open loop at a fixed rate: request i leaves at i / rate whatever happened to the others, so queueing shows in the latency.</summary>
    public static async Task<LoadResult> PacedAsync(HttpClient http, string path, IReadOnlyList<Signed> load, double perSecond)
    {
        var latencies = new double[load.Count];
        int accepted = 0, failed = 0;
        var watch = Stopwatch.StartNew();
        var inFlight = new List<Task>(load.Count);
        for (var i = 0; i < load.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - watch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await TryPostAsync(http, path, load[index]);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Interlocked.Increment(ref ok ? ref accepted : ref failed);
            }));
        }
        await Task.WhenAll(inFlight);
        return new LoadResult(load.Count, accepted, failed, watch.Elapsed, latencies);
    }

    private static async Task<bool> TryPostAsync(HttpClient http, string path, Signed s)
    {
        try
        {
            using var response = await PostAsync(http, path, s);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }
}
