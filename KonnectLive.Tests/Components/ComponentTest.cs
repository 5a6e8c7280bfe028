using Bunit;
using MudBlazor.Services;

namespace KonnectLive.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor's services. MudBlazor's services can only be disposed asynchronously, so the
/// context is owned here and disposed through <see cref="IAsyncLifetime"/> rather than being the test class itself.
/// </summary>
public abstract class ComponentTest : IAsyncLifetime
{
    protected BunitContext Ctx { get; } = new();

    protected ComponentTest()
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await Ctx.DisposeAsync();
}
