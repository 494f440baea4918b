namespace HitlConsole.Features.Account;

/// <summary>An account the sign-in page lists for someone trying the product (the demo's users).</summary>
public sealed record SignInHint(string Email, string Role, string Name);

/// <summary>
/// What the sign-in page may tell a visitor about accounts to try: none in a real workspace; the demo feature provides its
/// users (and, where it is the Development default, their password).
/// </summary>
public interface ISignInHints
{
    IReadOnlyList<SignInHint> Accounts { get; }
    /// <summary>Shown under the list only when not null.</summary>
    string? Password { get; }
}

/// <summary>Nothing to suggest: the default when the demo is off.</summary>
public sealed class NoSignInHints : ISignInHints
{
    public IReadOnlyList<SignInHint> Accounts => [];
    public string? Password => null;
}
