using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Two app instances on one PostgreSQL database, as behind a load balancer.</summary>
public sealed class ScaleOutTests
{
    private const string Customer = "+34600222333";

    [Fact]
    public async Task A_draft_made_by_a_job_on_one_instance_reaches_the_other_instances_consoles_within_a_second_and_is_sent_once()
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        // A has no job server: whatever drafts the message runs on B.
        await using var a = new HitlAppFactory(database, new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "false" });
        await using var b = new HitlAppFactory(database, new Dictionary<string, string?>
        {
            ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100",
        }, ownsDatabase: false);
        // Each on its own Kestrel port on loopback, as two processes behind a proxy would be.
        var (urlA, urlB) = (a.StartKestrel(), b.StartKestrel());
        var tenant = await a.Services.DemoTenantIdAsync();
        Assert.Equal(tenant, await b.Services.DemoTenantIdAsync());
        await Eventually.GetAsync(() => Task.FromResult(a.Services.GetRequiredService<PostgresLiveBridge>().Listening
                                                        && b.Services.GetRequiredService<PostgresLiveBridge>().Listening ? "yes" : null), 20, "both listening");

        var seenOnA = new ConcurrentQueue<(LiveEvent Event, long At)>();
        var seenOnB = new ConcurrentQueue<(LiveEvent Event, long At)>();
        using var onA = a.Services.GetRequiredService<LiveFeed>().Subscribe(tenant, e => { seenOnA.Enqueue((e, Stopwatch.GetTimestamp())); return Task.CompletedTask; });
        using var onB = b.Services.GetRequiredService<LiveFeed>().Subscribe(tenant, e => { seenOnB.Enqueue((e, Stopwatch.GetTimestamp())); return Task.CompletedTask; });

        // The customer's message arrives through A; B's job server drafts it. The order number fills the answer's {{Order Number}},
        // so the draft can be approved below.
        using (var http = new HttpClient { BaseAddress = new Uri(urlA) })
        {
            http.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
            Assert.Equal(HttpStatusCode.Accepted,
                (await http.PostAsJsonAsync(SimulatorApi.Path, new { from = Customer, name = "Iris", text = "how can I cancel my order 4411223?" })).StatusCode);
        }

        var onBAt = await Eventually.GetAsync(() => Task.FromResult(seenOnB.FirstOrDefault(x => x.Event.Kind == LiveEventKind.DraftChanged) is { Event: not null } x
            ? (object)x.At : null), 30, "the draft on B");
        var onAAt = await Eventually.GetAsync(() => Task.FromResult(seenOnA.FirstOrDefault(x => x.Event.Kind == LiveEventKind.DraftChanged) is { Event: not null } x
            ? (object)x.At : null), 5, "the draft's event on A");
        var crossing = Stopwatch.GetElapsedTime((long)onBAt, (long)onAAt);
        Assert.True(crossing < TimeSpan.FromSeconds(1), $"A saw B's draft {crossing.TotalMilliseconds:F0} ms after B");
        // B also saw the message A stored: events cross both ways.
        Assert.Contains(seenOnB, x => x.Event.Kind == LiveEventKind.MessageReceived);

        // Who is looking at what crosses too, and leaves with the circuit.
        var presenceOnA = a.Services.GetRequiredService<PresenceTracker>();
        var presenceOnB = b.Services.GetRequiredService<PresenceTracker>();
        presenceOnA.Set("circuit-on-a", new Presence(tenant, "someone", "Agent on A", null, null, DateTime.UtcNow));
        await Eventually.GetAsync(() => Task.FromResult(presenceOnB.Online(tenant).Any(p => p.Name == "Agent on A") ? "seen" : null), 2, "presence on B");
        presenceOnA.Remove("circuit-on-a");
        await Eventually.GetAsync(() => Task.FromResult(presenceOnB.Online(tenant).Any(p => p.Name == "Agent on A") ? null : "gone"), 2, "presence gone on B");

        // A session signed in on A is valid on B (cookies ignore the port): Data Protection keys are shared through the database.
        var cookies = new CookieContainer();
        using (var browserOnA = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(urlA) })
            Assert.Equal(HttpStatusCode.Redirect, (await browserOnA.SignInAsync(DemoUsers.Admin, HitlAppFactory.DemoPassword)).StatusCode);
        using (var browserOnB = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(urlB) })
        {
            var page = await browserOnB.GetAsync("/admin/users");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode); // not a redirect to the sign-in page
        }

        // Two people approve the same draft at once, one on each instance: one message goes out.
        var draft = await FirstDraftAsync(a);
        var agent = await a.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await b.Services.UserIdAsync(tenant, DemoUsers.Admin);
        var results = await Task.WhenAll(
            ApproveAsync(a, tenant, agent, draft.Id, draft.Version),
            ApproveAsync(b, tenant, admin, draft.Id, draft.Version));
        Assert.Single(results, r => r is ReviewDraft.Result.Sent);
        Assert.Single(results, r => r is ReviewDraft.Result.AlreadyHandled or ReviewDraft.Result.HeldBy);
        await using var db = await a.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Messages.IgnoreQueryFilters().CountAsync(m => m.ConversationId == draft.ConversationId && m.Direction == MessageDirection.Outbound));
    }

    private static async Task<Draft> FirstDraftAsync(HitlAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Drafts.IgnoreQueryFilters().AsNoTracking()
            .Where(d => db.Conversations.IgnoreQueryFilters().Any(c => c.Id == d.ConversationId
                && db.Contacts.IgnoreQueryFilters().Any(k => k.Id == c.ContactId && k.Address == Customer)))
            .SingleAsync(d => d.State == DraftState.Pending);
    }

    private static async Task<ReviewDraft.Result> ApproveAsync(HitlAppFactory app, Guid tenant, string user, Guid draftId, int version)
    {
        await using var scope = app.Services.ForTenant(tenant, user);
        return await scope.ServiceProvider.GetRequiredService<ReviewDraft>().ApproveAsync(draftId, version, null, default);
    }
}
