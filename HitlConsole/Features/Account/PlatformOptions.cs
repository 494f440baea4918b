namespace HitlConsole.Features.Account;

/// <summary>Who runs the installation, besides the Admin created at first run.</summary>
public sealed class PlatformOptions
{
    public const string Section = "Platform";

    /// <summary>E-mails of users who are platform operators (create, suspend and delete workspaces) without a flag in the database.</summary>
    public string[] OperatorEmails { get; set; } = [];

    public bool IsListed(string? email) =>
        email is not null && OperatorEmails.Any(e => string.Equals(e.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase));
}
