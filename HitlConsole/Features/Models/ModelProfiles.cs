using HitlConsole.Features.Ai;
using System.Diagnostics;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Models;

/// <summary>What the admin UI may see of a profile: the key only as a hint and the date it was set.</summary>
public sealed record ModelProfileView(
    Guid Id, string Name, ModelProviderKind Kind, string? BaseUrl, string? Model, string? ApiKeyHint, DateTime? ApiKeySetUtc,
    double Temperature, int MaxTokens, int TimeoutSeconds, int? ChainOrder, string? PreferredIntents, DateTime UpdatedUtc);

public sealed class ModelProfileInput
{
    public string Name { get; set; } = "";
    public ModelProviderKind Kind { get; set; } = ModelProviderKind.OpenAiCompatible;
    public string? BaseUrl { get; set; } = "http://localhost:1234/v1";
    public string? Model { get; set; }
    /// <summary>Write-only: a new key replaces the stored one; empty keeps it.</summary>
    public string? NewApiKey { get; set; }
    public bool RemoveApiKey { get; set; }
    public double Temperature { get; set; } = 0.2;
    public int MaxTokens { get; set; } = 800;
    public int TimeoutSeconds { get; set; } = 30;
    public int? ChainOrder { get; set; }
    public string? PreferredIntents { get; set; }
}

public sealed record ConnectionCheck(bool Ok, IReadOnlyList<string> Models, long LatencyMs, string? Error);

/// <summary>Model profiles and the routing chain, for Admins. Every change is audited without the key.</summary>
public sealed class ModelProfiles(
    IDbContextFactory<HitlDbContext> factory, ModelSecrets secrets, OpenAiCompatibleModel openAi, TenantContext tenant, TimeProvider clock)
{
    public static readonly IReadOnlyList<(string Name, string BaseUrl)> Presets =
    [
        ("LM Studio", "http://localhost:1234/v1"), ("Ollama", "http://localhost:11434/v1"), ("OpenAI", "https://api.openai.com/v1"),
    ];

    public async Task<IReadOnlyList<ModelProfileView>> ListAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.ModelProfiles.AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(p => p.ChainOrder ?? int.MaxValue).ThenBy(p => p.Name).Select(View).ToList();
    }

    public static Dictionary<string, string> Validate(ModelProfileInput input)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100) errors[nameof(input.Name)] = "ModelErrorName";
        if (input.Kind == ModelProviderKind.OpenAiCompatible)
        {
            if (!Uri.TryCreate(input.BaseUrl?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors[nameof(input.BaseUrl)] = "ModelErrorBaseUrl";
            if (string.IsNullOrWhiteSpace(input.Model) || input.Model.Trim().Length > 200) errors[nameof(input.Model)] = "ModelErrorModel";
        }
        if (input.Temperature is < 0 or > 2) errors[nameof(input.Temperature)] = "ModelErrorTemperature";
        if (input.MaxTokens is < 16 or > 32000) errors[nameof(input.MaxTokens)] = "ModelErrorMaxTokens";
        if (input.TimeoutSeconds is < 1 or > 300) errors[nameof(input.TimeoutSeconds)] = "ModelErrorTimeout";
        if (input.ChainOrder is < 0 or > 99) errors[nameof(input.ChainOrder)] = "ModelErrorChainOrder";
        if (input.NewApiKey?.Length > 500) errors[nameof(input.NewApiKey)] = "ModelErrorApiKey";
        return errors;
    }

    /// <summary>Creates (id null) or updates a profile; returns field errors as resource keys, empty when saved.</summary>
    public async Task<Dictionary<string, string>> SaveAsync(Guid? id, ModelProfileInput input, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return errors;
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = input.Name.Trim();
        if (await db.ModelProfiles.AnyAsync(p => p.Name == name && p.Id != id, ct))
            return new() { [nameof(input.Name)] = "ModelErrorNameTaken" };

        var now = clock.GetUtcNow().UtcDateTime;
        var profile = id is null ? null : await db.ModelProfiles.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (id is not null && profile is null) return new() { [""] = "ModelErrorGone" };
        var before = profile is null ? null : Audited(profile);
        if (profile is null)
        {
            profile = new ModelProfile { Name = name, CreatedUtc = now };
            db.ModelProfiles.Add(profile);
        }
        profile.Name = name;
        profile.Kind = input.Kind;
        profile.BaseUrl = input.Kind == ModelProviderKind.BuiltIn ? null : input.BaseUrl!.Trim().TrimEnd('/');
        profile.Model = input.Kind == ModelProviderKind.BuiltIn ? null : input.Model!.Trim();
        profile.Temperature = input.Temperature;
        profile.MaxTokens = input.MaxTokens;
        profile.TimeoutSeconds = input.TimeoutSeconds;
        profile.ChainOrder = input.ChainOrder;
        profile.PreferredIntents = string.IsNullOrWhiteSpace(input.PreferredIntents) ? null : input.PreferredIntents.Trim();
        if (input.RemoveApiKey) (profile.ApiKeyProtected, profile.ApiKeyHint, profile.ApiKeySetUtc) = (null, null, null);
        if (!string.IsNullOrWhiteSpace(input.NewApiKey))
        {
            var apiKey = input.NewApiKey.Trim();
            (profile.ApiKeyProtected, profile.ApiKeyHint, profile.ApiKeySetUtc) = (secrets.Protect(apiKey), Infrastructure.Security.SecretHint.Of(apiKey), now);
        }
        profile.UpdatedUtc = now;
        db.Record(tenant.UserId, before is null ? "model-profile.created" : "model-profile.updated", nameof(ModelProfile), profile.Id.ToString(),
            before, Audited(profile), now);
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>
    /// Whether the chain has no built-in model: then a dead endpoint or a wrong key leaves every message without a draft. A
    /// workspace without profiles drafts with the built-in model, so adding its first model silently took that fallback away.
    /// </summary>
    public static bool LacksFallback(IReadOnlyList<ModelProfileView> rows) =>
        rows.Any(r => r.ChainOrder is not null) && !rows.Any(r => r.ChainOrder is not null && r.Kind == ModelProviderKind.BuiltIn);

    /// <summary>
    /// Puts the built-in model at the end of the chain: a built-in profile already kept out of the chain rejoins it, otherwise
    /// one is created under <paramref name="name"/>. False when the chain already ends with a fallback (two Admins clicking).
    /// </summary>
    public async Task<bool> AddBuiltInFallbackAsync(string name, CancellationToken ct)
    {
        var rows = await ListAsync(ct);
        if (!LacksFallback(rows)) return false;
        var last = rows.Where(r => r.ChainOrder is not null).Max(r => r.ChainOrder!.Value);
        var existing = rows.FirstOrDefault(r => r.Kind == ModelProviderKind.BuiltIn);
        var input = new ModelProfileInput { Name = existing?.Name ?? name, Kind = ModelProviderKind.BuiltIn, ChainOrder = Math.Min(99, last + 1) };
        if (existing is not null)
            (input.Temperature, input.MaxTokens, input.TimeoutSeconds, input.PreferredIntents) = (existing.Temperature, existing.MaxTokens, existing.TimeoutSeconds, existing.PreferredIntents);
        return (await SaveAsync(existing?.Id, input, ct)).Count == 0;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var profile = await db.ModelProfiles.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (profile is null) return false;
        db.ModelProfiles.Remove(profile);
        db.Record(tenant.UserId, "model-profile.deleted", nameof(ModelProfile), id.ToString(), Audited(profile), null, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>"Test connection" and "list models" in one: GET {base}/models with the stored (or newly typed) key.</summary>
    public async Task<ConnectionCheck> CheckAsync(Guid? id, ModelProfileInput input, CancellationToken ct)
    {
        if (input.Kind == ModelProviderKind.BuiltIn) return new ConnectionCheck(true, [BuiltInModel.ModelName], 0, null);
        if (!Uri.TryCreate(input.BaseUrl?.Trim(), UriKind.Absolute, out _)) return new ConnectionCheck(false, [], 0, "BaseUrl");
        string? storedKey = null;
        if (id is not null && string.IsNullOrWhiteSpace(input.NewApiKey) && !input.RemoveApiKey)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            storedKey = await db.ModelProfiles.Where(p => p.Id == id).Select(p => p.ApiKeyProtected).SingleOrDefaultAsync(ct);
        }
        var probe = new ModelProfile
        {
            Id = Guid.NewGuid(), Name = input.Name, Kind = input.Kind, BaseUrl = input.BaseUrl!.Trim().TrimEnd('/'), Model = input.Model,
            TimeoutSeconds = Math.Clamp(input.TimeoutSeconds, 1, 30),
            ApiKeyProtected = string.IsNullOrWhiteSpace(input.NewApiKey) ? storedKey : secrets.Protect(input.NewApiKey.Trim()),
        };
        var watch = Stopwatch.StartNew();
        try
        {
            var models = await openAi.ListModelsAsync(probe, ct);
            // Reachable, but the model the profile names is not served there: drafts would fail the same way.
            var model = input.Model?.Trim();
            if (!string.IsNullOrEmpty(model) && models.Count > 0 && !models.Contains(model, StringComparer.Ordinal))
                return new ConnectionCheck(false, models, watch.ElapsedMilliseconds, "UnknownModel");
            return new ConnectionCheck(true, models, watch.ElapsedMilliseconds, null);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return new ConnectionCheck(false, [], watch.ElapsedMilliseconds, ConnectionFailure.Classify(ex));
        }
    }

    private static ModelProfileView View(ModelProfile p) => new(p.Id, p.Name, p.Kind, p.BaseUrl, p.Model, p.ApiKeyHint, p.ApiKeySetUtc,
        p.Temperature, p.MaxTokens, p.TimeoutSeconds, p.ChainOrder, p.PreferredIntents, p.UpdatedUtc);

    /// <summary>The audit trail records that a key changed (hint and date), never the key.</summary>
    private static object Audited(ModelProfile p) => new
    {
        p.Name, Kind = p.Kind.ToString(), p.BaseUrl, p.Model, p.ApiKeyHint, p.ApiKeySetUtc, p.Temperature, p.MaxTokens, p.TimeoutSeconds, p.ChainOrder, p.PreferredIntents,
    };
}
