using System.Security.Cryptography;
using System.Text;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>Meta's X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret.</summary>
public static class WhatsAppSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static bool IsValid(string? header, ReadOnlySpan<byte> body, byte[] appSecret)
    {
        if (header is null || !header.StartsWith("sha256=", StringComparison.Ordinal) || header.Length != 7 + 64) return false;
        Span<byte> claimed = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(7), claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return false;
        Span<byte> actual = stackalloc byte[32];
        HMACSHA256.HashData(appSecret, body, actual);
        return CryptographicOperations.FixedTimeEquals(claimed, actual);
    }

    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    public static bool TokenEquals(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
