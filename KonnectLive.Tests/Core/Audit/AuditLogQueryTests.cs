using KonnectLive.Core.Audit;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Audit;

public sealed class AuditLogQueryTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private UserScope _admin = null!;
    private UserScope _agent = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _admin = await _db.CreateUserAsync("ada", Roles.Admin);
        _agent = await _db.CreateUserAsync("noah", Roles.Agent);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private AuditLogQuery Query => _db.Services.GetRequiredService<AuditLogQuery>();

    private async Task AddAsync(int minutesAgo, UserScope? by, string action, int? customerId = null, string? details = null)
    {
        await using var db = _db.NewDbContext();
        AuditLog.Add(db, _db.Now.AddMinutes(-minutesAgo), by, action, "Thing", "1", details ?? action, customerId);
        await db.SaveChangesAsync();
    }

    private async Task SeedAsync()
    {
        await AddAsync(50, null, "inbound.csi.received");
        await AddAsync(40, _agent, "note.added", customerId: 7);
        await AddAsync(30, _admin, "settings.csi.updated");
        await AddAsync(20, _agent, "customer.unsubscribed", customerId: 8);
        await AddAsync(10, _admin, "user.created");
    }

    private async Task<List<string>> ActionsAsync(AuditLogRequest request) =>
        [.. (await Query.GetPageAsync(_admin, request)).Rows.Select(r => r.Action)];

    [Fact]
    public async Task GetPageAsync_NoFilters_NewestFirstWithTotal()
    {
        await SeedAsync();

        var page = await Query.GetPageAsync(_admin, new AuditLogRequest(0, 50));

        Assert.Equal(5, page.Total);
        Assert.Equal(["user.created", "customer.unsubscribed", "settings.csi.updated", "note.added", "inbound.csi.received"], page.Rows.Select(r => r.Action));
        Assert.Equal("system", page.Rows[^1].UserName);
    }

    [Fact]
    public async Task GetPageAsync_UserSubject_IsNamedNotAGuid_AndAGoneSubjectKeepsItsId()
    {
        await using (var db = _db.NewDbContext())
        {
            AuditLog.Add(db, _db.Now.AddMinutes(-2), _admin, "user.disabled", "User", _agent.UserId, "Disabled noah.");
            AuditLog.Add(db, _db.Now.AddMinutes(-1), _admin, "user.disabled", "User", "no-such-user", "Disabled someone.");
            await db.SaveChangesAsync();
        }

        var rows = (await Query.GetPageAsync(_admin, new AuditLogRequest(0, 50, Action: "user.disabled"))).Rows;

        Assert.Equal([null, "noah"], rows.Select(r => r.SubjectName));
        Assert.Equal(_agent.UserId, rows[1].EntityId);
    }

    [Fact]
    public async Task GetPageAsync_SecondPage_SkipsTheFirst()
    {
        await SeedAsync();

        var page = await Query.GetPageAsync(_admin, new AuditLogRequest(2, 2));

        Assert.Equal(5, page.Total);
        Assert.Equal(["settings.csi.updated", "note.added"], page.Rows.Select(r => r.Action));
    }

    [Fact]
    public async Task GetPageAsync_Filters_ByUserSystemActionCustomerAndDates()
    {
        await SeedAsync();

        Assert.Equal(["customer.unsubscribed", "note.added"], await ActionsAsync(new AuditLogRequest(0, 50, UserId: _agent.UserId)));
        Assert.Equal(["inbound.csi.received"], await ActionsAsync(new AuditLogRequest(0, 50, UserId: AuditLogQuery.SystemUser)));
        Assert.Equal(["note.added"], await ActionsAsync(new AuditLogRequest(0, 50, Action: "note.added")));
        Assert.Equal(["customer.unsubscribed"], await ActionsAsync(new AuditLogRequest(0, 50, CustomerId: 8)));
        // From inclusive, to exclusive.
        Assert.Equal(["settings.csi.updated", "note.added"],
            await ActionsAsync(new AuditLogRequest(0, 50, FromUtc: _db.Now.AddMinutes(-40), ToUtc: _db.Now.AddMinutes(-20))));
        var filtered = await Query.GetPageAsync(_admin, new AuditLogRequest(0, 1, UserId: _admin.UserId));
        Assert.Equal(2, filtered.Total);
    }

    [Fact]
    public async Task GetActionsAndUsersAsync_Log_ListsDistinctValuesWithTheSystemLast()
    {
        await SeedAsync();
        await AddAsync(5, _admin, "user.created");

        Assert.Equal(["customer.unsubscribed", "inbound.csi.received", "note.added", "settings.csi.updated", "user.created"],
            await Query.GetActionsAsync(_admin));
        var users = await Query.GetUsersAsync(_admin);
        Assert.Equal([_admin.DisplayName, _agent.DisplayName, "System (FOCUS, dispatcher)"], users.Select(u => u.Name));
        Assert.Equal(AuditLogQuery.SystemUser, users[^1].UserId);
    }

    [Fact]
    public async Task GetPageAsync_ByNonAdmin_Throws()
    {
        await SeedAsync();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Query.GetPageAsync(_agent, new AuditLogRequest(0, 50)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Query.GetActionsAsync(_agent));
    }

    [Fact]
    public void AuditLogQuery_PublicSurface_HasNoWayToChangeOrDeleteEntries()
    {
        var methods = typeof(AuditLogQuery).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(m => m.DeclaringType == typeof(AuditLogQuery)).Select(m => m.Name).Order();

        Assert.Equal(["GetActionsAsync", "GetPageAsync", "GetUsersAsync"], methods);
    }
}
