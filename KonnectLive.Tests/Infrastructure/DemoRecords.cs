using KonnectLive.Core.Data;
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

    /// <summary>Gives back whatever these agents still hold (a previous test's closed tab may hold a lease for a few seconds).</summary>
    public static async Task ReleaseLocksHeldByAsync(this AppFixture app, params string[] userNames)
    {
        foreach (var userName in userNames)
        {
            var scope = await app.ScopeAsync(userName);
            await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
            var held = await db.SurveyRecords.Where(r => r.LockHolderId == scope.UserId).Select(r => r.Id).ToListAsync();
            foreach (var id in held) await app.Service<global::KonnectLive.Core.Calling.CallLockService>().ReleaseAsync(scope, id);
        }
    }

    public static async Task<SurveyRecord> RecordAsync(this AppFixture app, int id)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.SurveyRecords.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
