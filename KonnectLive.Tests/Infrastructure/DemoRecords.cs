using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Infrastructure;

/// <summary>Looks things up in the app's demo database.</summary>
public static class DemoRecords
{
    public static async Task<UserScope> ScopeAsync(this AppFixture app, string userName)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        return (await app.Service<UserScopeLoader>().LoadAsync(id))!;
    }

    /// <summary>The first free Awaiting record of a dealership in chase order, skipping any the test names.</summary>
    public static async Task<(int Id, string Customer)> FreeAwaitingAsync(this AppFixture app, string dealershipCode, params int[] except)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var r = await db.SurveyRecords.AsNoTracking()
            .Where(x => x.Status == SurveyStatus.Awaiting && x.Dealership.Code == dealershipCode && x.LockHolderId == null && !except.Contains(x.Id))
            .OrderBy(x => x.ChaseKey).ThenBy(x => x.Id)
            .Select(x => new { x.Id, x.Customer.Title, x.Customer.FirstName, x.Customer.LastName })
            .FirstAsync();
        return (r.Id, string.Join(' ', new[] { r.Title, r.FirstName, r.LastName }.Where(s => !string.IsNullOrEmpty(s))));
    }

    /// <summary>
    /// Clears whatever these agents still hold (a previous test's closed tab may hold a lease for a few seconds). The
    /// leases belong to pages whose tokens a test does not know, so this clears them as the sweeper would and announces it.
    /// </summary>
    public static async Task ReleaseLocksHeldByAsync(this AppFixture app, params string[] userNames)
    {
        foreach (var userName in userNames)
        {
            var scope = await app.ScopeAsync(userName);
            await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
            var held = await db.SurveyRecords.Where(r => r.LockHolderId == scope.UserId).Select(r => new { r.Id, r.DealershipId }).ToListAsync();
            foreach (var r in held)
            {
                if (await db.SurveyRecords.Where(x => x.Id == r.Id && x.LockHolderId == scope.UserId)
                        .ExecuteUpdateAsync(global::KonnectLive.Core.Calling.CallLockService.ClearLock) == 1)
                    await app.Service<ILiveEventPublisher>().PublishAsync(new LiveEvent(LiveEventKind.LockReleased, r.DealershipId, r.Id,
                        AgentId: scope.UserId, AgentName: scope.DisplayName, Reason: "test clean-up"));
            }
        }
    }

    public static async Task<SurveyRecord> RecordAsync(this AppFixture app, int id)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.SurveyRecords.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
