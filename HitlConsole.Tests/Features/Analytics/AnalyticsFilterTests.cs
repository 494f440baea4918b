using HitlConsole.Domain;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Analytics;

/// <summary>
/// An intent or channel filter narrows every KPI, every chart and every CSV export alike, from the drafts and from the daily
/// summary, on both databases: each is compared with counts taken from the seeded facts themselves.
/// </summary>
public sealed class AnalyticsFilterTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;
    private static readonly DraftState[] States =
        [DraftState.Approved, DraftState.EditedAndSent, DraftState.AutoSent, DraftState.Rejected, DraftState.Expired, DraftState.Blocked];
    private static readonly string?[] Intents = ["track_order", "get_refund", "cancel_order", null, "get_refund"];

    private sealed record Fact(DateTime Local, Guid Channel, string? Intent, DraftState State, int Confidence, int? Response, int? Edit)
    {
        public bool Sent => State is DraftState.Approved or DraftState.EditedAndSent or DraftState.AutoSent;
    }

    private sealed record Filter(string Name, string? Intent, Guid? Channel)
    {
        public bool Matches(Fact f) => (Intent is null || f.Intent == (Intent == AnalyticsBuckets.NoIntent ? null : Intent)) && (Channel is null || f.Channel == Channel);
        public string Query => (Intent is null ? "" : $"&intent={Intent}") + (Channel is null ? "" : $"&channel={Channel}");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_kpi_chart_and_export_follows_the_intent_and_the_channel_filter(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var (facts, unanswered, second) = await SeedAsync(app, tenant);
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Manager));
        var analytics = scope.ServiceProvider;
        var zone = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);
        var client = await FormPoster.SignedInClientAsync(app, DemoUsers.Manager, HitlAppFactory.DemoPassword);
        var week = new AnalyticsQuery(new(2026, 11, 9), new(2026, 11, 15));
        Filter[] filters = [new("refunds", "get_refund", null), new("no intent", AnalyticsBuckets.NoIntent, null), new("second channel", null, second),
            new("refunds on the second channel", "get_refund", second), new("none", null, null)];

        foreach (var source in new[] { "drafts", "summary" })
        {
            if (source == "summary") await app.Services.GetRequiredService<SummariseAnalyticsJob>().RunAsync(default);
            foreach (var filter in filters)
            {
                var because = $"{filter.Name}, from the {source}";
                var q = week with { Intent = filter.Intent, ChannelId = filter.Channel };
                var current = facts.Where(f => filter.Matches(f) && DateOnly.FromDateTime(f.Local) >= week.From).ToList();
                var previous = facts.Where(f => filter.Matches(f) && DateOnly.FromDateTime(f.Local) < week.From).ToList();
                int Inbound(List<Fact> part, bool thisWeek) => part.Count + (filter.Intent is null
                    ? unanswered.Count(u => (filter.Channel is null || u.Channel == filter.Channel) && DateOnly.FromDateTime(u.Local) >= week.From == thisWeek) : 0);
                var intents = current.Select(f => f.Intent ?? AnalyticsBuckets.NoIntent).ToHashSet();
                var edits = current.Count(f => f.State is DraftState.Approved or DraftState.EditedAndSent);
                var confidence = current.Count(f => f.State is not DraftState.Blocked and not DraftState.Failed);
                var responses = current.Count(f => f.Response is not null);

                var o = await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(q, zone, default);
                AssertKpis(Inbound(current, true), current, o.Kpis, because);
                AssertKpis(Inbound(previous, false), previous, o.Previous, because + ", previous week");
                Assert.True(current.Count == o.Intents.Series.Sum(s => s.Counts.Sum()), because);
                Assert.Subset(intents, o.Intents.Series.Select(s => s.Intent).ToHashSet());
                Assert.Equal(intents, o.Rates.Select(r => r.Intent).ToHashSet());
                Assert.True(current.Count == o.Rates.Sum(r => r.Total), because);
                Assert.True(edits == o.Edits.Sum(e => e.Buckets.Sum()), because);
                Assert.True(confidence == o.Confidence.Sum(), because);
                Assert.True(responses == o.Response.Sum(r => r.Count), because);
                Assert.True(current.Count == o.Heatmap.Cast<int>().Sum(), because);

                async Task<List<string[]>> CsvAsync(string chart) =>
                    (await client.GetStringAsync($"/analytics/export/{chart}?from=2026-11-09&to=2026-11-15{filter.Query}"))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(l => l.Split(',')).ToList();
                static int Sum(IEnumerable<string[]> rows, int from) => rows.Sum(r => r.Skip(from).Sum(int.Parse));

                var overTime = await CsvAsync("intents-over-time");
                Assert.Subset(intents, overTime.Select(r => r[1]).ToHashSet());
                Assert.True(current.Count == overTime.Sum(r => int.Parse(r[2])), because);
                var share = await CsvAsync("intent-share");
                Assert.Subset(intents, share.Select(r => r[0]).ToHashSet());
                Assert.True(current.Count == Sum(share, 1), because);
                var outcomes = (await CsvAsync("outcomes")).ToDictionary(r => r[0], r => int.Parse(r[1]));
                Assert.True(Inbound(current, true) == outcomes["inbound"], because);
                Assert.True(current.Count == outcomes["drafted"], because);
                Assert.True(current.Count(f => f.State == DraftState.Rejected) == outcomes["rejected"], because);
                var rates = await CsvAsync("rates-by-intent");
                Assert.Equal(intents, rates.Select(r => r[0]).ToHashSet());
                Assert.True(current.Count == rates.Sum(r => int.Parse(r[1])), because);
                var editRows = await CsvAsync("edits-by-intent");
                Assert.Subset(intents, editRows.Select(r => r[0]).ToHashSet());
                Assert.True(edits == Sum(editRows, 1), because);
                Assert.True(confidence == Sum(await CsvAsync("confidence"), 1), because);
                Assert.True(responses == (await CsvAsync("response-by-hour")).Sum(r => int.Parse(r[1])), because);
                Assert.True(current.Count == Sum(await CsvAsync("heatmap"), 1), because);
            }
        }
    }

    private static void AssertKpis(int inbound, List<Fact> facts, Kpis actual, string because)
    {
        int Count(DraftState s) => facts.Count(f => f.State == s);
        var expected = new Kpis(inbound, facts.Count, Count(DraftState.AutoSent), Count(DraftState.Approved), Count(DraftState.EditedAndSent),
            Count(DraftState.Rejected), Count(DraftState.Expired), Count(DraftState.Blocked), null);
        Assert.True(expected == actual with { MedianResponseSeconds = null }, $"{because}: expected {expected}, got {actual}");
    }

    /// <summary>Two weeks of answered messages on two channels, in Madrid, and a few messages no draft answered.</summary>
    private static async Task<(List<Fact> Facts, List<Fact> Unanswered, Guid Second)> SeedAsync(HitlAppFactory app, Guid tenant)
    {
        var first = await AnalyticsFacts.InMadridAsync(app, tenant);
        var second = await AnalyticsFacts.AddChannelAsync(app, tenant, "Second shop");
        var facts = Enumerable.Range(0, 70).Select(i =>
        {
            var state = States[i % States.Length];
            var sent = state is DraftState.Approved or DraftState.EditedAndSent or DraftState.AutoSent;
            return new Fact(new DateTime(2026, 11, 2, 0, 0, 0).AddDays(i % 14).AddHours(i * 5 % 24).AddMinutes(i * 7 % 60), i % 3 == 0 ? second : first,
                Intents[i % Intents.Length], state, i * 13 % 101, sent ? 20 + i * 37 : null,
                state == DraftState.EditedAndSent ? i * 3 : state == DraftState.Approved ? 0 : null);
        }).ToList();
        List<Fact> unanswered = [new(new(2026, 11, 10, 9, 0, 0), first, null, DraftState.Failed, 0, null, null),
            new(new(2026, 11, 12, 18, 0, 0), second, null, DraftState.Failed, 0, null, null), new(new(2026, 11, 4, 8, 0, 0), first, null, DraftState.Failed, 0, null, null)];
        await AnalyticsFacts.AddAsync(app, tenant, facts.Select(f => new AnalyticsFact(f.Local, f.Channel, f.Intent, f.State, f.Confidence, f.Response, f.Edit))
            .Concat(unanswered.Select(u => new AnalyticsFact(u.Local, u.Channel, null, null))));
        return (facts, unanswered, second);
    }
}
