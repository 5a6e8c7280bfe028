using KonnectLive.Core.Calling;
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

    /// <summary>
    /// The first customer of a demo dealership an agent could open now, as the real chase-list query lists them: on the list
    /// (not a call-back still to come, not an ended chase), not locked, not reserved for someone's call-back, with a number to
    /// call — skipping any the test names. Browser tests make their own dealership instead (<see cref="TestData"/>).
    /// </summary>
    public static async Task<(int Id, string Customer)> FreeAwaitingAsync(this AppFixture app, string dealershipCode, params int[] except)
    {
        int dealershipId;
        await using (var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
            dealershipId = await db.Dealerships.Where(d => d.Code == dealershipCode).Select(d => d.Id).SingleAsync();
        var lister = await app.ScopeAsync("admin");
        var query = app.Service<ChaseListQuery>();
        for (var skip = 0; ; skip += ChaseListQuery.MaxPageSize)
        {
            var page = await query.GetPageAsync(lister, new ChaseListRequest(skip, ChaseListQuery.MaxPageSize, null, dealershipId));
            var free = page.Rows.FirstOrDefault(r => r.LockHolderId is null && r.ReservedForId is null && r.HasCallableNumber && !except.Contains(r.RecordId));
            if (free is not null) return (free.RecordId, free.CustomerName);
            if (page.Rows.Count == 0 || skip + page.Rows.Count >= page.Total)
                throw new InvalidOperationException($"No free customer on {dealershipCode}'s chase list.");
        }
    }

    public static async Task<SurveyRecord> RecordAsync(this AppFixture app, int id)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.SurveyRecords.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
