namespace HitlConsole.Infrastructure.Security;

/// <summary>
/// The one readable trace of a write-only secret (a channel token, a model API key): its last four characters, so an
/// Admin can tell which one is stored. A short secret shows nothing of itself, not even its length.
/// </summary>
public static class SecretHint
{
    public const string Masked = "••••";

    /// <summary>Secrets this short would give too much away in four characters.</summary>
    public const int ShortestRevealed = 9;

    /// <summary>Whether a stored hint shows an ending ("ends in …3a91"); a short secret's hint shows nothing of it.</summary>
    public static bool Reveals(string? hint) => hint is not null && hint != Masked;

    public static string? Of(string? secret) =>
        string.IsNullOrEmpty(secret) ? null : secret.Length < ShortestRevealed ? Masked : secret[^4..];
}
