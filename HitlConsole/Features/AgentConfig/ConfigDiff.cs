using System.Text.Json;
using System.Text.Json.Nodes;

namespace HitlConsole.Features.AgentConfig;

/// <summary>One field of two configurations side by side; null means the field does not exist on that side.</summary>
public sealed record ConfigField(string Path, string? Left, string? Right)
{
    public bool Changed => Left != Right;
}

/// <summary>
/// Field-by-field comparison of two configuration documents. Intents and variables are matched by name (so reordering
/// them is not a change), word lists are compared as a whole, one item per line.
/// </summary>
public static class ConfigDiff
{
    public static IReadOnlyList<ConfigField> Compare(AgentConfigDocument left, AgentConfigDocument right)
    {
        var l = Flatten(left);
        var r = Flatten(right);
        var paths = l.Keys.Concat(r.Keys.Where(k => !l.ContainsKey(k))).ToList();
        return paths.Select(p => new ConfigField(p, l.GetValueOrDefault(p), r.GetValueOrDefault(p))).ToList();
    }

    public static IReadOnlyList<ConfigField> Changes(AgentConfigDocument left, AgentConfigDocument right) =>
        Compare(left, right).Where(f => f.Changed).ToList();

    /// <summary>The section a path belongs to ("identity", "intents", …), for grouping on screen.</summary>
    public static string Section(string path) => path.Split('.', '[')[0];

    private static Dictionary<string, string> Flatten(AgentConfigDocument doc)
    {
        var fields = new Dictionary<string, string>();
        Walk(JsonSerializer.SerializeToNode(doc, AgentConfigDocument.Json), "", fields);
        return fields;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> fields)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj) Walk(child, path.Length == 0 ? key : $"{path}.{key}", fields);
                break;
            case JsonArray array when path is "intents" or "variables":
                foreach (var item in array.OfType<JsonObject>())
                {
                    var name = item["name"]?.GetValue<string>() ?? "?";
                    foreach (var (key, child) in item.Where(p => p.Key != "name")) Walk(child, $"{path}.{name}.{key}", fields);
                }
                break;
            case JsonArray array:
                fields[path] = string.Join('\n', array.Select(v => v is JsonValue value ? value.ToString() : v?.ToJsonString() ?? ""));
                break;
            case JsonValue value:
                fields[path] = value.ToString();
                break;
            default:
                fields[path] = "";
                break;
        }
    }
}
