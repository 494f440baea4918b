using System.Numerics.Tensors;

namespace HitlConsole.Features.Ai.Lexical;

/// <summary>
/// A multinomial logistic regression over sparse features (a dense vector is ids 0…n−1), trained by stochastic gradient
/// descent in a fixed order (seeded shuffles): the same examples always give the same weights.
/// </summary>
public sealed class SoftmaxRegression
{
    private readonly string[] _classes;
    private readonly float[][] _weights;
    private readonly float[] _bias;

    private SoftmaxRegression(string[] classes, int width) =>
        (_classes, _weights, _bias) = (classes, classes.Select(_ => new float[width]).ToArray(), new float[classes.Length]);

    /// <param name="width">How many feature ids there are.</param>
    /// <param name="epochs">Passes over the examples; the rate falls as 1 / (1 + 0.1 · epoch).</param>
    /// <param name="orders">
    /// Trainings in as many shuffled orders, their weights averaged. With one order, a single example added to the catalogue
    /// reshuffles every pass, and messages far from it change intent; the average moves only where the examples do.
    /// </param>
    public static SoftmaxRegression Train(IReadOnlyList<(string Label, (int Id, float Value)[] Features)> examples, int width,
        int epochs, double rate, double l2, int seed = 20261204, int orders = 1)
    {
        var classes = examples.Select(e => e.Label).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        var labels = examples.Select(e => Array.FindIndex(classes, c => string.Equals(c, e.Label, StringComparison.OrdinalIgnoreCase))).ToArray();
        // Dense examples (a sentence vector) are trained with vector arithmetic: id by id, 100 passes over the catalogue's
        // MiniLM vectors took 3.4 s.
        var dense = examples.Select(e => IsDense(e.Features, width) ? e.Features.Select(f => f.Value).ToArray() : null).ToArray();

        var average = TrainOnce(examples, dense, classes, labels, width, epochs, rate, l2, seed);
        for (var o = 1; o < orders; o++)
        {
            var next = TrainOnce(examples, dense, classes, labels, width, epochs, rate, l2, seed + o);
            for (var c = 0; c < classes.Length; c++)
            {
                TensorPrimitives.Add(average._weights[c], next._weights[c], average._weights[c]);
                average._bias[c] += next._bias[c];
            }
        }
        if (orders > 1)
            for (var c = 0; c < classes.Length; c++)
            {
                TensorPrimitives.Multiply(average._weights[c], 1f / orders, average._weights[c]);
                average._bias[c] /= orders;
            }
        return average;
    }

    private static SoftmaxRegression TrainOnce(IReadOnlyList<(string Label, (int Id, float Value)[] Features)> examples, float[]?[] dense,
        string[] classes, int[] labels, int width, int epochs, double rate, double l2, int seed)
    {
        var model = new SoftmaxRegression(classes, width);
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(seed);
        var p = new double[classes.Length];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            var step = rate / (1 + 0.1 * epoch);
            var decay = (float)(1 - step * l2);
            foreach (var i in order)
            {
                if (dense[i] is { } x)
                {
                    model.StepDense(x, labels[i], step, decay, p);
                    continue;
                }
                var features = examples[i].Features;
                model.Predict(features, p);
                for (var c = 0; c < classes.Length; c++)
                {
                    var g = (float)(step * ((c == labels[i] ? 1 : 0) - p[c]));
                    var row = model._weights[c];
                    foreach (var (id, value) in features) row[id] = row[id] * decay + g * value;
                    model._bias[c] += g;
                }
            }
        }
        return model;
    }

    private void StepDense(float[] x, int label, double step, float decay, double[] p)
    {
        var max = double.MinValue;
        for (var c = 0; c < _weights.Length; c++)
        {
            p[c] = _bias[c] + (double)TensorPrimitives.Dot(_weights[c], x);
            if (p[c] > max) max = p[c];
        }
        Normalise(p, max, _weights.Length);
        for (var c = 0; c < _weights.Length; c++)
        {
            var g = (float)(step * ((c == label ? 1 : 0) - p[c]));
            var row = _weights[c];
            TensorPrimitives.Multiply(row, decay, row);
            TensorPrimitives.MultiplyAdd(x, g, row, row);
            _bias[c] += g;
        }
    }

    private static bool IsDense((int Id, float Value)[] features, int width)
    {
        if (features.Length != width) return false;
        for (var i = 0; i < features.Length; i++)
            if (features[i].Id != i) return false;
        return true;
    }

    private void Predict((int Id, float Value)[] features, double[] p) => Softmax(_weights, _bias, features, p);

    /// <summary>
    /// Each class's probability for sparse features under one weight row per class (the guardrail's model reads the same way):
    /// the scores, less their maximum so the exponentials cannot overflow, normalised.
    /// </summary>
    internal static void Softmax(float[][] weights, float[] bias, ReadOnlySpan<(int Id, float Value)> features, Span<double> p)
    {
        var max = double.MinValue;
        for (var c = 0; c < weights.Length; c++)
        {
            double z = bias[c];
            var row = weights[c];
            foreach (var (id, value) in features) z += row[id] * value;
            p[c] = z;
            if (z > max) max = z;
        }
        Normalise(p, max, weights.Length);
    }

    /// <summary>Scores into probabilities: each less the maximum (so no exponential overflows), exponentiated, normalised.</summary>
    private static void Normalise(Span<double> p, double max, int count)
    {
        double sum = 0;
        for (var c = 0; c < count; c++) sum += p[c] = Math.Exp(p[c] - max);
        for (var c = 0; c < count; c++) p[c] /= sum;
    }

    /// <summary>Each class's probability for the features.</summary>
    public IReadOnlyDictionary<string, double> Probabilities((int Id, float Value)[] features)
    {
        var p = new double[_classes.Length];
        Predict(features, p);
        return _classes.Select((c, i) => (c, p[i])).ToDictionary(x => x.c, x => x.Item2, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A dense vector as features.</summary>
    public static (int Id, float Value)[] Dense(float[] vector) => vector.Select((v, i) => (i, v)).ToArray();
}
