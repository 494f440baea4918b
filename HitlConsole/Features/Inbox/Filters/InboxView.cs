using System.Globalization;
using HitlConsole.Domain;

namespace HitlConsole.Features.Inbox;

/// <summary>
/// What the inbox shows, as it travels in its URL so a view can be shared: the lane, the search, and the filters
/// (<c>?lane=all&amp;q=refund&amp;status=open&amp;assignee=me&amp;label=vip&amp;lang=es&amp;since=2026-11-01&amp;until=2026-11-30&amp;channel=whatsapp&amp;team=&lt;team id&gt;</c>).
/// </summary>
public sealed record InboxView(InboxFilter Lane = InboxFilter.NeedsReview, string? Search = null, ConversationStatus? Status = null,
    string? Assignee = null, string? Label = null, string? Language = null, DateOnly? Since = null, DateOnly? Until = null,
    ChannelKind? Channel = null, Guid? Team = null)
{
    public static readonly string[] Keys = ["lane", "q", "status", "assignee", "label", "lang", "since", "until", "channel", "team"];

    public static InboxView Parse(Func<string, string?> query) => new(
        Enum.TryParse<InboxFilter>(query("lane"), ignoreCase: true, out var lane) && Enum.IsDefined(lane) ? lane : InboxFilter.NeedsReview,
        Clean(query("q")),
        Enum.TryParse<ConversationStatus>(query("status"), ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : null,
        Clean(query("assignee")),
        Clean(query("label")) is { } label ? LabelConversation.Normalise(label) : null,
        query("lang") is "en" or "es" ? query("lang") : null,
        Day(query("since")), Day(query("until")),
        ChannelOf(query("channel")),
        Guid.TryParse(query("team"), out var team) ? team : null);

    /// <summary>The URL's name of a kind of channel (<c>whatsapp</c>, <c>simulator</c>).</summary>
    public static string ChannelName(ChannelKind kind) => kind == ChannelKind.WhatsAppCloud ? "whatsapp" : "simulator";

    /// <summary>A kind of channel from its URL name; null for anything else.</summary>
    public static ChannelKind? ChannelOf(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "whatsapp" => ChannelKind.WhatsAppCloud,
        "simulator" => ChannelKind.Simulator,
        _ => null,
    };

    /// <summary>Query values for <c>NavigationManager.GetUriWithQueryParameters</c>: null removes a key (defaults are left out).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["lane"] = Lane == InboxFilter.NeedsReview ? null : Lane.ToString().ToLowerInvariant(),
        ["q"] = Search,
        ["status"] = Status?.ToString().ToLowerInvariant(),
        ["assignee"] = Assignee,
        ["label"] = Label,
        ["lang"] = Language,
        ["since"] = Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["until"] = Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["channel"] = Channel is { } kind ? ChannelName(kind) : null,
        ["team"] = Team?.ToString(),
    };

    /// <summary>
    /// Query values that show one intent's analytics drill-down in <paramref name="lane"/>, or remove it (null intent):
    /// the drill-down's days go with it, the rest of the view stays.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> DrillDownQuery(string? intent, string? lane) => new Dictionary<string, object?>
    {
        ["intent"] = intent, ["from"] = null, ["to"] = null, ["lane"] = lane,
    };

    public int FilterCount => new object?[] { Status, Assignee, Label, Language, Since, Until, Channel, Team }.Count(v => v is not null);

    /// <summary>The filters for the handler; days are the workspace's local days.</summary>
    public GetInbox.Narrowing Narrowing(TimeZoneInfo zone) => new(Status, Assignee, Label, Language,
        Since is { } since ? TimeZoneInfo.ConvertTimeToUtc(since.ToDateTime(TimeOnly.MinValue), zone) : null,
        Until is { } until ? TimeZoneInfo.ConvertTimeToUtc(until.AddDays(1).ToDateTime(TimeOnly.MinValue), zone) : null, Channel, Team);

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static DateOnly? Day(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is > 2000 and < 2200 ? d : null;
}
