using System.Security.Cryptography;
using System.Text;

namespace HitlConsole.Features.Knowledge;

public static class KnowledgeHash
{
    /// <summary>Identity of an entry's content: case and surrounding/inner whitespace do not count.</summary>
    public static string Of(string question, string answer)
    {
        var text = Normalise(question) + "\n" + Normalise(answer);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Normalise(string s) =>
        string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
