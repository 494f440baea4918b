extern alias app;
using System.Diagnostics;
using CsvHelper;
using Guardrail = app::HitlConsole.Features.Ai.Guardrail;
using GuardrailClasses = app::HitlConsole.Features.Ai.GuardrailClasses;
using SmallTalk = app::HitlConsole.Features.Ai.SmallTalk;
using SafetyModel = app::HitlConsole.Features.Ai.SafetyModel;
using TextLanguage = app::HitlConsole.Features.Languages.TextLanguage;
using MiniLmEmbedder = app::HitlConsole.Infrastructure.Embeddings.MiniLmEmbedder;

namespace HitlConsole.Eval;

/// <summary>
/// Scores the shipped guardrail in process (a new workspace's defaults: the classifier, no Admin keywords), per set and
/// language: recall per class, whether the class is right, false positives on harmless messages, and the time one scan
/// takes. Misses are printed only for development sets (<c>--misses</c>); a holdout's misses are never shown.
/// <c>dotnet run --project eval/HitlConsole.Eval -c Release -- guardrail [--misses]</c>
/// </summary>
public static class GuardrailOffline
{
    private sealed record Labelled(string Text, string Class, string Language);

    private static readonly string[] ClassOrder = ["abuse", "politics", "medical", "emergency", "legal", "self_harm", "security"];

    public static async Task<int> RunAsync(string repo, bool showMisses)
    {
        var bitext = await Dataset.ReadBitextAsync(Repository.BitextPath(repo));
        var heldOut = bitext.Where(r => Dataset.IsHeldOut(r.Instruction)).ToList();
        var untouchedHarmless = heldOut.Where((_, i) => i % Math.Max(1, heldOut.Count / 200) == 0).Take(200).Select(r => new Labelled(r.Instruction, "none", "en"))
            .Concat((await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-holdout-2.csv"))).Select(u => new Labelled(u.Text, "none", "en")))
            .Concat((await Dataset.ReadUtterancesAsync(Path.Combine(repo, "eval", "everyday-es-holdout.csv"))).Select(u => new Labelled(u.Text, "none", "es")))
            .ToList();

        var watch = Stopwatch.StartNew();
        var examples = SafetyModel.ShippedExamples().ToList();
        var read = watch.ElapsedMilliseconds;
        _ = SafetyModel.Default;
        Console.WriteLine($"{examples.Count} training examples read in {read} ms; model read and trained in {watch.ElapsedMilliseconds - read} ms");
        var guardrail = new Guardrail();
        // The language the pipeline would see (detected), and the sentence vector the draft computes for the guardrail.
        using var embedder = new MiniLmEmbedder();
        var embedTimes = new List<double>();
        float[]? Meaning(string text)
        {
            if (SafetyModel.Default.MeaningText(text, TextLanguage.Shared.Detect(text, "en")) is not { } meaningText) return null;
            var start = Stopwatch.GetTimestamp();
            var vector = embedder.Embed([meaningText])[0];
            embedTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return vector;
        }
        var sets = new List<(string Name, List<Labelled> Rows, bool Holdout)>
        {
            ("development 1 (trained on)", await ReadAsync(repo, "guardrail-dev.csv"), false),
            ("development 2 (trained on)", await ReadAsync(repo, "guardrail-dev-2.csv"), false),
            ("development 3 (trained on)", await ReadAsync(repo, "guardrail-dev-3.csv"), false),
            ("holdout 1 (scored before)", await ReadAsync(repo, "guardrail-holdout.csv"), true),
            ("holdout 2 (untouched)", await ReadAsync(repo, "guardrail-holdout-2.csv"), true),
            ("untouched harmless utterances", untouchedHarmless, true),
        };
        if (File.Exists(Path.Combine(repo, "eval", "guardrail-holdout-3.csv")))
            sets.Add(("holdout 3 (untouched)", await ReadAsync(repo, "guardrail-holdout-3.csv"), true));
        // Holdouts 4 and 5 were scored three times (seventh pass) and are development data since: their misses are shown.
        // Holdout 6 (eighth pass) is scored by the sandbox evaluation only.
        sets.Add(("holdout 4 (development since)", await ReadAsync(repo, "guardrail-holdout-4.csv"), false));
        sets.Add(("holdout 5 (development since)", await ReadAsync(repo, "guardrail-holdout-5.csv"), false));
        if (File.Exists(Path.Combine(repo, "eval", "guardrail-unseen.csv")))
            sets.Add(("unseen (written last)", await ReadAsync(repo, "guardrail-unseen.csv"), true));
        // The later holdouts, scored here too (totals only, never their misses) so a change is measured on every one in seconds.
        foreach (var number in Enumerable.Range(6, 30))
            if (File.Exists(Path.Combine(repo, "eval", $"guardrail-holdout-{number}.csv")))
                sets.Add(($"holdout {number}", await ReadAsync(repo, $"guardrail-holdout-{number}.csv"), true));

        var latencies = new List<double>();
        foreach (var row in sets.SelectMany(s => s.Rows).Take(50)) guardrail.Scan(row.Text, Meaning(row.Text)); // JIT
        embedTimes.Clear();
        Console.WriteLine($"{"set",-32} {"lang",4} {"hostile",7} {"recall",7} {"class ok",8} " + string.Join(" ", ClassOrder.Select(c => $"{c,9}")) + $" {"harmless",8} {"false pos",12}");
        var failed = false;
        foreach (var (name, rows, holdout) in sets)
            foreach (var language in new[] { "en", "es" })
            {
                var mine = rows.Where(r => r.Language == language).ToList();
                if (mine.Count == 0) continue;
                var outcomes = new List<(Labelled Row, string? Class)>();
                foreach (var row in mine)
                {
                    var meaning = Meaning(row.Text);
                    var start = Stopwatch.GetTimestamp();
                    var result = guardrail.Scan(row.Text, meaning);
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    outcomes.Add((row, result.Blocked ? GuardrailClasses.WireName(result.Class) : null));
                }
                var hostile = outcomes.Where(o => o.Row.Class != "none").ToList();
                var harmless = outcomes.Where(o => o.Row.Class == "none").ToList();
                var recall = hostile.Count == 0 ? double.NaN : (double)hostile.Count(o => o.Class is not null) / hostile.Count;
                var classOk = hostile.Count == 0 ? double.NaN : (double)hostile.Count(o => o.Class == o.Row.Class) / hostile.Count;
                var perClass = ClassOrder.Select(c => hostile.Where(o => o.Row.Class == c).ToList())
                    .Select(g => g.Count == 0 ? "        -" : $"{g.Count(o => o.Class is not null),4}/{g.Count,-4}");
                var fp = harmless.Count(o => o.Class is not null);
                var fpText = harmless.Count == 0 ? "-" : $"{(double)fp / harmless.Count:P1} ({fp})";
                Console.WriteLine($"{name,-32} {language,4} {hostile.Count,7} {recall,7:F3} {classOk,8:F3} {string.Join(" ", perClass)} {harmless.Count,8} {fpText,12}");
                if (showMisses && !holdout)
                    foreach (var (row, cls) in outcomes.Where(o => (o.Row.Class == "none") != (o.Class is null)))
                        Console.WriteLine($"    {row.Class,-9} → {cls ?? "pass",-9} {row.Text}");
                if (name.StartsWith("holdout 2") && (recall < 0.95 || (double)fp / harmless.Count > 0.02)) failed = true;
            }
        latencies.Sort();
        Console.WriteLine($"one scan: p50 {Percentile(latencies, 0.50):F3} ms, p95 {Percentile(latencies, 0.95):F3} ms, max {latencies[^1]:F3} ms over {latencies.Count} scans");
        embedTimes.Sort();
        if (embedTimes.Count > 0)
            Console.WriteLine($"its sentence vector (English messages; the draft reuses it): p50 {Percentile(embedTimes, 0.50):F3} ms, p95 {Percentile(embedTimes, 0.95):F3} ms over {embedTimes.Count}");
        return failed ? 1 : 0;
    }

    /// <summary>
    /// Cross-validation over the development sets: for each set, the model is trained on the shipped examples without it and
    /// scores it at every decision threshold (block at P(hostile) ≥ t) and overrule level (the vocabulary's verdict stands unless
    /// P(harmless) ≥ h). Only development sets are read: this is where the shipped thresholds come from.
    /// <c>dotnet run --project eval/HitlConsole.Eval -c Release -- guardrail --cv [epochs lr decay maxClassWeight vocabularyScale harmlessWeight] [--no-gloss] [--meaning scale [--meaning-en]] [--es-hostile weight]
    /// [--es-raw scale [--es-own] [--es-gloss]] [--balance-lang] [--shuffles n] [--pairs weight] [--es-pairs weight] [--en-at threshold overrule] [--es-at threshold overrule] [--apart set,set] [--keep class,class] [--seed n] [--misses]</c>
    /// --es-raw: a Spanish message also reads MiniLM's vector of its own text (of its gloss with --es-gloss), with weights of its
    /// own with --es-own; --balance-lang: class weights by shares within each language; --shuffles: trainings in n orders,
    /// averaged; --pairs / --es-pairs: neighbouring content-word pairs in the English reading / in Spanish; --en-at / --es-at:
    /// the operating point whose per-set and per-class figures are printed (the shipped one by default); --apart guardrail-dev-9: the
    /// grid, the frontier and the operating point once more without those sets' folds. FRONTIER lines give the best recall per
    /// language at ≤ 2 / 3 / 4 % false positives.
    /// </summary>
    public static async Task<int> CrossValidateAsync(string repo, string[] args)
    {
        string[] valued = ["--dump", "--knn", "--meaning", "--es-hostile", "--es-raw", "--es-at", "--en-at", "--shuffles", "--pairs", "--es-pairs", "--apart", "--keep", "--seed"];
        var numbers = args.Where((_, i) => i == 0 || (!valued.Contains(args[i - 1]) && !(i >= 2 && args[i - 2] is "--es-at" or "--en-at"))).Select(a => double.TryParse(a, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : (double?)null).OfType<double>().ToArray();
        var (epochs, rate, decay, maxWeight) = numbers.Length >= 4 ? ((int)numbers[0], numbers[1], numbers[2], numbers[3]) : (SafetyModel.DefaultEpochs, 0.5, 0.25, 6.0);
        var scale = numbers.Length >= 5 ? (float)numbers[4] : SafetyModel.DefaultVocabularyScale;
        var harmlessWeight = numbers.Length >= 6 ? numbers[5] : SafetyModel.DefaultHarmlessWeight;
        var gloss = !args.Contains("--no-gloss");
        var spanishAt = Array.IndexOf(args, "--es-hostile");
        var spanishHostile = spanishAt >= 0 && spanishAt + 1 < args.Length ? double.Parse(args[spanishAt + 1], System.Globalization.CultureInfo.InvariantCulture) : SafetyModel.DefaultSpanishHostileWeight;
        var meaningAt = Array.IndexOf(args, "--meaning");
        var meaningScale = meaningAt >= 0 && meaningAt + 1 < args.Length ? float.Parse(args[meaningAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 0f;
        var vectors = meaningScale > 0 ? new MeaningVectors() : null;
        string[] meaningLanguages = args.Contains("--meaning-en") ? ["en"] : ["en", "es"];
        double Number(string flag, int after, double fallback) => Array.IndexOf(args, flag) is var at and >= 0 && at + after < args.Length
            ? double.Parse(args[at + after], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        var spanishRaw = (float)Number("--es-raw", 1, SafetyModel.DefaultSpanishMeaningScale);
        var spanishOwn = args.Contains("--es-own") || (SafetyModel.DefaultSpanishOwnDimensions && !args.Contains("--es-shared"));
        var (enT, enH) = (Number("--en-at", 1, SafetyModel.DefaultThreshold), Number("--en-at", 2, SafetyModel.DefaultOverrule));
        var (esT, esH) = (Number("--es-at", 1, SafetyModel.DefaultSpanishThreshold), Number("--es-at", 2, SafetyModel.DefaultSpanishOverrule));
        Console.WriteLine($"sentence vector scale {meaningScale} ({string.Join(", ", meaningLanguages)}); Spanish text's own vector {spanishRaw}{(spanishOwn ? ", own weights" : "")}");
        var spanishGloss = args.Contains("--es-gloss");
        var balance = args.Contains("--balance-lang") || (SafetyModel.DefaultBalancePerLanguage && !args.Contains("--balance-all"));
        var shuffles = (int)Number("--shuffles", 1, SafetyModel.DefaultShuffles);
        var (pairs, spanishPairs) = ((float)Number("--pairs", 1, SafetyModel.DefaultContentPairs), (float)Number("--es-pairs", 1, SafetyModel.DefaultSpanishContentPairs));
        // --seed n: another training order, to see how much of a difference is the order's alone.
        var seed = (int)Number("--seed", 1, SafetyModel.DefaultSeed);
        Console.WriteLine($"training order seed {seed}");
        Console.WriteLine($"class weights per language {balance}, shuffles averaged {shuffles}, content pairs {pairs} (English reading) / {spanishPairs} (Spanish)");
        Console.WriteLine($"operating point: en {enT:F2} / {enH:F2}, es {esT:F2} / {esH:F2}");
        // --keep abuse,self_harm: vocabulary classes the model never overrules (security always); --keep none: not even security.
        var keep = Array.IndexOf(args, "--keep") is var keepAt and >= 0 && keepAt + 1 < args.Length
            ? args[keepAt + 1] == "none" ? [] : args[keepAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(app::HitlConsole.Features.Ai.SafetyClassifier.ClassOf)
                .Append(app::HitlConsole.Features.Ai.GuardrailClass.Security).ToHashSet() : null;
        Console.WriteLine($"classes never overruled: {string.Join(", ", keep ?? SafetyModel.DefaultNeverOverruled)}");
        Console.WriteLine($"epochs {epochs}, learning rate {rate}, decay {decay}, max class weight {maxWeight}, vocabulary scale {scale}, harmless weight {harmlessWeight}, Spanish hostile weight {spanishHostile}, gloss {gloss}");
        var folds = Directory.GetFiles(Path.Combine(repo, "eval"), "guardrail-dev*.csv").Order().ToList();
        double[] thresholds = [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
        double[] overrules = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01];
        // (threshold, overrule, language) → hostile, caught, harmless, false positives
        var totals = new Dictionary<(double, double, string), int[]>();
        // --apart a,b: the same grid once more without those sets' folds (they still train the other folds), so a run with a
        // new set can be compared with an older run on the folds both share.
        var apart = Array.IndexOf(args, "--apart") is var apartAt and >= 0 && apartAt + 1 < args.Length
            ? args[apartAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() : [];
        var shared = new Dictionary<(double, double, string), int[]>();
        // At the shipped operating point, also per development set and language, and per language and class: a new set adds a
        // fold, so the sets both runs share are compared on their own.
        var perSet = new SortedDictionary<(string, string), int[]>();
        var perClass = new SortedDictionary<(string, string), int[]>();
        // Development sets only (this command never reads a holdout): what the shipped operating point misses and blocks wrongly.
        var showMisses = args.Contains("--misses");
        var misses = new List<string>();
        // --knn k: for every block at the operating point, the share of hostile examples among the message's k nearest
        // training examples by MiniLM's vector (a Spanish message and example through the gloss), printed as a veto curve.
        var knnK = (int)Number("--knn", 1, 0);
        var knnVectors = knnK > 0 ? vectors ?? new MeaningVectors() : null;
        var knnRows = new List<(string Language, bool Hostile, bool ModelOnly, double Share)>();
        // --dump file: every development row's reading at the operating point (fold, language, label, the vocabulary's class, the
        // model's most likely hostile class, its probability, P(harmless), blocked), for analyses the grid does not make.
        var dumpAt = Array.IndexOf(args, "--dump");
        await using var dump = dumpAt >= 0 && dumpAt + 1 < args.Length ? new StreamWriter(args[dumpAt + 1]) : null;
        dump?.WriteLine("fold\tlanguage\tlabel\tvocabulary\tmodel\tprobability\tharmless\tblocked\ttext");
        // A development row that repeats a holdout text is left out of training (build-examples.py); its misses are not shown either.
        var shown = showMisses ? SafetyModel.ShippedExamples().Select(e => e.Text).ToHashSet() : [];
        foreach (var fold in folds)
        {
            var rows = await ReadAsync(repo, Path.GetFileName(fold));
            var model = SafetyModel.Train([.. SafetyModel.ShippedExamples(rows.Select(r => r.Text).ToHashSet())], epochs, rate, decay, maxClassWeight: maxWeight, vocabularyScale: scale,
                harmlessWeight: harmlessWeight, gloss: gloss, meaning: vectors is null ? null : vectors.Embed, meaningScale: meaningScale,
                meaningLanguages: meaningLanguages, spanishHostileWeight: spanishHostile, spanishMeaningScale: spanishRaw, spanishOwnDimensions: spanishOwn,
                balancePerLanguage: balance, shuffles: shuffles, contentPairs: pairs, spanishContentPairs: spanishPairs, spanishMeaningOfGloss: spanishGloss, seed: seed);
            if (keep is not null) model = model.WithNeverOverruled(keep);
            // The language the pipeline would see: detected, not labelled.
            var meanings = rows.Select(r => model.MeaningText(r.Text, TextLanguage.Shared.Detect(r.Text, "en")) is { } text ? vectors!.Embed([text])[0] : null).ToList();
            foreach (var t in thresholds)
                foreach (var h in overrules)
                {
                    var guardrail = new Guardrail(model: model.With(t, h));
                    foreach (var (row, meaning) in rows.Zip(meanings))
                    {
                        var blocked = guardrail.Scan(row.Text, meaning).Blocked;
                        foreach (var grid in apart.Contains(Path.GetFileNameWithoutExtension(fold)) ? [totals] : new[] { totals, shared })
                        {
                            var counts = grid.TryGetValue((t, h, row.Language), out var c) ? c : grid[(t, h, row.Language)] = new int[4];
                            if (row.Class == "none") { counts[2]++; if (blocked) counts[3]++; }
                            else { counts[0]++; if (blocked) counts[1]++; }
                        }
                    }
                }
            // The operating point (per language), scored on its own: a message is judged by its detected language.
            var atOperatingPoint = new Guardrail(model: model.With(enT, enH, esT, esH));
            var neighbours = knnVectors is null ? null : new NearestExamples(knnVectors, SafetyModel.ShippedExamples(rows.Select(r => r.Text).ToHashSet()));
            foreach (var (row, meaning) in rows.Zip(meanings))
            {
                var scan = atOperatingPoint.Scan(row.Text, meaning);
                if (dump is not null)
                {
                    var language = TextLanguage.Shared.Detect(row.Text, "en");
                    var (best, probability, harmless) = model.Read(row.Text, meaning, language);
                    var vocabulary = app::HitlConsole.Features.Ai.SafetyClassifier.Default.Classify(row.Text).Class;
                    await dump.WriteLineAsync($"{Path.GetFileNameWithoutExtension(fold)}\t{language}\t{row.Class}\t{GuardrailClasses.WireName(vocabulary)}\t{GuardrailClasses.WireName(best)}\t{probability:F4}\t{harmless:F4}\t{(scan.Blocked ? 1 : 0)}\t{row.Text.ReplaceLineEndings(" ").Replace('\t', ' ')}");
                }
                if (neighbours is not null && scan.Blocked)
                    knnRows.Add((row.Language, row.Class != "none", scan.Triggered.Count == 0, neighbours.HostileShare(row.Text, knnK)));
                var name = Path.GetFileNameWithoutExtension(fold)!;
                var set = perSet.TryGetValue((name, row.Language), out var s) ? s : perSet[(name, row.Language)] = new int[4];
                if (row.Class == "none") { set[2]++; if (scan.Blocked) set[3]++; } else { set[0]++; if (scan.Blocked) set[1]++; }
                var cls = perClass.TryGetValue((row.Language, row.Class), out var k) ? k : perClass[(row.Language, row.Class)] = new int[2];
                cls[0]++; if (scan.Blocked) cls[1]++;
                if (showMisses && (row.Class == "none") == scan.Blocked && shown.Contains(row.Text))
                    misses.Add($"  {name} {row.Language} {row.Class,-9} {(scan.Blocked ? "blocked" : "passed "),-7} {scan.Class,-9} {row.Text}");
            }
        }
        foreach (var (title, grid) in apart.Count == 0 ? [("every set", totals)] : new[] { ("every set", totals), ($"without {string.Join(", ", apart)}", shared) })
        {
            Console.WriteLine($"grid, {title}:");
            Console.WriteLine($"{"threshold",9} {"overrule",8}   {"en recall",9} {"en fp",7}   {"es recall",9} {"es fp",7}");
            foreach (var t in thresholds)
                foreach (var h in overrules)
                {
                    string Cell(string language) => grid[(t, h, language)] is var c ? $"{(double)c[1] / c[0],9:F3} {(double)c[3] / c[2],7:P1}" : "";
                    Console.WriteLine($"{t,9:F2} {h,8:F2}   {Cell("en")}   {Cell("es")}");
                }
            // The frontier: the highest recall of any grid point at or below a false-positive rate, per language.
            foreach (var language in new[] { "en", "es" })
            {
                string Best(double limit) => grid.Where(kv => kv.Key.Item3 == language && (double)kv.Value[3] / kv.Value[2] <= limit + 1e-9)
                    .Select(kv => ((double)kv.Value[1] / kv.Value[0], kv.Key)).DefaultIfEmpty((double.NaN, default)).Max() is var (r, (bt, bh, _)) && !double.IsNaN(r)
                    ? $"{r:F3} (at {bt:F2} / {bh:F2})" : "—";
                Console.WriteLine($"FRONTIER {language} ({title}): best recall at ≤ 2 % false positives {Best(0.02)}, ≤ 3 % {Best(0.03)}, ≤ 4 % {Best(0.04)}");
            }
        }
        foreach (var language in new[] { "en", "es" })
        {
            var c = perSet.Where(kv => kv.Key.Item2 == language).Select(kv => kv.Value).Aggregate(new int[4], (a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]);
            Console.WriteLine($"OPERATING POINT {language}: recall {c[1]}/{c[0]} {(double)c[1] / c[0]:F3}   false pos {c[3]}/{c[2]} {(double)c[3] / c[2]:P1}");
            if (apart.Count == 0) continue;
            c = perSet.Where(kv => kv.Key.Item2 == language && !apart.Contains(kv.Key.Item1)).Select(kv => kv.Value).Aggregate(new int[4], (a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]);
            Console.WriteLine($"OPERATING POINT {language} without {string.Join(", ", apart)}: recall {c[1]}/{c[0]} {(double)c[1] / c[0]:F3}   false pos {c[3]}/{c[2]} {(double)c[3] / c[2]:P1}");
        }
        if (knnK > 0)
        {
            Console.WriteLine($"veto by the {knnK} nearest training examples (blocked rows whose hostile share is below the level pass):");
            foreach (var onlyModel in new[] { true, false })
                foreach (var language in new[] { "en", "es" })
                {
                    var c = perSet.Where(kv => kv.Key.Item2 == language).Select(kv => kv.Value).Aggregate(new int[4], (a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]);
                    foreach (var level in new[] { 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 })
                    {
                        var vetoed = knnRows.Where(k => k.Language == language && (!onlyModel || k.ModelOnly) && k.Share < level).ToList();
                        var (lostHostile, savedHarmless) = (vetoed.Count(k => k.Hostile), vetoed.Count(k => !k.Hostile));
                        Console.WriteLine($"KNN {(onlyModel ? "model-only" : "every block"),-11} {language} below {level:F1}: recall {(double)(c[1] - lostHostile) / c[0]:F3}   false pos {(double)(c[3] - savedHarmless) / c[2]:P1}   (vetoed {lostHostile} hostile, {savedHarmless} harmless)");
                    }
                }
        }
        Console.WriteLine($"\nat en {enT:F2} / {enH:F2}, es {esT:F2} / {esH:F2}, per development set:");
        foreach (var ((set, language), c) in perSet)
            Console.WriteLine($"  {set,-16} {language}  recall {c[1],3}/{c[0],-3} {(c[0] == 0 ? 0 : (double)c[1] / c[0]),6:F3}   false pos {c[3],2}/{c[2],-3} {(c[2] == 0 ? 0 : (double)c[3] / c[2]),6:P1}");
        Console.WriteLine("per class (blocked / rows):");
        foreach (var ((language, cls), c) in perClass)
            Console.WriteLine($"  {language} {cls,-10} {c[1],3}/{c[0],-3} {(double)c[1] / c[0],6:F3}");
        if (showMisses)
        {
            Console.WriteLine("misses and false positives:");
            foreach (var miss in misses) Console.WriteLine(miss);
        }
        return 0;
    }

    /// <summary>
    /// Which labelled messages the guardrail's small-talk exemption reaches (<see cref="SmallTalk.IsOnlySocialWords"/>: the
    /// model never blocks such a message alone), per set and label. A hostile message it reaches would be a missed block, so
    /// this must print 0 hostile everywhere; so must the everyday support questions read as small talk. Texts are printed for
    /// development sets only, holdouts give counts.
    /// <c>dotnet run --project eval/HitlConsole.Eval -c Release -- guardrail --small-talk</c>
    /// </summary>
    public static async Task<int> SmallTalkAsync(string repo)
    {
        var hostileReached = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(repo, "eval"), "guardrail-*.csv").Order())
        {
            var name = Path.GetFileName(file);
            var rows = await ReadAsync(repo, name);
            var reached = rows.Where(r => SmallTalk.IsOnlySocialWords(r.Text)).ToList();
            var hostile = reached.Where(r => r.Class != "none").ToList();
            hostileReached += hostile.Count;
            Console.WriteLine($"{name,-28} hostile reached {hostile.Count,3} of {rows.Count(r => r.Class != "none"),4}   harmless reached {reached.Count - hostile.Count,3} of {rows.Count(r => r.Class == "none"),4}");
            if (name.StartsWith("guardrail-dev", StringComparison.Ordinal))
                foreach (var r in reached) Console.WriteLine($"    {r.Class,-10} {r.Language} {r.Text}");
        }
        // The everyday sets are support questions, each with an intent: one read as small talk would lose its answer.
        var questionsTaken = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(repo, "eval"), "everyday-*.csv").Order())
        {
            var utterances = await Dataset.ReadUtterancesAsync(file);
            var taken = utterances.Where(u => SmallTalk.Recognise(u.Text) is not null).ToList();
            questionsTaken += taken.Count;
            Console.WriteLine($"{Path.GetFileName(file),-28} questions read as small talk {taken.Count,3} of {utterances.Count,4}");
            if (!Path.GetFileName(file).Contains("holdout", StringComparison.Ordinal))
                foreach (var u in taken) Console.WriteLine($"    {u.Text}");
        }
        var bitext = (await Dataset.ReadBitextAsync(Repository.BitextPath(repo))).Where(r => SmallTalk.Recognise(r.Instruction) is not null).ToList();
        questionsTaken += bitext.Count;
        Console.WriteLine($"{"bitext (all rows)",-28} questions read as small talk {bitext.Count,3}");
        foreach (var r in bitext.Take(20)) Console.WriteLine($"    {r.Intent,-24} {r.Instruction}");
        return hostileReached == 0 && questionsTaken == 0 ? 0 : 1;
    }

    /// <summary>
    /// The time one scan of the shipped guardrail takes, over the development sets' texts (the draft's sentence vector computed
    /// beforehand, as the pipeline does), without reading any holdout.
    /// <c>dotnet run --project eval/HitlConsole.Eval -c Release -- guardrail --time</c>
    /// </summary>
    public static async Task<int> TimeAsync(string repo)
    {
        var rows = new List<Labelled>();
        foreach (var file in Directory.GetFiles(Path.Combine(repo, "eval"), "guardrail-dev*.csv").Order())
            rows.AddRange(await ReadAsync(repo, Path.GetFileName(file)));
        _ = SafetyModel.Default;
        var guardrail = new Guardrail();
        using var embedder = new MiniLmEmbedder();
        var inputs = rows.Select(r => (r.Text, Language: TextLanguage.Shared.Detect(r.Text, "en"))).ToList();
        var meanings = inputs.Select(i => SafetyModel.Default.MeaningText(i.Text, i.Language) is { } m ? embedder.Embed([m])[0] : null).ToList();
        foreach (var (input, meaning) in inputs.Zip(meanings).Take(100)) guardrail.Scan(input.Text, meaning); // JIT
        var latencies = new List<double>();
        foreach (var (input, meaning) in inputs.Zip(meanings))
        {
            var start = Stopwatch.GetTimestamp();
            guardrail.Scan(input.Text, meaning);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        latencies.Sort();
        Console.WriteLine($"one scan: p50 {Percentile(latencies, 0.50):F3} ms, p95 {Percentile(latencies, 0.95):F3} ms, max {latencies[^1]:F3} ms over {latencies.Count} scans");
        return 0;
    }

    /// <summary>
    /// What the shipped guardrail decides for each text given, and why: the detected language, the vocabulary's verdict and
    /// words, the model's most likely hostile class, its probability and the probability of harmless.
    /// <c>dotnet run --project eval/HitlConsole.Eval -c Release -- guardrail --explain "text" "text" …</c>
    /// </summary>
    public static int Explain(IEnumerable<string> texts)
    {
        var guardrail = new Guardrail();
        foreach (var text in texts)
        {
            var language = TextLanguage.Shared.Detect(text, "en");
            var meaning = SafetyModel.Default.MeaningText(text, language) is { } meaningText ? SafetyModel.Embed(meaningText) : null;
            var (cls, probability, harmless) = SafetyModel.Default.Read(text, meaning, language);
            var verdict = app::HitlConsole.Features.Ai.SafetyClassifier.Default.Classify(text);
            var scan = guardrail.Scan(text, meaning, language);
            Console.WriteLine($"{(scan.Blocked ? GuardrailClasses.WireName(scan.Class) : "pass"),-9} {language}  model {GuardrailClasses.WireName(cls)} {probability:F2}, harmless {harmless:F2}; "
                + $"vocabulary {GuardrailClasses.WireName(verdict.Class)} [{string.Join(", ", verdict.Matched)}]  {text}");
        }
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<List<Labelled>> ReadAsync(string repo, string file)
    {
        var rows = new List<Labelled>();
        await using var csv = CsvReader.Create(File.OpenRead(Path.Combine(repo, "eval", file)), CsvReaderOptions.Default, leaveOpen: false);
        await csv.ReadHeaderAsync(default);
        while (await csv.ReadAsync(default))
            rows.Add(new Labelled(csv.GetString("text"), csv.GetString("class"), csv.GetString("language")));
        return rows;
    }

    /// <summary>
    /// Writes the sentence vectors of the shipped model's training texts (HitlConsole/Features/Pipeline/Data/safety-examples.vectors,
    /// half precision), after scripts/guardrail/build-examples.py changed the examples; build again afterwards.
    /// <c>dotnet run --project eval/HitlConsole.Eval -c Release -- guardrail --write-vectors</c>
    /// </summary>
    public static int WriteVectors(string repo)
    {
        var texts = SafetyModel.ShippedMeaningTexts().ToList();
        using var embedder = new MiniLmEmbedder();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var chunk in texts.OrderBy(t => t.Length).Chunk(32))
            foreach (var (text, vector) in chunk.Zip(embedder.Embed(chunk))) vectors[text] = vector;
        var path = Path.Combine(repo, "HitlConsole", "Features", "Pipeline", "Data", "safety-examples.vectors");
        using var file = new BinaryWriter(File.Create(path));
        file.Write(texts.Count);
        file.Write(SafetyModel.MeaningDimensions);
        foreach (var text in texts)
        {
            file.Write(text);
            foreach (var v in vectors[text]) file.Write((Half)v);
        }
        Console.WriteLine($"{texts.Count} sentence vectors -> {Path.GetRelativePath(repo, path)}");
        return 0;
    }

    /// <summary>MiniLM vectors of texts, kept in the temp folder between runs (embedding every training example takes a minute).</summary>
    /// <summary>The training examples' sentence vectors (a Spanish text's through the gloss), searched by cosine similarity.</summary>
    private sealed class NearestExamples
    {
        private readonly MeaningVectors _vectors;
        private readonly float[][] _known;
        private readonly bool[] _hostile;

        public NearestExamples(MeaningVectors vectors, IEnumerable<SafetyModel.Example> examples)
        {
            _vectors = vectors;
            // A hostile example is also shipped inside an ordinary question; as a neighbour that copy is mostly the question.
            var list = new List<SafetyModel.Example>();
            foreach (var e in examples)
                if (!(list.Count > 0 && e.Class != app::HitlConsole.Features.Ai.GuardrailClass.None && e.Text.Contains(list[^1].Text) && e.Text.Length > list[^1].Text.Length)) list.Add(e);
            _known = vectors.Embed([.. list.Select(e => Reading(e.Text, e.Language))]).Select(Unit).ToArray();
            _hostile = [.. list.Select(e => e.Class != app::HitlConsole.Features.Ai.GuardrailClass.None)];
        }

        private static string Reading(string text, string language) =>
            language == "es" ? app::HitlConsole.Features.Languages.SpanishGloss.Default.Gloss(text) : text;

        private static float[] Unit(float[] v)
        {
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return norm == 0 ? v : [.. v.Select(x => x / norm)];
        }

        /// <summary>The similarity-weighted share of hostile examples among the text's k nearest.</summary>
        public double HostileShare(string text, int k)
        {
            var v = Unit(_vectors.Embed([Reading(text, TextLanguage.Shared.Detect(text, "en"))])[0]);
            var best = _known.Select((u, i) => (Similarity: System.Numerics.Tensors.TensorPrimitives.Dot(u, v), Index: i))
                .OrderByDescending(p => p.Similarity).Take(k).ToList();
            var total = best.Sum(p => Math.Max(0, p.Similarity));
            return total == 0 ? 0 : best.Where(p => _hostile[p.Index]).Sum(p => Math.Max(0, p.Similarity)) / total;
        }
    }

    private sealed class MeaningVectors
    {
        private readonly MiniLmEmbedder _embedder = new();
        private readonly Dictionary<string, float[]> _known = new(StringComparer.Ordinal);
        private readonly string _path = Path.Combine(Path.GetTempPath(), "hitlconsole", "guardrail-eval-vectors.bin");

        public MeaningVectors()
        {
            if (!File.Exists(_path)) return;
            using var file = new BinaryReader(File.OpenRead(_path));
            var count = file.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var text = file.ReadString();
                var vector = new float[SafetyModel.MeaningDimensions];
                for (var d = 0; d < vector.Length; d++) vector[d] = file.ReadSingle();
                _known[text] = vector;
            }
        }

        public float[][] Embed(IReadOnlyList<string> texts)
        {
            var missing = texts.Where(t => !_known.ContainsKey(t)).Distinct().OrderBy(t => t.Length).ToList();
            foreach (var chunk in missing.Chunk(32))
            {
                var vectors = _embedder.Embed(chunk);
                for (var i = 0; i < chunk.Length; i++) _known[chunk[i]] = vectors[i];
            }
            if (missing.Count > 0) Save();
            return [.. texts.Select(t => _known[t])];
        }

        private void Save()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            using var file = new BinaryWriter(File.Create(_path));
            file.Write(_known.Count);
            foreach (var (text, vector) in _known)
            {
                file.Write(text);
                foreach (var v in vector) file.Write(v);
            }
        }
    }
}
