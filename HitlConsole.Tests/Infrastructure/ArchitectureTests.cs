using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using HitlConsole.Infrastructure.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>
/// The floor plan (ADR 0015): each folder under Features is a slice, slices depend on each other in one direction
/// only (ArchUnitNET reads the dependencies from the compiled code), and components reach the database through a feature's handler, never through a context of their own.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly ArchUnitNET.Domain.Architecture App = new ArchLoader()
        .LoadAssemblies(typeof(Program).Assembly, typeof(ComponentBase).Assembly, typeof(DbContext).Assembly)
        .Build();

    /// <summary>
    /// A slice is the first namespace segment under <c>HitlConsole.Features</c> (Inbox, Knowledge, ...), with its
    /// sub-namespaces (Knowledge.Import belongs to Knowledge). Every group of slices that reach each other is reported
    /// with the type dependencies that close it.
    /// </summary>
    [Fact]
    public void Feature_slices_do_not_depend_on_each_other_in_a_cycle()
    {
        var edges = App.Types
            .Select(t => (Type: t, Slice: SliceOf(t)))
            .Where(x => x.Slice is not null)
            .SelectMany(x => x.Type.Dependencies.Select(d => (From: x.Slice!, To: SliceOf(d.Target),
                Example: $"{x.Type.FullName} -> {d.Target?.FullName}")))
            .Where(e => e.To is not null && e.To != e.From)
            .ToLookup(e => (e.From, e.To!), e => e.Example);
        var next = edges.GroupBy(e => e.Key.From).ToDictionary(g => g.Key, g => g.Select(e => e.Key.Item2).ToList());

        var cycles = StronglyConnected(next).Where(c => c.Count > 1).ToList();

        Assert.True(cycles.Count == 0, "Feature slices depend on each other in a cycle:\n" + string.Join("\n", cycles.Select(c =>
            string.Join(", ", c.Order()) + ":\n" + string.Join("\n", edges
                .Where(e => c.Contains(e.Key.From) && c.Contains(e.Key.Item2))
                .Select(e => $"  {e.Key.From} -> {e.Key.Item2}: {e.First()}" + (e.Count() > 1 ? $" (+{e.Count() - 1})" : ""))))));
    }

    private static string? SliceOf(IType? type)
    {
        const string features = "HitlConsole.Features.";
        var ns = type?.Namespace?.FullName ?? "";
        return ns.StartsWith(features, StringComparison.Ordinal) ? ns[features.Length..].Split('.')[0] : null;
    }

    /// <summary>Tarjan's algorithm: the groups of slices in which every slice reaches every other.</summary>
    private static IEnumerable<List<string>> StronglyConnected(Dictionary<string, List<string>> next)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in next.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string x;
            do { x = stack.Pop(); group.Add(x); } while (x != v);
            result.Add(group);
        }
        foreach (var v in next.Keys.Where(v => !index.ContainsKey(v)).ToList()) Visit(v);
        return result;
    }

    [Fact]
    public void Components_do_not_use_a_database_context_directly()
    {
        IArchRule rule = Classes().That().AreAssignableTo(typeof(ComponentBase))
            .Should().NotDependOnAny(typeof(HitlDbContext), typeof(DbContext), typeof(IDbContextFactory<>))
            .Because("components render and orchestrate; a feature's handler opens and closes its own context");
        rule.Check(App);
    }
}
