using System.Text.Json.Nodes;
using HitlConsole.Features.AgentConfig;

namespace HitlConsole.Tests.Features.AgentConfig;

public sealed class VariablesConfigTests
{
    [Fact]
    public void A_version_saved_before_variables_existed_loads_with_the_default_names_to_fill_in()
    {
        var json = JsonNode.Parse(AgentConfigDocument.Default("Acme").ToJson())!.AsObject();
        json.Remove("variables");

        var doc = AgentConfigDocument.FromJson(json.ToJsonString(), strict: false);

        Assert.Equal(AgentConfigDocument.DefaultVariableNames, doc.Variables.Select(v => v.Name));
        Assert.All(doc.Variables, v => Assert.Equal(["", ""], AgentConfigDocument.Languages.Select(l => v.Values[l])));
        Assert.Empty(ConfigValidator.Validate(doc));
    }

    [Fact]
    public void A_workspace_that_removed_every_variable_keeps_none()
    {
        var doc = AgentConfigDocument.Default("Acme");
        doc.Variables.Clear();
        Assert.Empty(AgentConfigDocument.FromJson(doc.ToJson()).Variables);
    }

    [Fact]
    public void Variable_names_are_required_unique_as_placeholders_compare_them_and_values_hold_no_placeholder()
    {
        var doc = AgentConfigDocument.Default("Acme");
        doc.Variables.Add(new() { Name = " website   NAME ", Values = new() { ["en"] = "Shop" } });
        doc.Variables.Add(new() { Name = "", Values = new() { ["en"] = "x" } });
        doc.Variables.Add(new() { Name = "Help Page", Values = new() { ["en"] = "see {{Website URL}}", ["fr"] = "aide" } });

        var errors = ConfigValidator.Validate(doc);

        var n = AgentConfigDocument.DefaultVariableNames.Length;
        Assert.Equal("ConfigErrorVariableDuplicate", errors[$"variables[{n}].name"]);
        Assert.Equal("ConfigErrorVariableName", errors[$"variables[{n + 1}].name"]);
        Assert.Equal("ConfigErrorVariableValue", errors[$"variables[{n + 2}].values.en"]);
        Assert.Equal("ConfigErrorLanguage", errors[$"variables[{n + 2}].values.fr"]);
    }

    [Fact]
    public void The_diff_names_a_changed_value_by_its_variable_and_ignores_reordering()
    {
        var before = AgentConfigDocument.Default("Acme");
        var after = before.Clone();
        after.Variables.Reverse();
        after.Variables.Single(v => v.Name == "Website Name").Values["es"] = "TiendaDemo";

        var change = Assert.Single(ConfigDiff.Changes(before, after));
        Assert.Equal("variables.Website Name.values.es", change.Path);
        Assert.Equal(("", "TiendaDemo"), (change.Left, change.Right));
    }
}
