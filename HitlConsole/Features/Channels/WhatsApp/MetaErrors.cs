namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>What a Meta error means for the team: whether to try again, and which sentence explains it.</summary>
public enum MetaErrorKind
{
    RateLimited, Temporary, WindowClosed, Undeliverable, TemplateUnavailable, ParameterMismatch, AccessDenied, MediaRefused, Other,
}

/// <summary>
/// Meta's Cloud API error codes sorted into what to do about them. Only rate limits and temporary faults are retried; everything
/// else (window closed, undeliverable number, template or parameter problems, access) fails at once, because the same call
/// would fail the same way. Codes not listed here are not retried unless the HTTP status says the fault was Meta's (429, 5xx).
/// </summary>
public static class MetaErrors
{
    private static readonly HashSet<string> RateLimits = ["4", "80007", "130429", "131048", "131056", "133016"];
    private static readonly HashSet<string> Temporary = ["1", "2", "131000", "131016", "131057", "133004", "network"];
    private static readonly HashSet<string> Window = ["131047", "470"];
    private static readonly HashSet<string> Undeliverable = ["131026", "131030", "131021", "131049", "130472", "131050"];
    private static readonly HashSet<string> Template = ["132001", "132007", "132015", "132016", "132068", "132069"];
    private static readonly HashSet<string> Parameters = ["132000", "132005", "132012", "131008", "131009", "100"];
    private static readonly HashSet<string> Access = ["0", "3", "10", "190", "200", "368", "131031", "131005", "no-token"];
    private static readonly HashSet<string> Media = ["131051", "131052", "131053", "media-too-large", "media-type"];

    public static MetaErrorKind Classify(string? code, int? httpStatus = null)
    {
        code ??= "";
        if (RateLimits.Contains(code)) return MetaErrorKind.RateLimited;
        if (Temporary.Contains(code)) return MetaErrorKind.Temporary;
        if (Window.Contains(code)) return MetaErrorKind.WindowClosed;
        if (Undeliverable.Contains(code)) return MetaErrorKind.Undeliverable;
        if (Template.Contains(code)) return MetaErrorKind.TemplateUnavailable;
        if (Parameters.Contains(code)) return MetaErrorKind.ParameterMismatch;
        if (Access.Contains(code)) return MetaErrorKind.AccessDenied;
        if (Media.Contains(code)) return MetaErrorKind.MediaRefused;
        // No Meta code in the body: the HTTP status alone says whether the fault was on Meta's side.
        var status = httpStatus ?? (int.TryParse(code, out var s) && s is >= 400 and < 600 ? s : 0);
        return status == 429 ? MetaErrorKind.RateLimited : status >= 500 ? MetaErrorKind.Temporary : MetaErrorKind.Other;
    }

    /// <summary>Trying again later can succeed: rate limits and Meta's temporary faults, never a refusal.</summary>
    public static bool IsRetryable(MetaErrorKind kind) => kind is MetaErrorKind.RateLimited or MetaErrorKind.Temporary;

    public static bool IsRetryable(string? code, int? httpStatus = null) => IsRetryable(Classify(code, httpStatus));

    /// <summary>The resource key of the sentence that explains the error in the UI language (the code is shown beside it).</summary>
    public static string ResourceKey(MetaErrorKind kind) => "MetaError" + kind;

    public static string ResourceKey(string? code) => ResourceKey(Classify(code));
}
