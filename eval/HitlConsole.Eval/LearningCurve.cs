using HitlConsole.Features.Ai;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using CsvHelper;
using HitlConsole.Tooling;

namespace HitlConsole.Eval;

/// <summary>
/// Does the loop teach? A demo workspace starts with the knowledge of only a few intents. A stream of customer messages
/// (both languages) is drafted through POST /api/sandbox/draft; a simulated agent holding the gold answers corrects every
/// draft that could not be sent unchanged and saves the correction through POST /api/knowledge/corrections, as "Save as
/// knowledge" offers (the workspace lets agents publish). At checkpoints a fixed test set, disjoint from the stream, is
/// drafted and scored: the share of drafts an agent would approve unchanged — right intent, reply in the customer's
/// language, no placeholder left, answered from an entry of the right intent and language, not out of knowledge.
/// </summary>
public static class LearningCurve
{
    private const string ApiKey = "learning-curve-simulator-key";
    /// <summary>Intents whose knowledge the workspace starts with (alphabetically first): the thin knowledge base.</summary>
    private const int StartingIntents = 3;
    private static readonly double[] Checkpoints = [0, 0.1, 0.25, 0.5, 0.75, 1.0];
    /// <summary>The placeholders the demo workspace fills itself; a gold answer must need nothing else.</summary>
    private static readonly HashSet<string> WorkspaceFilled = new[]
        { "Company Name", "Website Name", "Website URL", "Customer Support Phone Number", "Customer Support Email", "Customer Support Availability", "Live Chat" }
        .Select(Placeholders.Key).ToHashSet();

    private sealed record Message(string Text, string Intent, string Language);

    public static async Task<int> RunAsync(string repo, bool quick)
    {
        var demo = await ReadDemoAsync(Path.Combine(repo, "HitlConsole", "Features", "Demo", "Data", "bitext-demo.csv"));
        var gold = GoldAnswers(demo);
        var bitext = await Dataset.ReadBitextAsync(Repository.BitextPath(repo));
        var spanishDev = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev.csv"));
        var spanishHoldout = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout.csv"));
        var englishHoldout = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-2.csv"));

        // Test: Bitext's held-out utterances (10 per intent) and the untouched everyday sets. Stream: training utterances only.
        var enTest = bitext.Where(r => Dataset.IsHeldOut(r.Instruction)).GroupBy(r => r.Intent).SelectMany(g => g.OrderBy(r => Hash(r.Instruction)).Take(10))
            .Select(r => new Message(r.Instruction, r.Intent, "en")).Concat(englishHoldout.Select(u => new Message(u.Text, u.Intent, "en"))).ToList();
        var esTest = spanishHoldout.Select(u => new Message(u.Text, u.Intent, "es")).ToList();
        var testTexts = enTest.Concat(esTest).Select(m => Normalise(m.Text)).ToHashSet();
        var enStream = bitext.Where(r => !Dataset.IsHeldOut(r.Instruction)).OrderBy(r => Hash(r.Instruction)).Take(quick ? 270 : 540)
            .Select(r => new Message(r.Instruction, r.Intent, "en")).ToList();
        var esStream = spanishDev.Select(u => new Message(u.Text, u.Intent, "es"))
            .Concat(demo.Where(d => d.Language == "es").Select(d => new Message(d.Question, d.Intent, "es")))
            .OrderBy(m => Hash(m.Text)).Take(quick ? 110 : int.MaxValue).ToList();
        enStream = enStream.Where(m => !testTexts.Contains(Normalise(m.Text))).ToList();
        esStream = esStream.Where(m => !testTexts.Contains(Normalise(m.Text))).ToList();
        if (quick) (enTest, _) = (enTest.Where((_, i) => i % 2 == 0).ToList(), 0);

        await using var app = await AppUnderTest.StartAsync(repo, new Dictionary<string, string>
        {
            ["Demo__SimulatorApiKey"] = ApiKey,
            ["Demo__KnowledgeIntents"] = StartingIntents.ToString(),
            ["Demo__AgentsPublishKnowledge"] = "true",
            ["Hangfire__ServerEnabled"] = "false",
            ["RateLimits__SandboxPerMinute"] = "1000000",
        });
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        await DraftAsync(http, "warm up");

        // Gold entries: the starting knowledge of each intent and language, then every correction saved for it.
        var goldEntries = new HashSet<(Guid, string, string)>();
        var curve = new List<(double At, int Corrections, Score En, Score Es)>();
        var window = new Dictionary<string, List<bool>> { ["en"] = [], ["es"] = [] };
        var corrections = 0;
        // The two streams are interleaved in proportion, as a bilingual team would see them.
        var stream = enStream.Select((m, i) => (Position: (i + 0.5) / enStream.Count, m))
            .Concat(esStream.Select((m, i) => (Position: (i + 0.5) / esStream.Count, m))).OrderBy(x => x.Position).Select(x => x.m).ToList();
        var next = 0;
        for (var i = 0; i <= stream.Count; i++)
        {
            while (next < Checkpoints.Length && i >= (int)Math.Round(Checkpoints[next] * stream.Count))
            {
                var en = await ScoreAsync(http, enTest, goldEntries);
                var es = await ScoreAsync(http, esTest, goldEntries);
                curve.Add((Checkpoints[next], corrections, en, es));
                Console.WriteLine($"after {i,4} stream messages ({corrections,3} corrections): en {en.Share:F3}  es {es.Share:F3}");
                next++;
            }
            if (i == stream.Count) break;
            var message = stream[i];
            var draft = await DraftAsync(http, message.Text);
            var approvable = Approvable(draft, message, goldEntries);
            window[message.Language].Add(approvable);
            if (approvable) continue;
            var answer = gold[(message.Intent, message.Language)];
            var saved = await CorrectAsync(http, message, answer, draft.Reply);
            if (saved is not null) goldEntries.Add((saved.Value, message.Intent, message.Language));
            corrections++;
        }

        Console.WriteLine();
        Console.WriteLine($"Share of test drafts an agent would approve unchanged, as corrections accumulate (starting knowledge: {StartingIntents} of 27 intents)");
        Console.WriteLine($"{"stream seen",12} {"corrections",12} {"en (n=" + enTest.Count + ")",12} {"es (n=" + esTest.Count + ")",12}");
        foreach (var (at, n, en, es) in curve)
            Console.WriteLine($"{at,12:P0} {n,12} {en.Share,12:F3} {es.Share,12:F3}");
        Console.WriteLine();
        Console.WriteLine("Within the stream itself (drafts approvable unchanged, before that message's own correction), by quarter:");
        foreach (var (language, seen) in window)
        {
            var quarters = Enumerable.Range(0, 4).Select(q => seen.Skip(q * seen.Count / 4).Take((q + 1) * seen.Count / 4 - q * seen.Count / 4).ToList())
                .Select(q => q.Count == 0 ? 0 : q.Count(x => x) / (double)q.Count);
            Console.WriteLine($"  {language} (n={seen.Count}): {string.Join("  ", quarters.Select(q => q.ToString("F3")))}");
        }
        Console.WriteLine($"streams: en {enStream.Count} Bitext training utterances, es {esStream.Count} (everyday-es-dev + the demo's Spanish questions); " +
                          $"tests: en {enTest.Count} (Bitext held-out, 10 per intent, + everyday-holdout-2), es {esTest.Count} (everyday-es-holdout); no text in both");
        var (first, last) = (curve[0], curve[^1]);
        (string Goal, bool Met)[] checks =
        [
            ($"en share rises over the stream: {first.En.Share:F3} → {last.En.Share:F3}", last.En.Share > first.En.Share + 0.3),
            ($"es share rises over the stream: {first.Es.Share:F3} → {last.Es.Share:F3}", last.Es.Share > first.Es.Share + 0.3),
        ];
        foreach (var (goal, met) in checks) Console.WriteLine($"{(met ? "met   " : "MISSED")} {goal}");
        return checks.All(c => c.Met) ? 0 : 1;
    }

    private sealed record Score(int Count, int Approvable, int IntentRight, int LanguageRight, int FromGold)
    {
        public double Share => Count == 0 ? 0 : Approvable / (double)Count;
    }

    private static async Task<Score> ScoreAsync(HttpClient http, List<Message> test, HashSet<(Guid, string, string)> goldEntries)
    {
        int approvable = 0, intent = 0, language = 0, fromGold = 0;
        foreach (var m in test)
        {
            var d = await DraftAsync(http, m.Text);
            if (Approvable(d, m, goldEntries)) approvable++;
            if (d.Intent == m.Intent) intent++;
            if (d.Language == m.Language) language++;
            if (FromGold(d, m, goldEntries)) fromGold++;
        }
        return new Score(test.Count, approvable, intent, language, fromGold);
    }

    /// <summary>What an agent would send unchanged: right intent and language, nothing left to fill, answered from the right entry.</summary>
    private static bool Approvable(Draft d, Message m, HashSet<(Guid, string, string)> goldEntries) =>
        !d.Guardrail.Blocked && !d.OutOfKnowledge && d.Intent == m.Intent && d.Language == m.Language && !Placeholders.Any(d.Reply)
        && FromGold(d, m, goldEntries);

    /// <summary>
    /// The top source is a gold entry: an entry of the message's intent in its language — the starting knowledge of that
    /// intent, or a correction the agent saved for it (<paramref name="goldEntries"/>, counted for the report).
    /// </summary>
    private static bool FromGold(Draft d, Message m, HashSet<(Guid, string, string)> goldEntries) =>
        d.Sources.FirstOrDefault() is { } top && top.Intent == m.Intent && top.Language == m.Language;

    private static async Task<Draft> DraftAsync(HttpClient http, string text)
    {
        using var response = await http.PostAsJsonAsync("/api/sandbox/draft", new { text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Draft>())!;
    }

    private static async Task<Guid?> CorrectAsync(HttpClient http, Message m, string answer, string replaced)
    {
        using var response = await http.PostAsJsonAsync("/api/knowledge/corrections",
            new { question = m.Text, answer, intent = m.Intent, language = m.Language, replacedDraft = replaced.Length > 4096 ? replaced[..4096] : replaced });
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"  correction refused ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
            return null;
        }
        var saved = (await response.Content.ReadFromJsonAsync<Correction>())!;
        if (saved.State != "published") throw new InvalidOperationException("The workspace should let agents publish (Demo:AgentsPublishKnowledge).");
        return saved.EntryId;
    }

    /// <summary>Per intent and language, the first demo answer that needs only the workspace's own values: what the simulated agent writes.</summary>
    private static Dictionary<(string, string), string> GoldAnswers(List<DemoRow> demo) =>
        demo.GroupBy(d => (d.Intent, d.Language)).ToDictionary(g => g.Key,
            g => g.FirstOrDefault(d => Placeholders.Find(d.Answer).All(p => WorkspaceFilled.Contains(Placeholders.Key(p.Name))))?.Answer
                 ?? Placeholders.Fill(g.First().Answer, new Dictionary<string, string>()));

    private sealed record DemoRow(string Question, string Answer, string Intent, string Language);

    private static async Task<List<DemoRow>> ReadDemoAsync(string path)
    {
        var rows = new List<DemoRow>();
        await using var csv = CsvReader.Create(File.OpenRead(path), CsvReaderOptions.Default, leaveOpen: false);
        await csv.ReadHeaderAsync(default);
        while (await csv.ReadAsync(default))
            rows.Add(new DemoRow(csv.GetString("question"), csv.GetString("answer"), csv.GetString("intent"), csv.GetString("language")));
        return rows;
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("learning-curve:" + text)));

    private static string Normalise(string text) => string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed record Correction([property: JsonPropertyName("state")] string State, [property: JsonPropertyName("entryId")] Guid? EntryId);

    private sealed record Draft(
        [property: JsonPropertyName("reply")] string Reply,
        [property: JsonPropertyName("intent")] string? Intent,
        [property: JsonPropertyName("language")] string? Language,
        [property: JsonPropertyName("outOfKnowledge")] bool OutOfKnowledge,
        [property: JsonPropertyName("guardrail")] Evaluation.SandboxGuardrail Guardrail,
        [property: JsonPropertyName("sources")] List<Source> Sources);

    private sealed record Source([property: JsonPropertyName("id")] Guid Id, [property: JsonPropertyName("intent")] string? Intent,
        [property: JsonPropertyName("language")] string? Language);
}
