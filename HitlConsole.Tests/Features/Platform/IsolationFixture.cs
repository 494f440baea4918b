using HitlConsole.Infrastructure.Data;

namespace HitlConsole.Tests.Features.Platform;

/// <summary>One arranged <see cref="IsolationWorld"/> per database provider, built on first use and shared by the isolation tests.</summary>
public sealed class IsolationFixture : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, Lazy<Task<IsolationWorld>>> _worlds = new()
    {
        [DatabaseProvider.Sqlite] = new(() => IsolationWorld.ArrangeAsync(DatabaseProvider.Sqlite)),
        [DatabaseProvider.Postgres] = new(() => IsolationWorld.ArrangeAsync(DatabaseProvider.Postgres)),
    };

    public Task<IsolationWorld> WorldAsync(DatabaseProvider provider) => _worlds[provider].Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var world in _worlds.Values.Where(w => w.IsValueCreated))
        {
            try { await (await world.Value).DisposeAsync(); }
            catch (Exception) { } // an arrange that failed already reported itself in the tests
        }
    }
}
