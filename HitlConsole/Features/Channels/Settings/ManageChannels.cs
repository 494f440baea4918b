using System.Security.Cryptography;
using System.Text.RegularExpressions;
using HitlConsole.Domain;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Security;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.Settings;

/// <summary>What the channels page may see: secrets only as "set on …" (and the access token's last four characters).</summary>
public sealed record ChannelView(
    Guid Id, ChannelKind Kind, string Name, bool Active, string? PhoneNumberId, string? BusinessAccountId, string? GraphBaseUrl,
    string? GraphVersion, string? AccessTokenHint, DateTime? AccessTokenSetUtc, DateTime? AppSecretSetUtc, DateTime? VerifyTokenSetUtc,
    DateTime? ApiKeySetUtc, bool MarkReadOnOpen = false);

public sealed class WhatsAppChannelInput
{
    public string Name { get; set; } = "WhatsApp";
    public bool Active { get; set; } = true;
    public string? PhoneNumberId { get; set; }
    public string? BusinessAccountId { get; set; }
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";
    public string GraphVersion { get; set; } = "v21.0";
    public bool MarkReadOnOpen { get; set; }
    /// <summary>Write-only: a value replaces the stored secret, empty keeps it.</summary>
    public string? NewAccessToken { get; set; }
    public string? NewAppSecret { get; set; }
    public string? NewVerifyToken { get; set; }
}

/// <summary>
/// The workspace's channels for Admins: WhatsApp Cloud settings with write-only secrets (encrypted with Data
/// Protection), a test send, and the simulator's API key (only its hash is stored; a new key is shown once).
/// Audited without any secret.
/// </summary>
public sealed partial class ManageChannels(
    IDbContextFactory<HitlDbContext> factory, ChannelSecrets secrets, WhatsAppChannelDirectory directory, WhatsAppGraphClient graph,
    TenantContext tenant, TimeProvider clock)
{
    public async Task<IReadOnlyList<ChannelView>> ListAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // The simulator's card (and its API key) is here before anyone has opened the simulator page.
        await SimulatorChannel.IdAsync(db, clock, ct);
        var rows = await db.Channels.AsNoTracking().OrderBy(c => c.Kind).ThenBy(c => c.CreatedUtc).ToListAsync(ct);
        return rows.Select(c => new ChannelView(c.Id, c.Kind, c.Name, c.Active, c.PhoneNumberId, c.BusinessAccountId, c.GraphBaseUrl,
            c.GraphVersion, c.AccessTokenHint, c.AccessTokenSetUtc, c.AppSecretSetUtc, c.VerifyTokenSetUtc, c.ApiKeySetUtc, c.MarkReadOnOpen)).ToList();
    }

    public static Dictionary<string, string> Validate(WhatsAppChannelInput input, bool creating)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100) errors[nameof(input.Name)] = "ChannelErrorName";
        if (!MetaId().IsMatch(input.PhoneNumberId?.Trim() ?? "")) errors[nameof(input.PhoneNumberId)] = "ChannelErrorMetaId";
        if (!string.IsNullOrWhiteSpace(input.BusinessAccountId) && !MetaId().IsMatch(input.BusinessAccountId.Trim()))
            errors[nameof(input.BusinessAccountId)] = "ChannelErrorMetaId";
        if (!Uri.TryCreate(input.GraphBaseUrl?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors[nameof(input.GraphBaseUrl)] = "ChannelErrorUrl";
        if (!GraphVersionPattern().IsMatch(input.GraphVersion?.Trim() ?? "")) errors[nameof(input.GraphVersion)] = "ChannelErrorGraphVersion";
        foreach (var (field, value) in new[] { (nameof(input.NewAccessToken), input.NewAccessToken), (nameof(input.NewAppSecret), input.NewAppSecret),
                     (nameof(input.NewVerifyToken), input.NewVerifyToken) })
        {
            if (value?.Length > 1000) errors[field] = "ChannelErrorSecretLength";
            else if (creating && string.IsNullOrWhiteSpace(value)) errors[field] = "ChannelErrorSecretRequired";
        }
        return errors;
    }

    /// <summary>Creates (id null) or updates a WhatsApp channel; returns field errors as resource keys, empty when saved.</summary>
    public async Task<Dictionary<string, string>> SaveWhatsAppAsync(Guid? id, WhatsAppChannelInput input, CancellationToken ct)
    {
        var errors = Validate(input, creating: id is null);
        if (errors.Count > 0) return errors;
        await using var db = await factory.CreateDbContextAsync(ct);
        var phone = input.PhoneNumberId!.Trim();
        // The webhook routes by phone number id before it knows the tenant, so the id is unique across workspaces.
        if (await db.Channels.IgnoreQueryFilters().AnyAsync(c => c.PhoneNumberId == phone && c.Id != id, ct))
            return new() { [nameof(input.PhoneNumberId)] = "ChannelErrorPhoneTaken" };
        var channel = id is null ? null : await db.Channels.SingleOrDefaultAsync(c => c.Id == id && c.Kind == ChannelKind.WhatsAppCloud, ct);
        if (id is not null && channel is null) return new() { [""] = "ChannelErrorGone" };
        var now = clock.GetUtcNow().UtcDateTime;
        if (channel is null)
        {
            channel = new Channel { Kind = ChannelKind.WhatsAppCloud, Name = input.Name.Trim(), CreatedUtc = now };
            db.Channels.Add(channel);
        }
        var before = channel.PhoneNumberId is null ? null : Audited(channel);
        channel.Name = input.Name.Trim();
        channel.Active = input.Active;
        channel.PhoneNumberId = phone;
        channel.BusinessAccountId = string.IsNullOrWhiteSpace(input.BusinessAccountId) ? null : input.BusinessAccountId.Trim();
        channel.GraphBaseUrl = input.GraphBaseUrl.Trim().TrimEnd('/');
        channel.GraphVersion = input.GraphVersion.Trim();
        channel.MarkReadOnOpen = input.MarkReadOnOpen;
        if (!string.IsNullOrWhiteSpace(input.NewAccessToken))
        {
            channel.AccessTokenProtected = secrets.Protect(input.NewAccessToken.Trim());
            channel.AccessTokenHint = SecretHint.Of(input.NewAccessToken.Trim());
            channel.AccessTokenSetUtc = now;
        }
        if (!string.IsNullOrWhiteSpace(input.NewAppSecret))
        {
            channel.AppSecretProtected = secrets.Protect(input.NewAppSecret.Trim());
            channel.AppSecretSetUtc = now;
        }
        if (!string.IsNullOrWhiteSpace(input.NewVerifyToken))
        {
            channel.VerifyTokenProtected = secrets.Protect(input.NewVerifyToken.Trim());
            channel.VerifyTokenSetUtc = now;
        }
        db.Record(tenant.UserId, before is null ? "channel.created" : "channel.updated", nameof(Channel), channel.Id.ToString(), before, Audited(channel), now);
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return [];
    }

    /// <summary>Replaces the simulator's API key; the new key is returned once and only its hash is kept.</summary>
    public async Task<string?> RegenerateSimulatorKeyAsync(Guid channelId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var channel = await db.Channels.SingleOrDefaultAsync(c => c.Id == channelId && c.Kind == ChannelKind.Simulator, ct);
        if (channel is null) return null;
        var key = "sim_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var now = clock.GetUtcNow().UtcDateTime;
        channel.ApiKeyHash = ChannelSecrets.HashApiKey(key);
        channel.ApiKeySetUtc = now;
        db.Record(tenant.UserId, "channel.api-key-regenerated", nameof(Channel), channel.Id.ToString(), null, null, now);
        await db.SaveChangesAsync(ct);
        return key;
    }

    /// <summary>Sends one text through the channel as configured, so an Admin sees Meta's answer before customers do.</summary>
    public async Task<SendResult> SendTestAsync(Guid channelId, string to, string text, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId && c.Kind == ChannelKind.WhatsAppCloud, ct);
        var token = secrets.Unprotect(channel?.AccessTokenProtected);
        if (channel is null || token is null) return new SendResult.Failed("no-token", "No access token is set for this channel.", false);
        var result = await graph.SendTextAsync(channel.GraphBaseUrl!, channel.GraphVersion!, channel.PhoneNumberId!, token,
            to.Trim().TrimStart('+'), text, "test-message", ct);
        db.Record(tenant.UserId, "channel.test-sent", nameof(Channel), channel.Id.ToString(), null,
            new { Ok = result is SendResult.Sent, Code = (result as SendResult.Failed)?.Code }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return result;
    }

    private static object Audited(Channel c) => new
    {
        c.Name, c.Active, c.PhoneNumberId, c.BusinessAccountId, c.GraphBaseUrl, c.GraphVersion, c.AccessTokenSetUtc, c.AppSecretSetUtc, c.VerifyTokenSetUtc,
        c.MarkReadOnOpen,
    };

    [GeneratedRegex(@"^\d{5,30}$")]
    private static partial Regex MetaId();

    [GeneratedRegex(@"^v\d{1,3}\.\d{1,2}$")]
    private static partial Regex GraphVersionPattern();
}
