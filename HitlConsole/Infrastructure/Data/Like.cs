namespace HitlConsole.Infrastructure.Data;

/// <summary>SQL LIKE patterns that take a person's text literally: their <c>%</c>, <c>_</c> and <c>\</c> match themselves.</summary>
public static class Like
{
    public const string EscapeChar = "\\";

    /// <summary>A pattern matching any text that holds <paramref name="text"/>.</summary>
    public static string Containing(string text) =>
        $"%{text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";

    /// <summary>
    /// A pattern for a column folded in SQL the same way (<c>replace()</c> of each accented letter, both cases, and <c>lower()</c>):
    /// lower case, Spanish accents and "ñ" folded, so "lucia" finds "Lucía" and "nunez" "Núñez" on both databases (SQLite's
    /// <c>lower()</c> folds only ASCII; PostgreSQL's <c>LIKE</c> tells cases apart).
    /// </summary>
    public static string ContainingFolded(string text) => Containing(FoldText(text));

    /// <summary>Lower case, with á é í ó ú ü ñ as a e i o u u n.</summary>
    public static string FoldText(string text)
    {
        var lower = text.ToLowerInvariant();
        foreach (var (accented, plain) in Accents) lower = lower.Replace(accented, plain, StringComparison.Ordinal);
        return lower;
    }

    private static readonly (string Accented, string Plain)[] Accents =
        [("á", "a"), ("é", "e"), ("í", "i"), ("ó", "o"), ("ú", "u"), ("ü", "u"), ("ñ", "n")];
}
