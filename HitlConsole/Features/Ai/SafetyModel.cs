using HitlConsole.Features.Languages;
using HitlConsole.Domain;

namespace HitlConsole.Features.Ai;

/// <summary>
/// The guardrail's second opinion: a multinomial logistic regression over hashed word, stem and character n-gram
/// features of the normalised text, trained at start-up or first use (≈ 1.5 s) on the labelled safety examples shipped with the
/// product (Data/safety-examples.csv) and on harmless support questions (the intent catalogue, the demo knowledge's
/// questions, every third). It catches paraphrases the vocabulary has no rule for; it blocks only above a high probability, so
/// harmless text stays harmless (docs/quality.md has the cross-validated figures).
/// </summary>
public sealed class SafetyModel
{
    private const int Buckets = 1 << 18;
    private static readonly GuardrailClass[] Classes =
    [
        GuardrailClass.None, GuardrailClass.Abuse, GuardrailClass.Politics, GuardrailClass.Medical, GuardrailClass.Emergency,
        GuardrailClass.Legal, GuardrailClass.SelfHarm, GuardrailClass.Security,
    ];

    private readonly float[][] _weights = Classes.Select(_ => new float[Buckets]).ToArray();
    private readonly float[] _bias = new float[Classes.Length];

    /// <summary>
    /// Probability a hostile class needs before the model blocks on its own. High on purpose: the model learns phrasings
    /// as well as topics, and at 0.6–0.7 "what do you think about the new jacket?" read as politics.
    /// </summary>
    public double Threshold { get; init; } = 0.85;

    public sealed record Example(string Text, GuardrailClass Class);

    private static readonly Lazy<SafetyModel> Shipped = new(() => Train([.. ShippedExamples()]));

    /// <summary>The model trained on the shipped examples; built once per process on first use.</summary>
    public static SafetyModel Default => Shipped.Value;

    /// <summary>The labelled safety examples, the intent catalogue's examples and every third demo question (harmless).</summary>
    public static IEnumerable<Example> ShippedExamples()
    {
        foreach (var (text, cls) in ReadCsv("HitlConsole.Pipeline.safety-examples.csv", "text", "class"))
            yield return new Example(text, SafetyClassifier.ClassOf(cls));
        foreach (var intent in IntentCatalogue.Default.Intents)
            foreach (var example in intent.Examples) yield return new Example(example, GuardrailClass.None);
        var i = 0;
        foreach (var (question, _) in ReadCsv("HitlConsole.Demo.bitext-demo.csv", "question", "intent"))
            if (i++ % 3 == 0) yield return new Example(question, GuardrailClass.None);
    }

    /// <summary>
    /// Two columns of an embedded CSV, read synchronously: training runs inside a lazy initialiser, where the CSV library's
    /// async reader would need a blocking wait. TextFieldParser handles quoted fields over several lines.
    /// </summary>
    private static IEnumerable<(string, string)> ReadCsv(string resource, string first, string second)
    {
        using var stream = typeof(SafetyModel).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is missing from the build.");
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(stream) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var header = parser.ReadFields() ?? [];
        var (i, j) = (Array.IndexOf(header, first), Array.IndexOf(header, second));
        while (parser.ReadFields() is { } fields)
            yield return (fields[i], fields[j]);
    }

    public static SafetyModel Train(IReadOnlyList<Example> examples, int epochs = 8, double learningRate = 0.2, double l2 = 1e-6, double threshold = 0.85)
    {
        var model = new SafetyModel { Threshold = threshold };
        var data = examples.Select(e => (Features: Features(e.Text), Label: Array.IndexOf(Classes, e.Class))).Where(d => d.Label >= 0).ToList();
        // Hostile classes are rare next to ordinary questions: each example weighs by the inverse of its class's share.
        var counts = data.GroupBy(d => d.Label).ToDictionary(g => g.Key, g => g.Count());
        var classWeight = counts.ToDictionary(kv => kv.Key, kv => Math.Min(4.0, (double)data.Count / (Classes.Length * kv.Value)));
        var order = Enumerable.Range(0, data.Count).ToArray();
        var random = new Random(20261130);
        var probabilities = new double[Classes.Length];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = learningRate / (1 + epoch);
            foreach (var i in order)
            {
                var (features, label) = data[i];
                model.Predict(features, probabilities);
                var w = classWeight[label];
                for (var c = 0; c < Classes.Length; c++)
                {
                    var gradient = (float)(rate * w * ((c == label ? 1 : 0) - probabilities[c]));
                    var row = model._weights[c];
                    foreach (var (bucket, value) in features) row[bucket] = (float)(row[bucket] * (1 - rate * l2) + gradient * value);
                    model._bias[c] += gradient;
                }
            }
        }
        return model;
    }

    /// <summary>The most likely hostile class when it is likely enough, else None; and its probability.</summary>
    public (GuardrailClass Class, double Probability) Classify(string text)
    {
        var probabilities = new double[Classes.Length];
        Predict(Features(text), probabilities);
        var best = 0;
        for (var c = 1; c < Classes.Length; c++)
            if (best == 0 || probabilities[c] > probabilities[best]) best = c;
        return probabilities[best] >= Threshold ? (Classes[best], probabilities[best]) : (GuardrailClass.None, probabilities[best]);
    }

    private void Predict(List<(int Bucket, float Value)> features, double[] probabilities)
    {
        var max = double.MinValue;
        for (var c = 0; c < Classes.Length; c++)
        {
            double z = _bias[c];
            var row = _weights[c];
            foreach (var (bucket, value) in features) z += row[bucket] * value;
            probabilities[c] = z;
            if (z > max) max = z;
        }
        double sum = 0;
        for (var c = 0; c < Classes.Length; c++) sum += probabilities[c] = Math.Exp(probabilities[c] - max);
        for (var c = 0; c < Classes.Length; c++) probabilities[c] /= sum;
    }

    /// <summary>Words (every reading), stems in both languages, adjacent word pairs and character 3–5-grams; L2-normalised.</summary>
    internal static List<(int Bucket, float Value)> Features(string text)
    {
        var positions = SafetyClassifier.Normalise(text);
        var counts = new Dictionary<int, float>();
        void Add(string feature, float weight) => counts[Bucket(feature)] = counts.GetValueOrDefault(Bucket(feature)) + weight;
        string? previous = null;
        foreach (var forms in positions)
        {
            var main = forms[^1];
            foreach (var f in forms) Add("w:" + f, 1);
            Add("s:" + TextAnalysis.Stem(main, "es"), 0.7f);
            Add("e:" + TextAnalysis.Stem(main, "en"), 0.7f);
            if (previous is not null) Add("b:" + previous + "_" + main, 0.8f);
            previous = main;
            var padded = "<" + main + ">";
            for (var n = 3; n <= 5; n++)
                for (var i = 0; i + n <= padded.Length; i++) Add("c:" + padded.Substring(i, n), 0.3f);
        }
        var norm = (float)Math.Sqrt(counts.Values.Sum(v => v * v));
        return norm == 0 ? [] : counts.Select(kv => (kv.Key, kv.Value / norm)).ToList();
    }

    /// <summary>FNV-1a: stable across processes (string.GetHashCode is randomised per process), so training is reproducible.</summary>
    private static int Bucket(string feature)
    {
        var hash = 2166136261u;
        foreach (var ch in feature) hash = (hash ^ ch) * 16777619u;
        return (int)(hash & (Buckets - 1));
    }
}
