using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Desktop.Identity;

/// <summary>
/// Demo data (users with a published password, an API client with a published secret) is seeded only in the Development
/// environment — <c>dotnet run</c>'s launch profile — or when <c>Storage:SeedDemoData=true</c> says so. While any demo
/// account exists the log warns at start (<see cref="DatabaseInitializer"/>) and the log-in page shows a banner.
/// </summary>
public sealed class DemoAccounts(IDbContextFactory<KonnectDbContext> dbFactory)
{
    public async Task<bool> ExistAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await DemoData.AccountsExistAsync(db, ct);
    }
}
