using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HitlConsole.Infrastructure.Live;
using HitlConsole.Features.Inbox;

namespace HitlConsole.Tests.Features.Pipeline;

/// <summary>From a signed webhook to a stored draft through the outbox and a real Hangfire job, on both providers.</summary>
public sealed class DraftFlowTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static readonly Dictionary<string, string?> JobsOn = new()
    {
        ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100", ["Pipeline:ModelRetryDelay"] = "00:00:00.010",
    };

    private static async Task<Draft?> DraftForAsync(HitlAppFactory app, string wamid)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await (from d in db.Drafts.IgnoreQueryFilters() join m in db.Messages.IgnoreQueryFilters() on d.MessageId equals m.Id
                      where m.ExternalId == wamid select d).SingleOrDefaultAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customer_question_becomes_a_pending_draft_grounded_on_the_knowledge_base(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider, JobsOn);
        var feed = app.Services.GetRequiredService<LiveFeed>();
        var tenant = await app.Services.DemoTenantIdAsync();
        var events = new List<LiveEvent>();
        using var sub = feed.Subscribe(tenant, e => { lock (events) events.Add(e); return Task.CompletedTask; });

        var watch = Stopwatch.StartNew();
        var response = await app.CreateBrowserLikeClient().PostSignedAsync(
            WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.Q1", "I want to cancel my order, how can I do it?")]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var draft = await Eventually.GetAsync(() => DraftForAsync(app, "wamid.Q1"), 45, "the draft");
        watch.Stop();
        Assert.Equal(DraftState.Pending, draft.State);
        Assert.Equal("cancel_order", draft.Intent);
        Assert.InRange(draft.Confidence, 1, 100);
        Assert.NotEmpty(JsonSerializer.Deserialize<Guid[]>(draft.Sources)!);
        Assert.Equal(BuiltInModel.ModelName, draft.ModelProfile);
        Assert.False(string.IsNullOrWhiteSpace(draft.Text));

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.False((await db.Messages.IgnoreQueryFilters().SingleAsync(m => m.ExternalId == "wamid.Q1")).AwaitingDraft);
        var interaction = await db.AiInteractions.IgnoreQueryFilters().SingleAsync(a => a.DraftId == draft.Id);
        Assert.Equal("cancel_order", interaction.Intent);
        await Eventually.GetAsync(() => Task.FromResult(events.Any(e => e.Kind == LiveEventKind.DraftChanged && e.DraftId == draft.Id) ? "seen" : null), 5, "the live event");
        Assert.Contains(events, e => e.Kind == LiveEventKind.MessageReceived);
        // A fresh app's first draft also builds the workspace's search indexes; with the rest of the suite on both cores that
        // took 13 s and 19 s in two clean-clone runs. The latency goal itself is the benchmark's (inbound → draft p95); here
        // the bound only catches a draft that waits for something it should not (a poll, a retry, a lock).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45), $"webhook to draft took {watch.Elapsed}");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_blocked_message_gets_a_neutral_spanish_reply_and_no_model_call(DatabaseProvider provider)
    {
        var generator = new CountingGenerator();
        await using var app = await HitlAppFactory.CreateAsync(provider, JobsOn, s => s.AddSingleton<IDraftGenerator>(generator));
        var text = "Voy a poner una demanda judicial y hablaré con mi abogado";
        await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.B1", text)]));

        var draft = await Eventually.GetAsync(() => DraftForAsync(app, "wamid.B1"), what: "the blocked draft");
        Assert.Equal(DraftState.Blocked, draft.State);
        Assert.Equal("blocked", draft.Classification);
        Assert.Equal(SystemReplies.Defaults[(GuardrailClass.Legal, "es")], draft.Text);
        Assert.DoesNotContain("abogado", draft.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, generator.Calls);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failing_model_leaves_a_visible_failed_draft(DatabaseProvider provider)
    {
        var generator = new CountingGenerator(fail: true);
        await using var app = await HitlAppFactory.CreateAsync(provider, JobsOn, s => s.AddSingleton<IDraftGenerator>(generator));
        await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.F1", "Where is my invoice?")]));

        var draft = await Eventually.GetAsync(() => DraftForAsync(app, "wamid.F1"), what: "the failed draft");
        Assert.Equal(DraftState.Failed, draft.State);
        Assert.Equal(3, generator.Calls); // retried twice with backoff first
        Assert.Equal("model-timeout", draft.StateReason);
        Assert.DoesNotContain("invoice", draft.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failed_draft_can_be_retried_and_then_succeeds(DatabaseProvider provider)
    {
        var generator = new CountingGenerator(fail: true);
        await using var app = await HitlAppFactory.CreateAsync(provider, JobsOn, s => s.AddSingleton<IDraftGenerator>(generator));
        await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.RT", "Where is my invoice?")]));
        var failed = await Eventually.GetAsync(() => DraftForAsync(app, "wamid.RT"), what: "the failed draft");
        Assert.Equal(DraftState.Failed, failed.State);

        generator.Fail = false;
        var tenant = await app.Services.DemoTenantIdAsync();
        await using (var scope = app.Services.ForTenant(tenant))
            Assert.IsType<ReviewDraft.Result.Retrying>(await scope.ServiceProvider.GetRequiredService<ReviewDraft>().RetryFailedAsync(failed.Id, default));

        var retried = await Eventually.GetAsync(async () => await DraftForAsync(app, "wamid.RT") is { State: DraftState.Pending } d ? d : null, what: "the retried draft");
        Assert.Equal("ok", retried.Text);
        Assert.Equal(3 + 1, generator.Calls); // three tries (two retries with backoff) before failing, one after the retry
        await using var scope2 = app.Services.CreateAsyncScope();
        await using var db = await scope2.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(["failed", "review"], (await db.AiInteractions.IgnoreQueryFilters().OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync()).ToArray());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_sweeper_redispatches_a_message_whose_job_was_lost(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider); // job server off: jobs are enqueued, never run
        await app.CreateBrowserLikeClient().PostSignedAsync(WhatsAppSender.Notification([WhatsAppSender.TextMessage("wamid.S1", "Where is my refund?")]));
        var outbox = app.Services.GetRequiredService<DraftOutbox>();

        // The first dispatch is complete once its job id is on the message (claim, enqueue, then the id).
        await Eventually.GetAsync(JobIdAsync, what: "the first dispatch");
        Assert.NotNull(await DispatchedAtAsync(app));
        Assert.Equal(0, await outbox.DispatchAsync(default)); // claimed recently: nothing to do

        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.Messages.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(m => m.DraftDispatchedUtc, DateTime.UtcNow.AddHours(-1)));
        // Claimed long ago but its job still waits in the queue (a backlog, not a loss): no second job.
        Assert.Equal(0, await outbox.DispatchAsync(default));

        // The job is gone (deleted, as a lost or failed job would be): the message gets a new one.
        var jobId = (await JobIdAsync())!;
        Assert.True(Hangfire.BackgroundJobClientExtensions.Delete(app.Services.GetRequiredService<Hangfire.IBackgroundJobClient>(), jobId));
        // This pass or the outbox's own periodic sweep (whichever claims first) gives it exactly one new job.
        Assert.InRange(await outbox.DispatchAsync(default), 0, 1);
        var newJob = await Eventually.GetAsync(async () => await JobIdAsync() is { } id && id != jobId ? id : null, what: "a new job");
        Assert.Equal(0, await outbox.DispatchAsync(default));
        using var hangfire = app.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        Assert.Equal("Enqueued", hangfire.GetStateData(newJob)?.Name);

        async Task<string?> JobIdAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return await db.Messages.IgnoreQueryFilters().Select(m => m.DraftJobId).SingleAsync();
        }
    }

    private static async Task<DateTime?> DispatchedAtAsync(HitlAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Messages.IgnoreQueryFilters().Select(m => m.DraftDispatchedUtc).SingleAsync();
    }

    private sealed class CountingGenerator(bool fail = false) : IDraftGenerator
    {
        private int _calls;
        public int Calls => _calls;
        public volatile bool Fail = fail;

        public Task<DraftProposal> GenerateAsync(DraftRequest request, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            if (Fail) throw new TimeoutException("model endpoint did not answer");
            return Task.FromResult(new DraftProposal("ok", [], "x", "answer", 90, [], false, null, "counting", 0, 0));
        }
    }
}
