namespace HitlConsole.Infrastructure.Security;

public static class LocalUrl
{
    /// <summary>True for app-relative paths only; rejects "//host", "/\host" and absolute URLs (open redirects).</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);

    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";
}
