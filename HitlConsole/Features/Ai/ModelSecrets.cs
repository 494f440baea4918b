using Microsoft.AspNetCore.DataProtection;

namespace HitlConsole.Features.Ai;

/// <summary>Model API keys at rest: Data Protection payloads, with only a <see cref="Infrastructure.Security.SecretHint"/> kept readable.</summary>
public sealed class ModelSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("HitlConsole.ModelProfiles.ApiKey.v1");

    public string Protect(string apiKey) => _protector.Protect(apiKey);

    public string? Unprotect(string? protectedKey) => string.IsNullOrEmpty(protectedKey) ? null : _protector.Unprotect(protectedKey);
}
