using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HitlConsole.Tests.Features.Analytics;

/// <summary>A day still under way is compared with the same part of the day before; the intent filter offers the configured intents.</summary>
public sealed class AnalyticsTodayTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Today_until_now_is_compared_with_yesterday_until_the_same_time(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var channel = await AnalyticsFacts.InMadridAsync(app, tenant);
        await AnalyticsFacts.AddAsync(app, tenant, [
            new(new(2026, 11, 9, 9, 0, 0), channel, "track_order", DraftState.Approved),
            new(new(2026, 11, 9, 10, 5, 0), channel, "track_order", DraftState.Approved),   // in the quarter under way at 10:07
            new(new(2026, 11, 9, 20, 0, 0), channel, "track_order", DraftState.Rejected),   // later in the day than now
            new(new(2026, 11, 9, 21, 0, 0), channel, null, null),
            new(new(2026, 11, 10, 8, 30, 0), channel, "get_refund", DraftState.AutoSent),
        ]);
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Manager));
        var analytics = scope.ServiceProvider;
        var zone = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);
        // 10:07 in Madrid on 10 November.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 10, 9, 7, 0, TimeSpan.Zero));
        var today = AnalyticsRange.Today(clock, zone);
        Assert.Equal(new TimeOnly(10, 7), AnalyticsRange.Until(today, clock, zone));
        Assert.Null(AnalyticsRange.Until(today.AddDays(-1), clock, zone)); // a range that ended is not cut
        var q = new AnalyticsQuery(today, today, Until: AnalyticsRange.Until(today, clock, zone));

        foreach (var source in new[] { "drafts", "summary" })
        {
            if (source == "summary") await app.Services.GetRequiredService<SummariseAnalyticsJob>().RunAsync(default);
            var overview = await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(q, zone, default);
            Assert.Equal((1, 1), (overview.Kpis.Inbound, overview.Kpis.Drafts));
            // Drawn by hour, today stops at the hour under way (00:00 to 10:00), not at a row of zeros until midnight.
            Assert.Equal(11, overview.Intents.Buckets.Count);
            Assert.All(overview.Intents.Series, s => Assert.Equal(11, s.Counts.Length));
            Assert.Equal((2, 2, 2, 0), (overview.Previous.Inbound, overview.Previous.Drafts, overview.Previous.ApprovedUnchanged, overview.Previous.Rejected));
            var allOfYesterday = await analytics.GetRequiredService<GetAnalyticsKpis>().HandleAsync(q.Previous with { Until = null }, zone, default);
            Assert.Equal((4, 3), (allOfYesterday.Inbound, allOfYesterday.Drafts));
            // A week ending today is compared with the week before, cut at the same time of its last day.
            var week = await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(new AnalyticsQuery(today.AddDays(-6), today, Until: q.Until), zone, default);
            Assert.Equal(0, week.Previous.Drafts);
            var fromYesterday = await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(new AnalyticsQuery(today.AddDays(-1), today, Until: q.Until), zone, default);
            Assert.Equal((5, 4), (fromYesterday.Kpis.Inbound, fromYesterday.Kpis.Drafts)); // a cut applies to the last day only
            Assert.Equal(24 + 11, fromYesterday.Intents.Buckets.Count);
            Assert.Equal(4, fromYesterday.Intents.Series.Sum(s => s.Counts.Sum())); // every draft of both days is on the lines
        }
    }

    [Fact]
    public async Task The_intent_filter_offers_every_configured_intent_and_keeps_the_one_chosen()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Manager));
        var configured = (await scope.ServiceProvider.GetRequiredService<IAgentSettingsProvider>().GetAsync(tenant, default)).Intents.Intents
            .Select(i => i.Name).ToList();
        Assert.True(configured.Count > 20, $"the demo configures {configured.Count} intents");
        var list = scope.ServiceProvider.GetRequiredService<ListAnalyticsIntents>();

        var offered = await list.HandleAsync(null, default);
        Assert.Equal(configured.Order(StringComparer.Ordinal), offered);
        Assert.Contains("retired_intent", await list.HandleAsync("retired_intent", default));
        Assert.DoesNotContain(AnalyticsBuckets.NoIntent, await list.HandleAsync(AnalyticsBuckets.NoIntent, default));
        Assert.DoesNotContain(AnalyticsBuckets.OtherIntents, await list.HandleAsync(AnalyticsBuckets.OtherIntents, default));
        Assert.Contains("other", await list.HandleAsync("other", default)); // a workspace's own intent named "other" is an intent like any
    }
}
