namespace HitlConsole.Infrastructure.Data;

/// <summary>SQL LIKE patterns that take a person's text literally: their <c>%</c>, <c>_</c> and <c>\</c> match themselves.</summary>
public static class Like
{
    public const string EscapeChar = "\\";

    /// <summary>A pattern matching any text that holds <paramref name="text"/>.</summary>
    public static string Containing(string text) =>
        $"%{text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
}
