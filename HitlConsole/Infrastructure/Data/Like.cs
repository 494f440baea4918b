using System.Linq.Expressions;
using System.Reflection;

namespace HitlConsole.Infrastructure.Data;

/// <summary>SQL LIKE patterns that take a person's text literally: their <c>%</c>, <c>_</c> and <c>\</c> match themselves.</summary>
public static class Like
{
    public const string EscapeChar = "\\";

    /// <summary>A pattern matching any text that holds <paramref name="text"/>.</summary>
    public static string Containing(string text) => $"%{Literal(text)}%";

    /// <summary>A pattern matching any text that begins with <paramref name="text"/>.</summary>
    public static string StartingWith(string text) => $"{Literal(text)}%";

    private static string Literal(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

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

    /// <summary>
    /// A column folded like <see cref="FoldText"/>, for a <c>LIKE</c> against <see cref="ContainingFolded"/>. Only inside
    /// <see cref="WhereFolded{T}"/>, which spells it out in SQL; called directly it folds in memory.
    /// </summary>
    public static string Fold(string? column) => FoldText(column ?? "");

    /// <summary>
    /// <see cref="Queryable.Where{T}(IQueryable{T}, Expression{Func{T, bool}})"/> with each <see cref="Fold"/> of a column written
    /// as <c>lower()</c> and <c>replace()</c> of each accented letter, both cases (SQLite's <c>lower()</c> folds only ASCII), which
    /// both databases run: a search by name finds "Lucía" from "lucia" without a folded copy of the column.
    /// </summary>
    public static IQueryable<T> WhereFolded<T>(this IQueryable<T> rows, Expression<Func<T, bool>> predicate) =>
        rows.Where((Expression<Func<T, bool>>)new FoldInSql().Visit(predicate));

    private sealed class FoldInSql : ExpressionVisitor
    {
        private static readonly MethodInfo FoldMethod = typeof(Like).GetMethod(nameof(Fold))!;
        private static readonly MethodInfo Replace = typeof(string).GetMethod(nameof(string.Replace), [typeof(string), typeof(string)])!;
        private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method != FoldMethod) return base.VisitMethodCall(node);
            Expression text = Expression.Coalesce(Visit(node.Arguments[0]), Expression.Constant(""));
            foreach (var (accented, plain) in Accents)
                text = Expression.Call(text, Replace, Expression.Constant(accented.ToUpperInvariant()), Expression.Constant(plain));
            text = Expression.Call(text, ToLower);
            foreach (var (accented, plain) in Accents)
                text = Expression.Call(text, Replace, Expression.Constant(accented), Expression.Constant(plain));
            return text;
        }
    }

    private static readonly (string Accented, string Plain)[] Accents =
        [("á", "a"), ("é", "e"), ("í", "i"), ("ó", "o"), ("ú", "u"), ("ü", "u"), ("ñ", "n")];
}
