namespace HitlConsole.Eval;

/// <summary>
/// Questions the demo knowledge does not answer (gift wrapping, store hours, a product's material…), per language: how many
/// drafts honestly say so, and how many would have gone out on their own with another intent's answer.
/// </summary>
internal static class OutOfScopeEvaluation
{
    public static bool Handles(string path) => Path.GetFileName(path).StartsWith("out-of-scope-");

    public static async Task ScoreAsync(HttpClient http, string repo, string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var untouched = name.Contains("holdout");
        var rows = await Dataset.ReadOutOfScopeAsync(Path.Combine(repo, path));
        foreach (var language in rows.Select(r => r.Language).Distinct().Order())
        {
            int honest = 0, sure = 0, held = 0;
            var confidences = new List<int>();
            var misses = new List<string>();
            var set = rows.Where(r => r.Language == language).ToList();
            foreach (var (text, _) in set)
            {
                var draft = await Evaluation.DraftAsync(http, text);
                if (draft.Guardrail.Blocked) held++;
                else if (draft.OutOfKnowledge) honest++;
                else
                {
                    confidences.Add(draft.Confidence);
                    if (draft.Confidence >= Evaluation.AutoSendThreshold) sure++;
                    misses.Add($"  {text}  →  {draft.Intent} {draft.Confidence}");
                }
            }
            Console.WriteLine($"{language}  {name}{(untouched ? " (untouched)" : "")}: {set.Count} questions, out of knowledge {honest / (double)set.Count:F3}, " +
                $"answered as sure (≥ {Evaluation.AutoSendThreshold}) {sure / (double)set.Count:F3}, held {held}, " +
                $"median confidence of the answered {(confidences.Count == 0 ? 0 : confidences.Order().ElementAt(confidences.Count / 2))}");
            // Misses of an untouched set are not printed: reading them would make it development data.
            if (!untouched) foreach (var m in misses) Console.WriteLine(m);
        }
    }
}
