using HitlConsole.Domain;

namespace HitlConsole.Features.Pipeline;

/// <summary>What a channel hands to <see cref="IngestInbound"/>: one customer message, or one delivery status.</summary>
public sealed record InboundMessage(
    string PhoneNumberId, string From, string? ProfileName, string ExternalId, DateTime SentUtc,
    string Type, string? Text, string? MediaId, string? Caption);

public sealed record StatusUpdate(string PhoneNumberId, string ExternalId, DeliveryState State, string? ErrorCode, string? ErrorTitle);
