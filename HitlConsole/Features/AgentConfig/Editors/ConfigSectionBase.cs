using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.AgentConfig.Editors;

/// <summary>
/// What every section editor shares: the document being edited, the field errors keyed by path (from
/// <see cref="ConfigValidator"/>), and a callback so the page can re-validate and mark itself dirty.
/// </summary>
public abstract class ConfigSectionBase : ComponentBase
{
    [Parameter, EditorRequired] public AgentConfigDocument Document { get; set; } = default!;
    [Parameter] public IReadOnlyDictionary<string, string> Errors { get; set; } = new Dictionary<string, string>();
    [Parameter] public EventCallback Changed { get; set; }
    [Inject] private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected bool HasError(string path) => Errors.ContainsKey(path);

    protected string? Error(string path) => Errors.TryGetValue(path, out var key) ? Localizer[key].Value : null;

    /// <summary>
    /// The field's rule for MudBlazor's own validation, which runs after each edit and when the field loses focus: the document's
    /// error at <paramref name="path"/>, in the UI language. An <c>Error</c> parameter alone is not enough: the field clears it
    /// when it validates itself, and a parameter that did not change is not passed again, so the field lost its mark.
    /// </summary>
    protected Func<T, string?> Rule<T>(string path) =>
        _ => ConfigValidator.Validate(Document).TryGetValue(path, out var key) ? Localizer[key].Value : null;

    /// <summary>A field's value as shown: a text the app ships in the UI language, anything else as written (<see cref="ShippedConfigTexts.Value"/>).</summary>
    protected string Shown(string path, string value) => ShippedConfigTexts.Value(path, value, Localizer);

    protected Task ChangedAsync() => Changed.InvokeAsync();

    protected Task Set(Action change)
    {
        change();
        return ChangedAsync();
    }

    /// <summary>Word lists are edited one item per line.</summary>
    protected static string Lines(IEnumerable<string> items) => string.Join('\n', items);

    protected static List<string> FromLines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
