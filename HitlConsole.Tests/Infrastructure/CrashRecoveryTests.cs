using System.Collections.Concurrent;
using System.Net;
using HitlConsole.Tests.Support;
using Microsoft.Data.Sqlite;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>The process is killed (SIGKILL, no shutdown) while webhooks arrive; nothing it acknowledged is lost.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task A_kill_9_during_webhook_traffic_loses_no_acknowledged_message_and_each_is_drafted_after_restart()
    {
        var folder = Directory.CreateTempSubdirectory("hitl-crash-").FullName;
        var database = Path.Combine(folder, "hitl.db");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={database}",
            ["Demo__Enabled"] = "true",
            ["Demo__Password"] = HitlAppFactory.DemoPassword,
            ["Demo__WhatsApp__PhoneNumberId"] = HitlAppFactory.PhoneNumberId,
            ["Demo__WhatsApp__AppSecret"] = HitlAppFactory.AppSecret,
            ["Demo__WhatsApp__VerifyToken"] = HitlAppFactory.VerifyToken,
            ["Demo__WhatsApp__AccessToken"] = "test-access-token",
            ["Hangfire__ServerEnabled"] = "true",
            // A message whose job died with the process is dispatched again after this (2 minutes by default).
            ["Pipeline__RedispatchAfter"] = "00:00:10",
            ["Pipeline__SweepInterval"] = "00:00:02",
            // Durability is the subject here, not priorities: at nice +15 (ADR 0024) the reader's parsing yields to every other
            // process, and beside the rest of the suite on two cores it once stored nothing in 180 s.
            ["Pipeline__DraftingNice"] = "0",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        var dll = Path.Combine(AppContext.BaseDirectory, "HitlConsole.dll");

        var acknowledged = new ConcurrentBag<string>();
        var firstOutput = "";
        await using (var first = AppProcess.Start(dll, folder, environment))
        {
            await first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
            using var http = new HttpClient { BaseAddress = new Uri(first.Url), Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 8).Select(sender => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var wamid = $"wamid.crash.{sender}.{n}";
                    try
                    {
                        var response = await http.PostSignedAsync(WhatsAppSender.Notification(
                            [WhatsAppSender.TextMessage(wamid, $"where is my order number {sender}{n}?", from: $"3460070{sender:D4}")],
                            waId: $"3460070{sender:D4}"));
                        if (response.StatusCode == HttpStatusCode.OK) acknowledged.Add(wamid);
                    }
                    catch (Exception) when (stop.IsCancellationRequested || first.HasExited)
                    {
                        return; // the process is gone: this delivery's fate is unknown to the sender, as it would be to Meta
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                    catch (TaskCanceledException)
                    {
                        // No answer within the client's 10 s (the first start's warm-up on a loaded runner): like Meta, move on.
                        // The test is about what was acknowledged; a sender that gave up here would only starve it of traffic.
                    }
                }
            })).ToList();

            // Kill mid-traffic, once a good number of deliveries were acknowledged. Eight senders keep deliveries in flight
            // at the kill whatever the count; a larger count only adds drafts to wait for after the restart.
            await Eventually.GetAsync(() => Task.FromResult(acknowledged.Count >= 60 ? "enough" : null), 120, "60 acknowledged webhooks");
            first.KillNow();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            firstOutput = first.Output;
        }
        var acked = acknowledged.ToHashSet();

        await using var second = AppProcess.Start(dll, folder, environment);
        await second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
        List<string> notStored = [], notDrafted = [];
        // The deadline leaves room for the rest of the suite running beside it on two cores; idle, every draft exists within ≈ 30 s.
        var deadline = DateTime.UtcNow.AddSeconds(180);
        do
        {
            var (stored, drafted) = await ReadAsync(database);
            Assert.All(stored, s => Assert.Equal(1, s.Value)); // never twice
            // Appended before the 200, or not acknowledged at all: the restarted app reads what the killed one had not.
            notStored = acked.Where(w => !stored.ContainsKey(w)).ToList();
            notDrafted = acked.Where(w => !drafted.Contains(w)).ToList();
            if (notDrafted.Count > 0) await Task.Delay(500);
        } while (notDrafted.Count > 0 && DateTime.UtcNow < deadline);
        Assert.True(notStored.Count == 0,
            $"{notStored.Count} of {acked.Count} acknowledged messages were never stored after the restart\n{Tail(firstOutput)}\n---\n{Tail(second.Output)}");
        Assert.True(notDrafted.Count == 0,
            $"{notDrafted.Count} of {acked.Count} acknowledged messages have no draft 180 s after the restart\n{Tail(second.Output)}");
        Assert.Equal(0, await PendingDeliveriesAsync(Path.ChangeExtension(database, ".inbound.db")));
    }

    /// <summary>The end of what a process logged (warnings and errors only): what a failure here needs to be understood.</summary>
    private static string Tail(string output) => output.Length <= 6000 ? output : output[^6000..];

    /// <summary>Deliveries acknowledged and not yet read, in the delivery log's own SQLite file.</summary>
    private static async Task<long> PendingDeliveriesAsync(string log)
    {
        await using var connection = new SqliteConnection($"Data Source={log};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM WebhookDeliveries";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(Dictionary<string, long> Stored, HashSet<string> Drafted)> ReadAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var stored = new Dictionary<string, long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT ExternalId, COUNT(*) FROM Messages WHERE ExternalId LIKE 'wamid.crash.%' GROUP BY ExternalId";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored[reader.GetString(0)] = reader.GetInt64(1);
        }
        var drafted = new HashSet<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT m.ExternalId FROM Messages m JOIN Drafts d ON d.MessageId = m.Id WHERE m.ExternalId LIKE 'wamid.crash.%'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) drafted.Add(reader.GetString(0));
        }
        return (stored, drafted);
    }
}
