using System.Security.Cryptography;
using System.Text;
using CsvHelper;

namespace HitlConsole.Eval;

public sealed record Utterance(string Text, string Intent);

public sealed record BitextRow(string Instruction, string Response, string Category, string Intent);

/// <summary>The Bitext sample and the reproducible split both the demo knowledge and the evaluation use.</summary>
public static class Dataset
{
    /// <summary>One row in five is held out, chosen by the SHA-256 of the utterance so the split never depends on file order.</summary>
    public static bool IsHeldOut(string instruction) => SHA256.HashData(Encoding.UTF8.GetBytes(instruction))[0] % 5 == 0;

    public static async Task<List<BitextRow>> ReadBitextAsync(string path)
    {
        var rows = new List<BitextRow>();
        await using var csv = CsvReader.Create(File.OpenRead(path), CsvReaderOptions.Default, leaveOpen: false);
        await csv.ReadHeaderAsync(default);
        while (await csv.ReadAsync(default))
            rows.Add(new BitextRow(csv.GetString("instruction"), csv.GetString("response"), csv.GetString("category"), csv.GetString("intent")));
        return rows;
    }

    /// <summary>An out-of-scope set: text and language, no intent (none of the knowledge's intents answers them).</summary>
    public static async Task<List<(string Text, string Language)>> ReadOutOfScopeAsync(string path)
    {
        var rows = new List<(string, string)>();
        await using var csv = CsvReader.Create(File.OpenRead(path), CsvReaderOptions.Default, leaveOpen: false);
        await csv.ReadHeaderAsync(default);
        while (await csv.ReadAsync(default)) rows.Add((csv.GetString("text"), csv.GetString("language")));
        return rows;
    }

    public static async Task<List<Utterance>> ReadUtterancesAsync(string path)
    {
        var rows = new List<Utterance>();
        await using var csv = CsvReader.Create(File.OpenRead(path), CsvReaderOptions.Default, leaveOpen: false);
        await csv.ReadHeaderAsync(default);
        while (await csv.ReadAsync(default))
            rows.Add(new Utterance(csv.GetString("text"), csv.GetString("intent")));
        return rows;
    }
}
