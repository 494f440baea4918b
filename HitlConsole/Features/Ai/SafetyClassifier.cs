using System.Text;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// Classifies a customer text into the guardrail's classes (abuse, politics, medical, emergency, legal, self-harm,
/// security) in English and Spanish, before any model call. Built-in and not a word list an Admin edits: a weighted
/// vocabulary of words, stems and phrases (Data/safety-lexicon.txt) read over a normalised text — accents folded,
/// letter substitutions decoded ("1d10t4", "p3nd3j0"), spelled-out letters joined ("s.u.e"), stretched letters cut
/// ("idiotaaaa"), one typo forgiven on longer words — with innocent idioms masked first ("me muero de ganas",
/// "killer deal", "alta demanda", "política de devoluciones"). Figures per class and language: docs/quality.md.
/// </summary>
public sealed class SafetyClassifier
{
    public static SafetyClassifier Default { get; } = Load();

    /// <param name="Overrulable">
    /// Written <c>security~</c> in the lexicon: a word the guardrail's model may overrule even in a class it otherwise never
    /// overrules (<see cref="SafetyModel.NeverOverruled"/>), such as a customer reporting that their own account was hacked.
    /// </param>
    private sealed record Rule(GuardrailClass Class, double Weight, Token[] Tokens, string Text, bool Overrulable = false);

    /// <summary>One pattern word: exact or prefix (<c>word*</c>); <see cref="GapBefore"/> allows up to two other words before it.</summary>
    private sealed record Token(string Text, bool Prefix, bool GapBefore);

    private readonly List<Rule> _masks = [], _rules = [];

    /// <summary>Classes in the order they win when a text trips several: a person in danger first.</summary>
    public static readonly GuardrailClass[] Priority =
    [
        GuardrailClass.SelfHarm, GuardrailClass.Emergency, GuardrailClass.Security, GuardrailClass.Legal, GuardrailClass.Abuse,
        GuardrailClass.Medical, GuardrailClass.Politics,
    ];

    /// <param name="Overrulable">Whether the winning class was decided by overrulable words alone (<c>security~</c> in the lexicon).</param>
    public sealed record Verdict(GuardrailClass Class, IReadOnlyList<string> Matched, IReadOnlyDictionary<GuardrailClass, double> Scores,
        bool Overrulable = false);

    private static SafetyClassifier Load()
    {
        using var stream = typeof(SafetyClassifier).Assembly.GetManifestResourceStream("HitlConsole.Pipeline.safety-lexicon.txt")
            ?? throw new InvalidOperationException("The safety lexicon is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public static SafetyClassifier Parse(string lexicon)
    {
        var classifier = new SafetyClassifier();
        foreach (var raw in lexicon.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3) throw new FormatException($"Safety lexicon line '{line}' needs: class weight pattern.");
            var weight = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            var tokens = new List<Token>();
            var gap = false;
            foreach (var word in parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word == "_") { gap = true; continue; }
                var folded = TextAnalysis.Fold(word.TrimEnd('*'));
                if (folded.Length == 0) continue;
                tokens.Add(new Token(folded.Replace(" ", ""), word.EndsWith('*'), gap));
                gap = false;
            }
            if (parts[0] == "mask") classifier._masks.Add(new Rule(GuardrailClass.None, 0, [.. tokens], parts[2]));
            else classifier._rules.Add(new Rule(ClassOf(parts[0].TrimEnd('~')), weight, [.. tokens], parts[2], parts[0].EndsWith('~')));
        }
        return classifier;
    }

    public static GuardrailClass ClassOf(string name) => name switch
    {
        "abuse" => GuardrailClass.Abuse, "politics" => GuardrailClass.Politics, "medical" => GuardrailClass.Medical,
        "emergency" => GuardrailClass.Emergency, "legal" => GuardrailClass.Legal, "self_harm" => GuardrailClass.SelfHarm,
        "security" => GuardrailClass.Security, "none" => GuardrailClass.None,
        _ => throw new FormatException($"Unknown safety class '{name}'."),
    };

    public Verdict Classify(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new Verdict(GuardrailClass.None, [], new Dictionary<GuardrailClass, double>());
        var words = Normalise(text);
        var masked = new bool[words.Count];
        foreach (var mask in _masks)
            foreach (var (start, end) in Matches(words, mask.Tokens, masked))
                for (var i = start; i <= end; i++) masked[i] = true;

        var scores = new Dictionary<GuardrailClass, double>();
        var firm = new Dictionary<GuardrailClass, double>();
        var matched = new Dictionary<GuardrailClass, List<string>>();
        foreach (var rule in _rules)
        {
            if (!Matches(words, rule.Tokens, masked).Any()) continue;
            scores[rule.Class] = scores.GetValueOrDefault(rule.Class) + rule.Weight;
            if (!rule.Overrulable) firm[rule.Class] = firm.GetValueOrDefault(rule.Class) + rule.Weight;
            (matched.TryGetValue(rule.Class, out var list) ? list : matched[rule.Class] = []).Add(rule.Text.Replace("*", "").Replace(" _ ", " "));
        }
        var winner = Priority.FirstOrDefault(c => scores.GetValueOrDefault(c) >= 0.999, GuardrailClass.None);
        // Every matched word is reported, not only the winner's: a neutral reply must echo none of them.
        return new Verdict(winner, winner == GuardrailClass.None ? [] : [.. matched[winner], .. matched.Where(m => m.Key != winner).SelectMany(m => m.Value)], scores,
            winner != GuardrailClass.None && firm.GetValueOrDefault(winner) < 0.999);
    }

    /// <summary>Whether a word that alone decides <paramref name="cls"/> occurs in the text (a neutral reply must not name its trigger).</summary>
    public bool HasDecisiveWord(string text, GuardrailClass cls)
    {
        var words = Normalise(text);
        var masked = new bool[words.Count];
        return _rules.Any(r => r.Class == cls && r.Weight >= 1 && Matches(words, r.Tokens, masked).Any());
    }

    /// <summary>Where the pattern occurs (first and last word), skipping masked words.</summary>
    private static IEnumerable<(int Start, int End)> Matches(List<string[]> words, Token[] pattern, bool[] masked)
    {
        for (var start = 0; start < words.Count; start++)
        {
            if (masked[start] || !Fits(words[start], pattern[0])) continue;
            var end = MatchFrom(words, pattern, 1, start, masked);
            if (end >= 0) yield return (start, end);
        }
    }

    private static int MatchFrom(List<string[]> words, Token[] pattern, int index, int previous, bool[] masked)
    {
        if (index == pattern.Length) return previous;
        var token = pattern[index];
        var maxSkip = token.GapBefore ? 2 : 0;
        for (var next = previous + 1; next <= previous + 1 + maxSkip && next < words.Count; next++)
        {
            if (masked[next] || !Fits(words[next], token)) continue;
            var end = MatchFrom(words, pattern, index + 1, next, masked);
            if (end >= 0) return end;
        }
        return -1;
    }

    private static bool Fits(string[] forms, Token token)
    {
        foreach (var word in forms)
        {
            if (token.Prefix)
            {
                // No typo allowance on stems: "election*" one letter off is "electronica".
                if (word.StartsWith(token.Text, StringComparison.Ordinal)) return true;
            }
            else
            {
                if (word == token.Text) return true;
                // One letter off a long word is a typo, unless the word is itself a Spanish word the glossary knows: "dejando"
                // (leaving) is not "demando" (I sue), and "me están dejando sin respuesta" was held as a legal threat.
                if (token.Text.Length >= 7 && word.Length >= 7 && word[0] == token.Text[0] && Math.Abs(word.Length - token.Text.Length) <= 1
                    && Quickenshtein.Levenshtein.GetDistance(word, token.Text) <= 1 && !SpanishGloss.Default.Knows(word)) return true;
            }
        }
        return false;
    }

    private static readonly Dictionary<char, char> Leet = new()
    {
        ['0'] = 'o', ['1'] = 'i', ['3'] = 'e', ['4'] = 'a', ['5'] = 's', ['7'] = 't', ['@'] = 'a', ['$'] = 's', ['!'] = 'i', ['|'] = 'l',
    };

    /// <summary>Masked swear words ("f***", "sh*t", "p*ta"): the first letters and a star are enough to know the word.</summary>
    private static readonly (string Start, string Word)[] Starred =
        [("f", "fuck"), ("sh", "shit"), ("b", "bitch"), ("m", "mierda"), ("p", "puta"), ("c", "cabron"), ("i", "idiota"), ("a", "asshole")];

    /// <summary>The text's words, each with its alternative readings (as written, letter substitutions decoded, doubles cut).</summary>
    public static List<string[]> Normalise(string text)
    {
        var result = new List<string[]>();
        text = SpacedLetters.Replace(text, m => m.Value.Replace(" ", ""));
        foreach (var chunk in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = chunk.Count(char.IsLetter);
            var readings = new List<string> { chunk };
            if (letters > 0 && chunk.Any(c => Leet.ContainsKey(c)) && chunk.Trim('!', '?', '.', ',').Length > 0)
            {
                var trimmed = chunk.TrimEnd('!', '?', '.', ',', ';', ':');
                readings.Add(new string(trimmed.Select(c => Leet.GetValueOrDefault(c, c)).ToArray()));
            }
            if (chunk.Contains('*') && letters > 0)
                foreach (var (start, word) in Starred)
                    if (chunk.StartsWith(start, StringComparison.Ordinal)) { readings.Add(word); break; }
            // "s.u.e", "i-d-i-o-t": letters spelled out one by one are the word.
            if (letters >= 3 && chunk.Length >= 2 * letters - 1 && IsSpelledOut(chunk))
                readings.Add(new string(chunk.Where(char.IsLetter).ToArray()));

            // Each reading may still hold several words ("i'm" → "i m", "you're" → "you re").
            var split = readings.Select(r => TextAnalysis.Fold(r).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            var width = split[0].Length;
            if (width == 0)
            {
                var alt = split.Skip(1).FirstOrDefault(s => s.Length > 0);
                if (alt is null) continue;
                foreach (var w in alt) result.Add(Forms(w));
                continue;
            }
            for (var i = 0; i < width; i++)
            {
                var forms = new HashSet<string>(StringComparer.Ordinal);
                foreach (var s in split)
                    if (s.Length == width) forms.UnionWith(Forms(s[i]));
                    else if (s.Length == 1 && i == 0) forms.UnionWith(Forms(s[0]));
                result.Add([.. forms]);
            }
        }
        return result;
    }

    /// <summary>Four or more single letters with one space between ("f u c k i n g   i d i o t s"): one word each run.</summary>
    private static readonly System.Text.RegularExpressions.Regex SpacedLetters =
        new(@"(?<!\S)(?:\p{L} ){3,}\p{L}(?!\S)", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static bool IsSpelledOut(string chunk)
    {
        var core = chunk.Trim('!', '?', '.', ',');
        for (var i = 0; i < core.Length; i++)
            if (char.IsLetter(core[i]) == (i % 2 == 1)) return false;
        return core.Length >= 5;
    }

    private static string[] Forms(string word)
    {
        var collapsed = TextAnalysis.CollapseRepeats(word);
        var sb = new StringBuilder(collapsed.Length);
        foreach (var c in collapsed)
            if (sb.Length == 0 || sb[^1] != c) sb.Append(c);
        var single = sb.ToString();
        return word == collapsed && collapsed == single ? [word] : new[] { word, collapsed, single }.Distinct().ToArray();
    }
}
