using HitlConsole.Features.Channels;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Jobs;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Jobs queued before an upgrade carry the type names of the old layout; they must still find their class.</summary>
public sealed class MovedJobTypesTests
{
    [Theory]
    [InlineData("HitlConsole.Jobs.GenerateDraftJob, HitlConsole", typeof(GenerateDraftJob))]
    [InlineData("HitlConsole.Jobs.SendMessageJob, HitlConsole", typeof(SendMessageJob))]
    [InlineData("HitlConsole.Jobs.AutoSendDraftJob, HitlConsole", typeof(AutoSendDraftJob))]
    [InlineData("HitlConsole.Jobs.ExpireStaleDraftsJob, HitlConsole", typeof(ExpireStaleDraftsJob))]
    [InlineData("HitlConsole.Jobs.QueryPlannerStatisticsJob, HitlConsole", typeof(QueryPlannerStatisticsJob))]
    public void A_job_stored_under_its_old_name_resolves_to_its_class_in_the_slice(string storedName, Type expected)
    {
        Assert.Null(Type.GetType(storedName)); // the old name alone no longer exists
        Assert.Equal(expected, MovedJobTypes.Resolve(storedName));
    }

    [Fact]
    public void Names_of_the_current_layout_resolve_as_before()
    {
        var current = typeof(GenerateDraftJob).AssemblyQualifiedName!;
        Assert.Equal(typeof(GenerateDraftJob), MovedJobTypes.Resolve(current));
    }
}
