using System.Net.Http.Json;
using System.Text.Json.Serialization;
using HitlConsole.Tooling;

namespace HitlConsole.Eval;

/// <summary>
/// Starts the built app on a fresh SQLite file with the demo knowledge (the training part of the split) and
/// drafts every held-out utterance through POST /api/sandbox/draft, the same path a conversation takes.
/// </summary>
public static class Evaluation
{
    private const string ApiKey = "evaluation-simulator-key";

    public static async Task<int> RunAsync(string repo, bool quick)
    {
        var bitext = await Dataset.ReadBitextAsync(Repository.BitextPath(repo));
        var heldOut = bitext.Where(r => Dataset.IsHeldOut(r.Instruction))
            .Select(r => new Utterance(r.Instruction, r.Intent)).ToList();
        if (quick) heldOut = heldOut.Where((_, i) => i % 8 == 0).ToList();
        var everyday = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-utterances.csv"));
        var holdout = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout.csv"));
        var holdout2 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-2.csv"));
        var everyday2 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-2.csv"));
        var spanishDev = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev.csv"));
        var spanishDev2 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev-2.csv"));
        var spanishHoldout = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout.csv"));
        // Written blind on 2026-12-04, after every change to the classifier so far: the next untouched pair.
        var holdout3 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-3.csv"));
        var spanishHoldout2 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout-2.csv"));
        // Written by two more authors on 2026-12-04 (tenth pass): a development pair, and an untouched pair scored totals only.
        var everyday3 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-3.csv"));
        var spanishDev3 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev-3.csv"));
        var holdout4 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-4.csv"));
        var spanishHoldout3 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout-3.csv"));
        // And a third author's pair, written after the tenth pass's changes (first scored on them).
        var holdout5 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-5.csv"));
        var spanishHoldout4 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout-4.csv"));
        // Eleventh pass (written blind on 2026-12-04 by two more authors): a development pair of stories and asides, and an
        // untouched pair of the four kinds per intent.
        var everyday4 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-4.csv"));
        var spanishDev4 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev-4.csv"));
        var holdout6 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-6.csv"));
        var spanishHoldout5 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout-5.csv"));
        // Twelfth pass (written blind on 2026-12-04 by two more authors, scored first after the trained lexical model): mostly
        // plain everyday requests, a fifth stories, a fifth short and messy ones.
        var holdout7 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-7.csv"));
        var spanishHoldout6 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout-6.csv"));
        // Thirty-eighth session (written blind on 2026-12-06 by one more author, four per intent, scored first with that day's
        // model and never tuned on).
        var holdout8 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-8.csv"));
        // Thirty-ninth session (written blind on 2026-12-06 by one more author, four per intent in each language, half the
        // Spanish ones following the English situations; scored first with that day's model before anything else changed).
        var holdout9 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-9.csv"));
        var spanishHoldout7 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout-7.csv"));
        // And a development pair by another author: six per intent, half of them stories whose context belongs to other intents
        // (a broken lamp, shoes a size too small, one item missing, photos already sent).
        var everyday11 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-11.csv"));
        var spanishDev8 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev-8.csv"));
        // Eighteenth pass (written blind on 2026-12-05 by four more authors, each pair scored once before the catalogue learnt
        // from it): eight per intent, stories, indirect requests, short and messy ones.
        var everyday5 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-5.csv"));
        var spanishDev5 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev-5.csv"));
        var everyday6 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-6.csv"));
        var spanishDev6 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev-6.csv"));
        // A third English author's, written to sit between neighbouring intents (first scored 0.907; its examples not kept).
        var everyday7 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-7.csv"));
        // Nineteenth pass (written blind on 2026-12-05, told to leave out each intent's obvious word in half of its messages; first
        // scored en 0.843, es 0.816, before the catalogue learnt from them).
        var everyday8 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-8.csv"));
        var spanishDev7 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-dev-7.csv"));
        // Two more English authors the same day: neighbouring intents told apart (first 0.818) and everyday people (first 0.810).
        var everyday9 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-9.csv"));
        var everyday10 = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-dev-10.csv"));
        // Twentieth pass (written blind on 2026-12-05, scored first before and after the set-aside reading, SetAside): messages
        // that name a neighbouring topic only to rule it out, and messages whose negated words are the request itself.
        var setAside = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "set-aside-holdout.csv"));
        var spanishSetAside = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "set-aside-es-holdout.csv"));
        var negation = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "negation-holdout.csv"));
        var spanishNegation = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "negation-es-holdout.csv"));
        // Twenty-first pass (written blind on 2026-12-05, one author, development set first, then the holdout with fresh
        // scenarios): one request wrapped in side remarks (praise, thanks for a past order, good wishes) whose words belong to
        // another intent. The development set tuned SetAside.IsRemark; the holdout was scored once before and once after.
        var sideRemarks = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "side-remark-dev.csv"));
        var spanishSideRemarks = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "side-remark-es-dev.csv"));
        var sideRemarksHoldout = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "side-remark-holdout.csv"));
        var spanishSideRemarksHoldout = await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "side-remark-es-holdout.csv"));

        var (app, http) = await StartAsync(repo);
        await using var _ = app;
        using var __ = http;

        var dataset = await ScoreAsync(http, "en  Bitext held-out (unseen dataset utterances)", heldOut, "en");
        var dev = await ScoreAsync(http, "en  everyday wording, development set", everyday, "en");
        var dev2 = await ScoreAsync(http, "en  everyday wording, development set 2", everyday2, "en");
        var fresh = await ScoreAsync(http, "en  everyday wording, holdout 1 (tuned on)", holdout, "en");
        var fresh2 = await ScoreAsync(http, "en  everyday wording, holdout 2 (untouched)", holdout2, "en");
        var esDev = await ScoreAsync(http, "es  everyday wording, development set", spanishDev, "es");
        var esDev2 = await ScoreAsync(http, "es  everyday wording, development set 2", spanishDev2, "es");
        var esFresh = await ScoreAsync(http, "es  everyday wording, holdout (untouched)", spanishHoldout, "es");
        var fresh3 = await ScoreAsync(http, "en  everyday wording, holdout 3 (untouched)", holdout3, "en");
        var esFresh2 = await ScoreAsync(http, "es  everyday wording, holdout 2 (untouched)", spanishHoldout2, "es");
        var dev3 = await ScoreAsync(http, "en  everyday wording, development set 3", everyday3, "en");
        var esDev3 = await ScoreAsync(http, "es  everyday wording, development set 3", spanishDev3, "es");
        var fresh4 = await ScoreAsync(http, "en  everyday wording, holdout 4 (untouched)", holdout4, "en");
        var esFresh3 = await ScoreAsync(http, "es  everyday wording, holdout 3 (untouched)", spanishHoldout3, "es");
        var fresh5 = await ScoreAsync(http, "en  everyday wording, holdout 5 (untouched)", holdout5, "en");
        var esFresh4 = await ScoreAsync(http, "es  everyday wording, holdout 4 (untouched)", spanishHoldout4, "es");
        var dev4 = await ScoreAsync(http, "en  everyday wording, development set 4", everyday4, "en");
        var esDev4 = await ScoreAsync(http, "es  everyday wording, development set 4", spanishDev4, "es");
        var fresh6 = await ScoreAsync(http, "en  everyday wording, holdout 6 (untouched)", holdout6, "en");
        var esFresh5 = await ScoreAsync(http, "es  everyday wording, holdout 5 (untouched)", spanishHoldout5, "es");
        var fresh7 = await ScoreAsync(http, "en  everyday wording, holdout 7 (untouched)", holdout7, "en");
        var esFresh6 = await ScoreAsync(http, "es  everyday wording, holdout 6 (untouched)", spanishHoldout6, "es");
        var fresh8 = await ScoreAsync(http, "en  everyday wording, holdout 8 (untouched)", holdout8, "en");
        var fresh9 = await ScoreAsync(http, "en  everyday wording, holdout 9 (untouched)", holdout9, "en");
        var esFresh7 = await ScoreAsync(http, "es  everyday wording, holdout 7 (untouched)", spanishHoldout7, "es");
        var dev5 = await ScoreAsync(http, "en  everyday wording, development set 5", everyday5, "en");
        var esDev5 = await ScoreAsync(http, "es  everyday wording, development set 5", spanishDev5, "es");
        var dev6 = await ScoreAsync(http, "en  everyday wording, development set 6", everyday6, "en");
        var esDev6 = await ScoreAsync(http, "es  everyday wording, development set 6", spanishDev6, "es");
        var dev7 = await ScoreAsync(http, "en  everyday wording, development set 7", everyday7, "en");
        var dev8 = await ScoreAsync(http, "en  everyday wording, development set 8", everyday8, "en");
        var dev9 = await ScoreAsync(http, "en  everyday wording, development set 9", everyday9, "en");
        var dev10 = await ScoreAsync(http, "en  everyday wording, development set 10", everyday10, "en");
        var esDev7 = await ScoreAsync(http, "es  everyday wording, development set 7", spanishDev7, "es");
        var dev11 = await ScoreAsync(http, "en  everyday wording, development set 11", everyday11, "en");
        var esDev8 = await ScoreAsync(http, "es  everyday wording, development set 8", spanishDev8, "es");
        var aside = await ScoreAsync(http, "en  a topic set aside, holdout (untouched)", setAside, "en");
        var esAside = await ScoreAsync(http, "es  a topic set aside, holdout (untouched)", spanishSetAside, "es");
        var negated = await ScoreAsync(http, "en  the negated topic asked for, holdout", negation, "en");
        var esNegated = await ScoreAsync(http, "es  the negated topic asked for, holdout", spanishNegation, "es");
        var remarks = await ScoreAsync(http, "en  side remarks, development set", sideRemarks, "en");
        var esRemarks = await ScoreAsync(http, "es  side remarks, development set", spanishSideRemarks, "es");
        var remarksHoldout = await ScoreAsync(http, "en  side remarks, holdout", sideRemarksHoldout, "en");
        var esRemarksHoldout = await ScoreAsync(http, "es  side remarks, holdout", spanishSideRemarksHoldout, "es");

        Console.WriteLine();
        Console.WriteLine($"{"set",-48} {"n",5} {"intent acc",11} {"hit@3",7} {"same-lang@1",12} {"lang ok",8} {"p50 ms",7} {"p95 ms",7} {"conf>=85",9} {"acc there",10} {"held",5}");
        foreach (var s in new[] { dataset, dev, dev2, dev3, dev4, dev5, dev6, dev7, dev8, dev9, dev10, dev11, fresh, fresh2, fresh3, fresh4, fresh5, fresh6, fresh7, fresh8, fresh9, aside, negated, remarks, remarksHoldout, esDev, esDev2, esDev3, esDev4, esDev5, esDev6, esDev7, esDev8, esFresh, esFresh2, esFresh3, esFresh4, esFresh5, esFresh6, esFresh7, esAside, esNegated, esRemarks, esRemarksHoldout })
            Console.WriteLine($"{s.Name,-48} {s.Count,5} {s.Accuracy,11:F3} {s.HitAt3,7:F3} {s.SameLanguageReply,12:F3} {s.LanguageRight,8:F3} {s.P50,7:F1} {s.P95,7:F1} {s.Confident,9} {s.ConfidentAccuracy,10:F3} {s.Held,5}");
        Console.WriteLine();

        var guardrail = await GuardrailEvaluation.RunAsync(http, repo, heldOut, holdout2, spanishHoldout);
        Console.WriteLine();
        (string Goal, bool Met)[] checks =
        [
            ($"intent accuracy on held-out ≥ 0.90: {dataset.Accuracy:F3}", dataset.Accuracy >= 0.90),
            ($"retrieval hit@3 on held-out ≥ 0.95: {dataset.HitAt3:F3}", dataset.HitAt3 >= 0.95),
            ($"intent accuracy on everyday wording (every set) ≥ 0.90: {dev.Accuracy:F3} / {fresh.Accuracy:F3} / {fresh2.Accuracy:F3}",
                dev.Accuracy >= 0.90 && fresh.Accuracy >= 0.90 && fresh2.Accuracy >= 0.90),
            ($"p95 server draft time < 100 ms: {dataset.P95:F1} ms", dataset.P95 < 100),
            ($"Spanish intent accuracy on the untouched holdout ≥ 0.90: {esFresh.Accuracy:F3}", esFresh.Accuracy >= 0.90),
            ($"English intent accuracy on the untouched holdout 2 ≥ 0.95: {fresh2.Accuracy:F3}", fresh2.Accuracy >= 0.95),
            ($"Bitext held-out ≥ 0.94: {dataset.Accuracy:F3}", dataset.Accuracy >= 0.94),
            ($"Spanish retrieval hit@3 ≥ 0.90 (holdout): {esFresh.HitAt3:F3}", esFresh.HitAt3 >= 0.90),
            ($"Spanish intent accuracy on the untouched holdout 2 ≥ 0.90: {esFresh2.Accuracy:F3} (hit@3 {esFresh2.HitAt3:F3})", esFresh2.Accuracy >= 0.90),
            ($"English intent accuracy on the untouched holdout 3 ≥ 0.95: {fresh3.Accuracy:F3}", fresh3.Accuracy >= 0.95),
            ($"English intent accuracy on the untouched holdout 4 ≥ 0.95: {fresh4.Accuracy:F3}", fresh4.Accuracy >= 0.95),
            ($"Spanish intent accuracy on the untouched holdout 3 ≥ 0.90: {esFresh3.Accuracy:F3} (hit@3 {esFresh3.HitAt3:F3}, ≥ 0.90)",
                esFresh3.Accuracy >= 0.90 && esFresh3.HitAt3 >= 0.90),
            ($"English intent accuracy on the untouched holdout 5 ≥ 0.95: {fresh5.Accuracy:F3}", fresh5.Accuracy >= 0.95),
            ($"Spanish intent accuracy on the untouched holdout 4 ≥ 0.90: {esFresh4.Accuracy:F3} (hit@3 {esFresh4.HitAt3:F3}, ≥ 0.90)",
                esFresh4.Accuracy >= 0.90 && esFresh4.HitAt3 >= 0.90),
            ($"English intent accuracy on the untouched holdout 6 ≥ 0.95: {fresh6.Accuracy:F3}", fresh6.Accuracy >= 0.95),
            ($"Spanish intent accuracy on the untouched holdout 5 ≥ 0.90: {esFresh5.Accuracy:F3} (hit@3 {esFresh5.HitAt3:F3}, ≥ 0.90)",
                esFresh5.Accuracy >= 0.90 && esFresh5.HitAt3 >= 0.90),
            ($"English intent accuracy on the untouched holdout 7 ≥ 0.95: {fresh7.Accuracy:F3}", fresh7.Accuracy >= 0.95),
            ($"Spanish intent accuracy on the untouched holdout 6 ≥ 0.90: {esFresh6.Accuracy:F3} (hit@3 {esFresh6.HitAt3:F3}, ≥ 0.90)",
                esFresh6.Accuracy >= 0.90 && esFresh6.HitAt3 >= 0.90),
            ($"English intent accuracy on the untouched holdout 8 ≥ 0.95: {fresh8.Accuracy:F3}", fresh8.Accuracy >= 0.95),
            ($"English intent accuracy on the untouched holdout 9 ≥ 0.95: {fresh9.Accuracy:F3}", fresh9.Accuracy >= 0.95),
            ($"Spanish intent accuracy on the untouched holdout 7 ≥ 0.90: {esFresh7.Accuracy:F3} (hit@3 {esFresh7.HitAt3:F3}, ≥ 0.90)",
                esFresh7.Accuracy >= 0.90 && esFresh7.HitAt3 >= 0.90),
            .. guardrail,
        ];
        foreach (var (goal, met) in checks) Console.WriteLine($"{(met ? "met   " : "MISSED")} {goal}");
        Console.WriteLine($"knowledge: {bitext.Count(r => !Dataset.IsHeldOut(r.Instruction))} Bitext training entries (plus the demo's Spanish ones); split: SHA-256(utterance)[0] % 5 == 0 is held out");
        return checks.All(c => c.Met) ? 0 : 1;
    }

    /// <summary>
    /// Scores only the named sets (<c>score eval/everyday-dev-11.csv:en …</c>), for a development loop that does not spend
    /// six minutes on the whole evaluation. A holdout's misses stay hidden here too.
    /// </summary>
    public static async Task<int> ScoreSetsAsync(string repo, IEnumerable<string> sets)
    {
        var named = sets.Select(s => s.Split(':')).Select(p => (Path: p[0], Language: p.Length > 1 ? p[1] : "en")).ToList();
        if (named.Count == 0) return 2;
        var (app, http) = await StartAsync(repo);
        await using var _ = app;
        using var __ = http;
        var scores = new List<SetScore>();
        foreach (var (path, language) in named)
        {
            if (Path.GetFileName(path).StartsWith("guardrail-"))
            {
                // A guardrail set: recall and false positives per language, through the same sandbox.
                foreach (var (goal, met) in await GuardrailEvaluation.ScoreAsync(http, repo, Path.GetFileNameWithoutExtension(path), Path.GetFileName(path), false, [], [], []))
                    Console.WriteLine($"{(met ? "met   " : "MISSED")} {goal}");
                continue;
            }
            if (OutOfScopeEvaluation.Handles(path))
            {
                await OutOfScopeEvaluation.ScoreAsync(http, repo, path);
                continue;
            }
            var name = Path.GetFileNameWithoutExtension(path);
            scores.Add(await ScoreAsync(http, $"{language}  {(name.Contains("holdout") ? name + " (untouched)" : name)}",
                await Dataset.ReadUtterancesAsync(Path.Combine(repo, path)), language));
        }
        foreach (var s in scores) Console.WriteLine($"{s.Name,-48} {s.Count,5} {s.Accuracy,11:F3} {s.HitAt3,7:F3} {s.Held,5} {s.OutOfKnowledge,5}");
        return 0;
    }

    /// <summary>The built app on a fresh SQLite file with the demo knowledge, and a client of its sandbox, warmed up.</summary>
    private static async Task<(AppUnderTest App, HttpClient Http)> StartAsync(string repo)
    {
        var app = await AppUnderTest.StartAsync(repo, new Dictionary<string, string>
        {
            ["Demo__SimulatorApiKey"] = ApiKey,
            ["Hangfire__ServerEnabled"] = "false",
            // The evaluation drafts thousands of messages through the sandbox API, which is rate limited for people.
            ["RateLimits__SandboxPerMinute"] = "1000000",
        });
        var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        await DraftAsync(http, "warm up"); // loads the embedding model and the knowledge index once
        return (app, http);
    }

    private static async Task<SetScore> ScoreAsync(HttpClient http, string name, List<Utterance> set, string language)
    {
        int correct = 0, hits = 0, sameLanguage = 0, languageRight = 0, held = 0, unknowing = 0;
        var latencies = new List<double>();
        var confident = new List<bool>();
        var misses = new List<string>();
        foreach (var u in set)
        {
            var draft = await DraftAsync(http, u.Text);
            latencies.Add(draft.LatencyMs);
            if (draft.Confidence >= AutoSendThreshold) confident.Add(draft.Intent == u.Intent);
            // Every set here is ordinary support traffic: a message the guardrail blocks is one a customer gets no draft for.
            if (draft.Guardrail.Blocked) held++;
            else if (draft.OutOfKnowledge) unknowing++;
            if (draft.Intent == u.Intent) correct++;
            else misses.Add($"  {u.Text}  →  {(draft.Guardrail.Blocked ? $"(held: {draft.Guardrail.Class})" : draft.Intent ?? "(none)")}  (expected {u.Intent})");
            if (draft.Sources.Take(3).Any(s => s.Intent == u.Intent)) hits++;
            if (draft.Sources.FirstOrDefault()?.Language == language) sameLanguage++;
            if (draft.Language == language) languageRight++;
        }
        latencies.Sort();
        Console.WriteLine($"{name}: {correct}/{set.Count} intents right");
        // Misses of an untouched set are not printed: reading them would make it development data.
        if (!name.Contains("untouched")) foreach (var m in misses.Take(60)) Console.WriteLine(m);
        return new SetScore(name, set.Count, (double)correct / set.Count, (double)hits / set.Count,
            (double)sameLanguage / set.Count, (double)languageRight / set.Count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), confident.Count, confident.Count == 0 ? 0 : confident.Count(c => c) / (double)confident.Count, held)
            { OutOfKnowledge = unknowing };
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    internal static async Task<SandboxDraft> DraftAsync(HttpClient http, string text)
    {
        using var response = await http.PostAsJsonAsync("/api/sandbox/draft", new { text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SandboxDraft>())!;
    }

    private sealed record SetScore(string Name, int Count, double Accuracy, double HitAt3, double SameLanguageReply, double LanguageRight, double P50, double P95, int Confident, double ConfidentAccuracy, int Held)
    {
        /// <summary>Drafts that said they do not know: the fallback reply, whatever intent they named.</summary>
        public int OutOfKnowledge { get; init; }
    }

    /// <summary>The default Pipeline:AutoSendThreshold: how often a draft that confident has the right intent.</summary>
    internal const int AutoSendThreshold = 85;

    internal sealed record SandboxDraft(
        [property: JsonPropertyName("intent")] string? Intent,
        [property: JsonPropertyName("language")] string? Language,
        [property: JsonPropertyName("guardrail")] SandboxGuardrail Guardrail,
        [property: JsonPropertyName("confidence")] int Confidence,
        [property: JsonPropertyName("outOfKnowledge")] bool OutOfKnowledge,
        [property: JsonPropertyName("latencyMs")] double LatencyMs,
        [property: JsonPropertyName("sources")] List<SandboxSource> Sources);

    internal sealed record SandboxSource([property: JsonPropertyName("intent")] string? Intent, [property: JsonPropertyName("language")] string? Language);

    internal sealed record SandboxGuardrail([property: JsonPropertyName("blocked")] bool Blocked, [property: JsonPropertyName("class")] string? Class);
}
