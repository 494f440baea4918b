using HitlConsole.Domain;
using HitlConsole.Infrastructure;

namespace HitlConsole.Features.Ai;

/// <summary>The embedding model with the default catalogue's vectors.</summary>
public sealed class BuiltInModelWarmUp(BuiltInModel model) : IWarmUp
{
    public void WarmUp() => model.WarmUp(IntentCatalogue.Default);
}

/// <summary>The guardrail's trained model.</summary>
public sealed class SafetyModelWarmUp : IWarmUp
{
    public void WarmUp() => _ = SafetyModel.Default;
}
