using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using HitlConsole.Tests.Features.Ai;

namespace HitlConsole.Tests.Features.AgentConfig;

/// <summary>POST /api/sandbox/draft: the drafting path as JSON, for scripts and evaluations, writing nothing.</summary>
public sealed class SandboxApiTests
{
    private static HttpClient Client(HitlAppFactory app, string? key = HitlAppFactory.SimulatorKey)
    {
        var client = app.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<int[]> CountsAsync(HitlAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return
        [
            await db.Messages.IgnoreQueryFilters().CountAsync(), await db.Drafts.IgnoreQueryFilters().CountAsync(),
            await db.Conversations.IgnoreQueryFilters().CountAsync(), await db.AiInteractions.IgnoreQueryFilters().CountAsync(),
            await db.AuditEvents.IgnoreQueryFilters().CountAsync(), await db.Contacts.IgnoreQueryFilters().CountAsync(),
        ];
    }

    [Theory, MemberData(nameof(BuiltInModelTests.Providers), MemberType = typeof(BuiltInModelTests))]
    public async Task A_text_comes_back_as_a_draft_and_nothing_is_written(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var before = await CountsAsync(app);

        var response = await Client(app).PostAsJsonAsync("/api/sandbox/draft", new { text = "how long does shipping take to Madrid?" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivery_period", json.GetProperty("intent").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("reply").GetString()));
        Assert.Equal(JsonValueKind.Array, json.GetProperty("alternatives").ValueKind);
        Assert.Equal("answer", json.GetProperty("classification").GetString());
        Assert.InRange(json.GetProperty("confidence").GetInt32(), 1, 100);
        var sources = json.GetProperty("sources").EnumerateArray().ToList();
        Assert.True(sources.Count >= 3);
        Assert.Contains(sources.Take(3), s => s.GetProperty("intent").GetString() == "delivery_period");
        Assert.False(json.GetProperty("guardrail").GetProperty("blocked").GetBoolean());
        Assert.Equal(before, await CountsAsync(app));
    }

    [Fact]
    public async Task A_guardrail_hit_is_reported_without_a_model_call()
    {
        await using var app = await HitlAppFactory.CreateAsync();

        var json = await (await Client(app).PostAsJsonAsync("/api/sandbox/draft", new { text = "I will sue you and call my lawyer" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(json.GetProperty("guardrail").GetProperty("blocked").GetBoolean());
        Assert.Equal("legal", json.GetProperty("guardrail").GetProperty("class").GetString());
        Assert.Equal("blocked", json.GetProperty("classification").GetString());
        Assert.DoesNotContain("lawyer", json.GetProperty("reply").GetString());
    }

    [Theory]
    [InlineData(null, """{"text":"hi"}""", "application/json", HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", """{"text":"hi"}""", "application/json", HttpStatusCode.Unauthorized)]
    [InlineData(HitlAppFactory.SimulatorKey, """{"text":""}""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData(HitlAppFactory.SimulatorKey, "{not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData(HitlAppFactory.SimulatorKey, """{"text":"hi"}""", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData(HitlAppFactory.SimulatorKey, """{"text":"hi","version":7}""", "application/json", HttpStatusCode.NotFound)]
    public async Task Bad_requests_get_a_clear_status(string? key, string body, string contentType, HttpStatusCode expected)
    {
        await using var app = await HitlAppFactory.CreateAsync();

        var response = await Client(app, key).PostAsync("/api/sandbox/draft", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
    }
}
