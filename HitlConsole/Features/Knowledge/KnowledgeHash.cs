using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace HitlConsole.Features.Knowledge;

public static class KnowledgeHash
{
    /// <summary>
    /// Identity of an entry's content: case and surrounding/inner whitespace do not count. The hex SHA-256 of
    /// "question\nanswer", each with its whitespace runs folded to one space, trimmed and lower-cased (invariant). Built
    /// in one pooled buffer: an import hashes every row, and splitting and joining the words cost a second per 100,000.
    /// </summary>
    public static string Of(string question, string answer)
    {
        var chars = ArrayPool<char>.Shared.Rent(question.Length + answer.Length + 1);
        var lower = ArrayPool<char>.Shared.Rent(chars.Length);
        try
        {
            var length = Normalise(question, chars, 0);
            chars[length++] = '\n';
            length = Normalise(answer, chars, length);
            var text = chars.AsSpan(0, length);
            text.ToLowerInvariant(lower);
            return HexOfUtf8(lower.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<char>.Shared.Return(lower);
        }
    }

    /// <summary>Copies <paramref name="s"/> into <paramref name="target"/> at <paramref name="at"/>, words separated by one space.</summary>
    private static int Normalise(string s, char[] target, int at)
    {
        var start = at;
        var inWord = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c)) { inWord = false; continue; }
            if (!inWord && at > start) target[at++] = ' ';
            inWord = true;
            target[at++] = c;
        }
        return at;
    }

    private static string HexOfUtf8(ReadOnlySpan<char> text)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(text, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, count), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
