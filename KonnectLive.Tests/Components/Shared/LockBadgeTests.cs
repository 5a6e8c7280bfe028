using Bunit;
using KonnectLive.Desktop.Components.Shared;

namespace KonnectLive.Tests.Components.Shared;

public sealed class LockBadgeTests : ComponentTest
{
    [Fact]
    public void Render_HeldByAnotherAgent_ShowsTheirName()
    {
        var cut = Ctx.Render<LockBadge>(p => p.Add(x => x.HolderName, "Bob Jones"));

        Assert.Equal("Being called by Bob Jones", cut.Find("[data-testid=lock-badge]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=lock-free]"));
    }

    [Fact]
    public void Render_HeldByMe_SaysBeingCalledByYou()
    {
        var cut = Ctx.Render<LockBadge>(p => p.Add(x => x.HolderName, "Alice Agent").Add(x => x.IsMine, true));

        Assert.Equal("Being called by you", cut.Find("[data-testid=lock-badge]").TextContent.Trim());
    }

    [Fact]
    public void Render_NoHolder_ShowsFree()
    {
        var cut = Ctx.Render<LockBadge>(p => p.Add(x => x.HolderName, null));

        Assert.Equal("Free", cut.Find("[data-testid=lock-free]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=lock-badge]"));
    }
}
