using System.Net;
using HitlConsole.Domain;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Analytics;

/// <summary>Aggregations against known facts, in the tenant's time zone, on both databases.</summary>
public sealed class AnalyticsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;
    private static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

    private sealed class Facts(HitlAppFactory app, Guid tenant)
    {
        public async Task AddAsync(DateTime local, string? intent, DraftState state, int confidence = 70, int? responseSeconds = null, int? editDistance = null,
            string? reviewer = null, string? classification = null)
        {
            var utc = TimeZoneInfo.ConvertTimeToUtc(local, Madrid);
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            var channel = await db.Channels.Select(c => c.Id).FirstAsync();
            var contact = new Contact { ChannelId = channel, Address = "+34" + Random.Shared.Next(100000000, 999999999), CreatedUtc = utc };
            var conversation = new Conversation { ChannelId = channel, ContactId = contact.Id, CreatedUtc = utc, LastActivityUtc = utc };
            var message = new Message
            {
                ChannelId = channel, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer, Text = "q",
                ExternalId = Guid.NewGuid().ToString("N"), SentUtc = utc, CreatedUtc = utc,
            };
            db.AddRange(contact, conversation, message, new Draft
            {
                ConversationId = conversation.Id, MessageId = message.Id, ChannelId = channel, Intent = intent, State = state, Confidence = confidence,
                Classification = classification,
                ResponseSeconds = responseSeconds, EditDistance = editDistance, ReviewedByUserId = reviewer, Quarter = AnalyticsTime.QuarterOf(utc),
                CreatedUtc = utc, UpdatedUtc = utc,
            });
            await db.SaveChangesAsync();
        }
    }

    private static async Task<(HitlAppFactory App, Facts Facts, IServiceProvider Analytics, AsyncServiceScope Scope)> SetupAsync(DatabaseProvider provider)
    {
        var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.Tenants.Where(t => t.Id == tenant).ExecuteUpdateAsync(s => s.SetProperty(t => t.TimeZone, "Europe/Madrid"));
        var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Manager));
        return (app, new Facts(app, tenant), scope.ServiceProvider, scope);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Days_are_the_tenants_local_days_across_a_daylight_saving_change(DatabaseProvider provider)
    {
        var (app, facts, analytics, scope) = await SetupAsync(provider);
        await using var _ = app;
        await using var __ = scope;
        // Spain leaves summer time on 2026-10-25 at 03:00 local.
        await facts.AddAsync(new DateTime(2026, 10, 24, 23, 30, 0), "track_order", DraftState.Approved);   // 21:30 UTC: still the 24th locally
        await facts.AddAsync(new DateTime(2026, 10, 25, 0, 15, 0), "track_order", DraftState.Approved);    // 22:15 UTC on the 24th, but the 25th locally
        await facts.AddAsync(new DateTime(2026, 10, 25, 23, 30, 0), "get_refund", DraftState.Rejected);    // after the change: 22:30 UTC
        await facts.AddAsync(new DateTime(2026, 10, 26, 0, 5, 0), "get_refund", DraftState.Rejected);      // the day after the range
        var zone = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);

        var series = await analytics.GetRequiredService<GetIntentAnalytics>().OverTimeAsync(new AnalyticsQuery(new(2026, 10, 24), new(2026, 10, 25)), zone, default);
        Assert.True(series.Hourly); // two days: by hour
        var weekly = await analytics.GetRequiredService<GetIntentAnalytics>().OverTimeAsync(new AnalyticsQuery(new(2026, 10, 20), new(2026, 10, 25)), zone, default);
        Assert.False(weekly.Hourly);
        Assert.Equal(new DateTime(2026, 10, 24), weekly.Buckets[4]);
        var track = weekly.Series.Single(s => s.Intent == "track_order").Counts;
        var refund = weekly.Series.Single(s => s.Intent == "get_refund").Counts;
        Assert.Equal([0, 0, 0, 0, 1, 1], track);
        Assert.Equal([0, 0, 0, 0, 0, 1], refund); // 23:30 on the last day counts for that day; 00:05 the next day does not

        var heatmap = await analytics.GetRequiredService<GetResponseAnalytics>().HeatmapAsync(new AnalyticsQuery(new(2026, 10, 24), new(2026, 10, 25)), zone, default);
        Assert.Equal(1, heatmap[5, 23]); // Saturday 23:xx
        Assert.Equal(1, heatmap[6, 0]);  // Sunday 00:xx
        Assert.Equal(1, heatmap[6, 23]); // Sunday 23:xx, after the change
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Over_time_drafts_without_an_intent_are_a_series_of_their_own_apart_from_the_smaller_intents_drawn_together(DatabaseProvider provider)
    {
        var (app, facts, analytics, scope) = await SetupAsync(provider);
        await using var _ = app;
        await using var __ = scope;
        var day = new DateTime(2026, 11, 10, 10, 0, 0);
        string[] busy = ["track_order", "get_refund", "cancel_order", "payment_issue", "delivery_period", "other"];
        for (var i = 0; i < busy.Length; i++)
            for (var n = 0; n < 10 - i; n++) await facts.AddAsync(day.AddMinutes(n), busy[i], DraftState.Approved);
        await facts.AddAsync(day, "newsletter_subscription", DraftState.Approved); // the seventh intent: one of the smaller ones
        await facts.AddAsync(day, "complaint", DraftState.Approved);
        await facts.AddAsync(day, null, DraftState.Rejected); // no intent
        var zone = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);

        var series = await analytics.GetRequiredService<GetIntentAnalytics>().OverTimeAsync(new AnalyticsQuery(new(2026, 11, 9), new(2026, 11, 15)), zone, default);

        Assert.Equal([.. busy, AnalyticsBuckets.NoIntent, AnalyticsBuckets.OtherIntents], series.Series.Select(s => s.Intent));
        Assert.Equal(5, series.Series.Single(s => s.Intent == "other").Counts.Sum()); // a workspace's own "other" intent stays itself
        Assert.Equal(1, series.Series.Single(s => s.Intent == AnalyticsBuckets.NoIntent).Counts.Sum());
        Assert.Equal(2, series.Series.Single(s => s.Intent == AnalyticsBuckets.OtherIntents).Counts.Sum());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Kpis_rates_edits_confidence_and_response_times_come_from_the_database_with_the_previous_period(DatabaseProvider provider)
    {
        var (app, facts, analytics, scope) = await SetupAsync(provider);
        await using var _ = app;
        await using var __ = scope;
        var day = new DateTime(2026, 11, 10, 10, 0, 0);
        await facts.AddAsync(day, "track_order", DraftState.Approved, confidence: 91, responseSeconds: 50, editDistance: 0);
        await facts.AddAsync(day.AddHours(1), "track_order", DraftState.EditedAndSent, confidence: 64, responseSeconds: 400, editDistance: 35);
        await facts.AddAsync(day.AddHours(2), "track_order", DraftState.AutoSent, confidence: 100, responseSeconds: 40);
        await facts.AddAsync(day.AddHours(3), "get_refund", DraftState.Rejected, confidence: 12);
        await facts.AddAsync(day.AddHours(4), null, DraftState.Blocked, confidence: 0);
        await facts.AddAsync(day.AddDays(-7), "track_order", DraftState.Approved, responseSeconds: 20); // the previous week
        var zone = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);
        var week = new AnalyticsQuery(new(2026, 11, 9), new(2026, 11, 15));

        var kpis = await analytics.GetRequiredService<GetAnalyticsKpis>().HandleAsync(week, zone, default);
        Assert.Equal(new Kpis(5, 5, 1, 1, 1, 1, 0, 1, 52.5), kpis); // median of 40, 50, 400: 1.5 of the 2 in the 30–60 s bucket
        var previous = await analytics.GetRequiredService<GetAnalyticsKpis>().HandleAsync(week.Previous, zone, default);
        Assert.Equal((1, 1), (previous.Drafts, previous.ApprovedUnchanged));

        var rates = await analytics.GetRequiredService<GetIntentAnalytics>().RatesAsync(week, zone, default);
        Assert.Equal(new IntentRate("track_order", 3, 1, 1, 0, 1), rates[0]);
        Assert.Contains(rates, r => r.Intent == AnalyticsBuckets.NoIntent && r.Total == 1);

        var edits = await analytics.GetRequiredService<GetIntentAnalytics>().EditsAsync(week, zone, default);
        Assert.Equal([1, 0, 1, 0, 0], Assert.Single(edits).Buckets); // unchanged, and 35 characters changed

        var confidence = await analytics.GetRequiredService<GetConfidenceAnalytics>().HandleAsync(week, zone, default);
        Assert.Equal([0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1], confidence); // blocked drafts are left out

        var byHour = await analytics.GetRequiredService<GetResponseAnalytics>().ByHourAsync(week, zone, default);
        Assert.Equal((1, 45.0), (byHour[10].Count, byHour[10].MedianSeconds)); // one response of 50 s: the middle of 30–60 s
        Assert.Equal(570.0, byHour[11].P90Seconds); // one of 400 s: nine tenths into 300–600 s

        var onlyRefunds = await analytics.GetRequiredService<GetAnalyticsKpis>().HandleAsync(week with { Intent = "get_refund" }, zone, default);
        Assert.Equal((1, 1), (onlyRefunds.Drafts, onlyRefunds.Rejected));

        // The page's overview (four scans side by side) gives exactly what each chart's own query gives.
        var overview = await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(week, zone, default);
        Assert.Equal(kpis, overview.Kpis);
        Assert.Equal(previous, overview.Previous);
        Assert.Equal(rates, overview.Rates);
        Assert.Equal(edits.Select(e => (e.Intent, string.Join(",", e.Buckets))), overview.Edits.Select(e => (e.Intent, string.Join(",", e.Buckets))));
        Assert.Equal(confidence, overview.Confidence);
        Assert.Equal(byHour, overview.Response);
        Assert.Equal(await analytics.GetRequiredService<GetResponseAnalytics>().HeatmapAsync(week, zone, default), overview.Heatmap);
        var series = await analytics.GetRequiredService<GetIntentAnalytics>().OverTimeAsync(week, zone, default);
        Assert.Equal(series.Buckets, overview.Intents.Buckets);
        Assert.Equal(series.Series.Select(x => (x.Intent, string.Join(",", x.Counts))), overview.Intents.Series.Select(x => (x.Intent, string.Join(",", x.Counts))));
        var refundsOverview = await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(week with { Intent = "get_refund" }, zone, default);
        Assert.Equal(onlyRefunds, refundsOverview.Kpis);
        Assert.Equal("get_refund", Assert.Single(refundsOverview.Rates).Intent);
        Assert.Equal("get_refund", Assert.Single(refundsOverview.Intents.Series).Intent); // every chart follows the intent filter

        var client = await FormPoster.SignedInClientAsync(app, DemoUsers.Manager, HitlAppFactory.DemoPassword);
        var csv = await client.GetStringAsync("/analytics/export/rates-by-intent?from=2026-11-09&to=2026-11-15");
        Assert.Equal("intent,drafts,approved_unchanged,edited,rejected,auto_sent", csv.Split('\n')[0].Trim());
        Assert.Contains("track_order,3,1,1,0,1", csv);
        Assert.Contains("\nno-intent,1,", csv);
        // In Spanish a person reads the file: the intents by name (the headers are Spanish too), the same numbers.
        var spanish = app.CreateBrowserLikeClient();
        await spanish.GetAsync("/culture/set?culture=es&redirectUri=%2F");
        await spanish.SignInAsync(DemoUsers.Manager, HitlAppFactory.DemoPassword);
        var named = await spanish.GetStringAsync("/analytics/export/rates-by-intent?from=2026-11-09&to=2026-11-15");
        Assert.Contains("\nSeguimiento del pedido,3,1,1,0,1", named);
        Assert.Contains("\nSin intención,1,", named);
        Assert.DoesNotContain("track_order", named);
        var agent = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.NotEqual(HttpStatusCode.OK, (await agent.GetAsync("/analytics/export/rates-by-intent?from=2026-11-09&to=2026-11-15")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_message_the_guardrail_stopped_counts_as_blocked_whatever_a_person_did_next(DatabaseProvider provider)
    {
        var (app, facts, analytics, scope) = await SetupAsync(provider);
        await using var _ = app;
        await using var __ = scope;
        var day = new DateTime(2026, 11, 10, 10, 0, 0);
        await facts.AddAsync(day, "track_order", DraftState.EditedAndSent, confidence: 64, responseSeconds: 100, editDistance: 35);
        await facts.AddAsync(day.AddHours(1), null, DraftState.Blocked, confidence: 0, classification: Draft.BlockedClassification);
        // Answered by hand over the neutral reply, and closed as handled: a block each, not an edited AI draft or nothing.
        await facts.AddAsync(day.AddHours(2), null, DraftState.EditedAndSent, confidence: 0, responseSeconds: 100, editDistance: 80,
            classification: Draft.BlockedClassification);
        await facts.AddAsync(day.AddHours(3), null, DraftState.Handled, confidence: 0, classification: Draft.BlockedClassification);
        var zone = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);
        var week = new AnalyticsQuery(new(2026, 11, 9), new(2026, 11, 15));

        var overview = await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(week, zone, default);
        Assert.Equal((4, 0, 1, 3), (overview.Kpis.Drafts, overview.Kpis.ApprovedUnchanged, overview.Kpis.Edited, overview.Kpis.Blocked));
        Assert.Equal(("track_order", 1), (Assert.Single(overview.Edits).Intent, overview.Edits[0].Buckets.Sum())); // the hand-written reply is no edit
        Assert.Equal(1, overview.Confidence.Sum());
        var noIntent = Assert.Single(overview.Rates, r => r.Intent == AnalyticsBuckets.NoIntent);
        Assert.Equal((3, 0, 0), (noIntent.Total, noIntent.ApprovedUnchanged, noIntent.Edited));
        // The reply a person wrote is still a response: its time counts.
        Assert.Equal(2, overview.Response.Sum(h => h.Count));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_daily_summary_answers_like_the_drafts_and_follows_later_changes(DatabaseProvider provider)
    {
        var (app, facts, analytics, scope) = await SetupAsync(provider);
        await using var _ = app;
        await using var __ = scope;
        var tenant = await app.Services.DemoTenantIdAsync();
        string[] intents = ["track_order", "get_refund", "cancel_order", "payment_issue"];
        DraftState[] states = [DraftState.Approved, DraftState.EditedAndSent, DraftState.AutoSent, DraftState.Rejected, DraftState.Expired, DraftState.Blocked];
        // Three weeks around Spain's 2026-10-25 DST change, with late evenings and just-after-midnight messages.
        for (var d = 0; d < 21; d++)
            foreach (var (time, i) in new[] { (new TimeSpan(0, 10, 0), 0), (new TimeSpan(12, 0, 0), 1), (new TimeSpan(23, 30, 0), 2) })
            {
                var state = states[(d + i) % states.Length];
                var sent = state is DraftState.Approved or DraftState.EditedAndSent or DraftState.AutoSent;
                await facts.AddAsync(new DateTime(2026, 10, 15).AddDays(d) + time, (d + i) % 5 == 4 ? null : intents[(d * 3 + i) % intents.Length], state,
                    confidence: (d * 17 + i * 31) % 101, responseSeconds: sent ? 5 + d * 400 + i * 50 : null,
                    editDistance: state == DraftState.EditedAndSent ? d * 12 : state == DraftState.Approved ? 0 : null);
            }
        var zone = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var channel = await db.Channels.IgnoreQueryFilters().Where(c => c.TenantId == tenant).Select(c => c.Id).FirstAsync();
        var month = new AnalyticsQuery(new(2026, 10, 14), new(2026, 11, 6));
        AnalyticsQuery[] queries = [month, month with { Intent = "get_refund" }, month with { ChannelId = channel }, month with { ChannelId = Guid.NewGuid() },
            new(new(2026, 10, 24), new(2026, 10, 25)), new(new(2026, 10, 20), new(2026, 10, 27))];
        async Task<string[]> AllAsync() => await Task.WhenAll(queries.Select(async q => Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(q, zone, default))));
        var fromDrafts = await AllAsync();

        async Task<int> SummariseAsync()
        {
            await using var tenantScope = app.Services.ForTenant(tenant);
            return await tenantScope.ServiceProvider.GetRequiredService<AnalyticsSummariser>().SummariseAsync(default);
        }
        await app.Services.GetRequiredService<SummariseAnalyticsJob>().RunAsync(default); // what the recurring job runs, every workspace
        Assert.True(await db.AnalyticsDays.IgnoreQueryFilters().CountAsync(r => r.TenantId == tenant && r.ChannelId == channel) > 0);
        Assert.Equal(fromDrafts, await AllAsync());

        // The page really reads the summary: a tampered summary row shows.
        var octoberTwentieth = AnalyticsTime.DayIndex(new(2026, 10, 20));
        await db.AnalyticsDays.IgnoreQueryFilters().Where(r => r.TenantId == tenant && r.ChannelId == null && r.Day == octoberTwentieth && r.Fold == AnalyticsFold.Hour)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Count, r => r.Count + 1000));
        Assert.NotEqual(fromDrafts[0], Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(month, zone, default)));
        await SummariseAsync(); // the drafts of that day did not change: the day is not summarised again
        Assert.NotEqual(fromDrafts[0], Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(month, zone, default)));
        await db.AnalyticsDays.IgnoreQueryFilters().Where(r => r.TenantId == tenant && r.ChannelId == null && r.Day == octoberTwentieth && r.Fold == AnalyticsFold.Hour)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Count, r => r.Count - 1000));

        // A summarised day changes (a draft of 20 October is rejected now): the change shows at once, before and after the next run.
        var noon = AnalyticsTime.QuarterOf(TimeZoneInfo.ConvertTimeToUtc(new DateTime(2026, 10, 20, 12, 0, 0), Madrid));
        Assert.Equal(1, await db.Drafts.IgnoreQueryFilters().Where(d => d.TenantId == tenant && d.Quarter == noon)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DraftState.Rejected).SetProperty(d => d.ResponseSeconds, (int?)null)
                .SetProperty(d => d.UpdatedUtc, DateTime.UtcNow)));
        var changedBeforeRun = await AllAsync();
        Assert.NotEqual(fromDrafts, changedBeforeRun);
        Assert.True(await SummariseAsync() >= 1);
        var changedAfterRun = await AllAsync();
        await db.AnalyticsSummaries.IgnoreQueryFilters().Where(s => s.TenantId == tenant).ExecuteDeleteAsync();
        var changedFromDrafts = await AllAsync();
        Assert.Equal(changedFromDrafts, changedBeforeRun);
        Assert.Equal(changedFromDrafts, changedAfterRun);

        // Another time zone cuts other days: the old summary is ignored at once and rebuilt by the next run.
        await SummariseAsync();
        await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == tenant).ExecuteUpdateAsync(s => s.SetProperty(t => t.TimeZone, "America/New_York"));
        var newYork = await analytics.GetRequiredService<WorkspaceTime>().ReadAsync(default);
        var inNewYork = Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(month, newYork, default));
        Assert.NotEqual(changedFromDrafts[0], inNewYork);
        Assert.True(await SummariseAsync() >= 21);
        Assert.Equal("America/New_York", (await db.AnalyticsSummaries.IgnoreQueryFilters().SingleAsync(s => s.TenantId == tenant)).TimeZone);
        Assert.Equal(inNewYork, Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(month, newYork, default)));

        // Two runs at once (a second instance, a manual run) neither fail nor double any day.
        await db.AnalyticsSummaries.IgnoreQueryFilters().Where(s => s.TenantId == tenant).ExecuteDeleteAsync();
        await Task.WhenAll(SummariseAsync(), SummariseAsync(), SummariseAsync());
        Assert.Equal(inNewYork, Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(month, newYork, default)));
        Assert.True(await db.AnalyticsSummaries.IgnoreQueryFilters().AnyAsync(s => s.TenantId == tenant));
        await db.Drafts.IgnoreQueryFilters().Where(d => d.TenantId == tenant && d.Quarter == noon)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DraftState.Expired).SetProperty(d => d.UpdatedUtc, DateTime.UtcNow));
        await Task.WhenAll(SummariseAsync(), SummariseAsync(), SummariseAsync()); // all three rewrite the changed day
        var groups = await db.AnalyticsDays.IgnoreQueryFilters().Where(r => r.TenantId == tenant)
            .GroupBy(r => new { r.ChannelId, r.Day, r.Fold, r.Intent, r.State, r.Hour, r.Bucket }).Select(g => g.Count()).ToListAsync();
        Assert.All(groups, count => Assert.Equal(1, count)); // no day written twice
        var afterRace = Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(month, newYork, default));
        await db.AnalyticsSummaries.IgnoreQueryFilters().Where(s => s.TenantId == tenant).ExecuteDeleteAsync();
        Assert.Equal(Describe(await analytics.GetRequiredService<GetAnalyticsOverview>().HandleAsync(month, newYork, default)), afterRace);
    }

    /// <summary>Every number of an overview as text, so two overviews compare in one assertion with a readable difference.</summary>
    private static string Describe(Overview o) => string.Join("\n",
        $"kpis {o.Kpis} previous {o.Previous}",
        $"intents {o.Intents.Hourly} {string.Join(",", o.Intents.Buckets)} " + string.Join(" ", o.Intents.Series.Select(s => $"{s.Intent}={string.Join(",", s.Counts)}")),
        "rates " + string.Join(" ", o.Rates),
        "edits " + string.Join(" ", o.Edits.Select(e => $"{e.Intent}={string.Join(",", e.Buckets)}")),
        "confidence " + string.Join(",", o.Confidence),
        "response " + string.Join(" ", o.Response),
        "heatmap " + string.Join(",", o.Heatmap.Cast<int>()));

    [Fact]
    public async Task Demo_history_has_knowledge_gaps_in_both_languages_and_they_are_its_only_low_confidence_drafts()
    {
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Demo:HistoryDays"] = "14" });
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            // Analytics' low-confidence drafts (below the review threshold) are the questions the knowledge had no answer for.
            var low = await db.Drafts.Where(d => d.Confidence < 60 && d.Classification != Draft.BlockedClassification).ToListAsync();
            Assert.NotEmpty(low);
            Assert.All(low, d => Assert.True(d.OutOfKnowledge && d.LowConfidence && d.Intent == null, d.Classification));
        }

        var gaps = await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Learning.KnowledgeGaps>().ListAsync(new(), default);
        Assert.Contains(gaps, g => g.Language == "en" && g.Count >= 2);
        Assert.Contains(gaps, g => g.Language == "es");
        Assert.Contains(gaps, g => g.Examples.Any(e => e.Contains("gift", StringComparison.OrdinalIgnoreCase)));

        // Agents proposed some of their hand-written answers: Suggested knowledge has work waiting, each tied to the reply sent.
        var suggestions = await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Learning.SuggestedKnowledge>().ListAsync(null, default);
        Assert.NotEmpty(suggestions);
    }

    /// <summary>
    /// A newcomer's demo inbox has work in it: customers in both languages who wrote just before the start, drafted by the real
    /// pipeline, each waiting for a person (one held by the guardrail, one the knowledge does not answer). Only on first run.
    /// </summary>
    [Fact]
    public async Task Demo_first_run_leaves_customers_waiting_for_review_in_both_languages()
    {
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Demo:WaitingConversations"] = "8" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var factory = app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        await using (var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent)))
        {
            await using var db = await factory.CreateDbContextAsync();
            var inbound = await db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Inbound).Select(m => new { m.Id, m.Language }).ToListAsync();
            Assert.Equal(8, inbound.Count);
            Assert.All(await db.Conversations.IgnoreQueryFilters().ToListAsync(), c => Assert.Equal((ConversationStatus.Open, AiMode.ReviewEverything), (c.Status, c.AiMode)));
            foreach (var m in inbound) await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Pipeline.GenerateDraft>().HandleAsync(m.Id, default);
            var drafts = await db.Drafts.IgnoreQueryFilters().ToListAsync();
            Assert.Equal(7, drafts.Count(d => d.State == DraftState.Pending));
            Assert.Single(drafts, d => d.State == DraftState.Blocked);
            Assert.Contains(drafts, d => d.OutOfKnowledge);
            Assert.Equal(3, await db.Messages.IgnoreQueryFilters().CountAsync(m => m.Direction == MessageDirection.Inbound && m.Language == "es"));
            // The model's nearest guess for a question it found no answer to is not shown as the gap's intent.
            var gap = Assert.Single(await scope.ServiceProvider.GetRequiredService<HitlConsole.Features.Learning.KnowledgeGaps>().ListAsync(new(), default),
                g => g.Question.Contains("student discount"));
            Assert.NotNull(drafts.Single(d => d.OutOfKnowledge).Intent);
            Assert.Null(gap.Intent);
        }

        // A restart seeds nothing again.
        await app.Services.GetRequiredService<HitlConsole.Features.Demo.DemoSeeder>().SeedIfEnabledAsync(default);
        await using (var db = await factory.CreateDbContextAsync())
            Assert.Equal(8, await db.Messages.IgnoreQueryFilters().CountAsync(m => m.Direction == MessageDirection.Inbound));
    }

    [Fact]
    public async Task Demo_history_sent_no_placeholder_to_a_customer_and_its_customers_wrote_none_in_either_language()
    {
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Demo:HistoryDays"] = "7" });
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var texts = await db.Messages.IgnoreQueryFilters().Where(m => m.Text != null).Select(m => new { m.Direction, m.Text, m.Language }).ToListAsync();
        Assert.True(texts.Count(t => t.Direction == MessageDirection.Outbound) > 100);
        // A bilingual team's month: about a quarter of the customers wrote in Spanish, and were answered in Spanish.
        var inbound = texts.Where(t => t.Direction == MessageDirection.Inbound).ToList();
        Assert.InRange(inbound.Count(t => t.Language == "es") / (double)inbound.Count, 0.15, 0.35);
        Assert.All(inbound, t => Assert.Contains(t.Language, new[] { "en", "es" }));
        Assert.DoesNotContain(texts, t => HitlConsole.Features.Ai.Placeholders.Any(t.Text));
        // The placeholders were filled, not avoided: the demo knowledge's answers are full of them.
        Assert.Contains(texts, t => t.Direction == MessageDirection.Outbound && t.Text!.Contains("+1 555 0100", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Demo_history_drafts_carry_the_configuration_version_that_was_live_when_they_were_made(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, new Dictionary<string, string?> { ["Demo:HistoryDays"] = "8" });
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var versions = await db.ConfigVersions.IgnoreQueryFilters().OrderBy(v => v.Number).Select(v => new { v.Number, v.CreatedUtc }).ToListAsync();
        var drafts = await db.Drafts.IgnoreQueryFilters().Select(d => new { d.ConfigVersion, d.CreatedUtc }).ToListAsync();

        // Two versions dated into the history (v1 was dated today, after every draft, which carried none): the version
        // filter emptied every chart.
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.True(versions[0].CreatedUtc < drafts.Min(d => d.CreatedUtc), "the first version was in force from the history's first draft");
        Assert.InRange(versions[1].CreatedUtc, drafts.Min(d => d.CreatedUtc), drafts.Max(d => d.CreatedUtc));
        Assert.All(drafts, d => Assert.Equal(versions.Last(v => v.CreatedUtc <= d.CreatedUtc).Number, d.ConfigVersion));
        Assert.Contains(drafts, d => d.ConfigVersion == 1);
        Assert.Contains(drafts, d => d.ConfigVersion == 2);
        // The live configuration is the second, which changed one thing: a shorter auto-send delay, and a comment saying so.
        var changes = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.EntityType == nameof(ConfigVersion) && a.EntityId == "2").Select(a => a.AtUtc).SingleAsync();
        Assert.Equal(versions[1].CreatedUtc, changes);
        Assert.Equal(HitlConsole.Features.Localization.ConfigTexts.ShorterDelayComment,
            await db.ConfigVersions.IgnoreQueryFilters().Where(v => v.Number == 2).Select(v => v.Comment).SingleAsync());

        // Only intents the configuration lets go out on its own were auto-sent ("Get a refund" is always reviewed).
        var document = HitlConsole.Features.AgentConfig.AgentConfigDocument.FromJson(
            await db.ConfigVersions.IgnoreQueryFilters().Where(v => v.Number == 2).Select(v => v.Document).SingleAsync(), strict: false);
        var mayAutoSend = document.Intents.Where(i => i.Policy == IntentPolicy.MayAutoSend).Select(i => i.Name).ToHashSet();
        var autoSent = await db.Drafts.IgnoreQueryFilters().Where(d => d.State == DraftState.AutoSent).Select(d => d.Intent).ToListAsync();
        Assert.NotEmpty(autoSent);
        Assert.All(autoSent, intent => Assert.Contains(intent!, mayAutoSend));
    }

    [Fact]
    public void Demo_history_customers_never_share_a_number()
    {
        // ~2,000 numbers drawn at random from 9 million collide about one day in five; a collision stopped `dotnet run` at start-up.
        var random = new Random(20261126);
        var used = new HashSet<string>();
        var numbers = Enumerable.Range(0, 20_000).Select(_ => HitlConsole.Features.Demo.DemoHistory.NextNumber(random, used)).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.Matches(@"^\+3460\d{7}$", n));
    }

    [Fact]
    public void Segments_split_a_range_where_the_offset_changes()
    {
        var (start, end) = AnalyticsTime.Quarters(new(2026, 3, 28), new(2026, 3, 30), Madrid);
        var segments = AnalyticsTime.Segments(start, end, Madrid);
        Assert.Equal(2, segments.Count);
        Assert.Equal([4, 8], segments.Select(s => s.Offset)); // +01:00 then +02:00, in quarters
        Assert.Equal(AnalyticsTime.QuarterOf(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc)), segments[1].Start);
        Assert.Equal(end - start, segments.Sum(s => s.End - s.Start));
    }
}
